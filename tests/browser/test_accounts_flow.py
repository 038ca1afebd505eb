"""A new user signs up, lands signed in on the home page, logs out and logs back in."""

from django.contrib.auth import get_user_model


def test_new_user_signs_up_logs_out_and_logs_back_in(page, screenshot):
    page.goto("/")
    page.get_by_role("link", name="Sign up").first.click()
    page.get_by_label("Username").fill("ada")
    page.get_by_label("Email").fill("ada@example.com")
    page.locator("#id_password1").fill("gradient-descent-42")
    page.locator("#id_password2").fill("gradient-descent-42")
    screenshot(page, "accounts-signup-form")
    page.get_by_role("button", name="Sign up").click()

    page.wait_for_url("**/")
    assert page.get_by_text("Signed in as").is_visible()
    assert page.locator(".account-nav strong").inner_text() == "ada"
    screenshot(page, "accounts-home-signed-in")
    assert get_user_model().objects.filter(username="ada").exists()

    page.get_by_role("button", name="Log out").click()
    header = page.get_by_role("banner")
    assert header.get_by_role("link", name="Log in").is_visible()

    header.get_by_role("link", name="Log in").click()
    page.get_by_label("Username").fill("ada")
    page.get_by_label("Password").fill("gradient-descent-42")
    screenshot(page, "accounts-login-form")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/")
    assert page.locator(".account-nav strong").inner_text() == "ada"
    screenshot(page, "accounts-home-logged-back-in")


def test_wrong_password_shows_a_clear_error(page, django_user_model):
    django_user_model.objects.create_user("bob", password="right-password-77")
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill("bob")
    page.get_by_label("Password").fill("wrong-password")
    page.get_by_role("button", name="Log in").click()
    assert page.get_by_role("alert").is_visible()
    assert "correct username and password" in page.get_by_role("alert").inner_text()
