"""Sign up, log in and out, password change and reset, roles, demo accounts."""

import re

import pytest
from django.contrib.auth.models import AnonymousUser, Group
from django.core import mail
from django.core.management import CommandError, call_command
from django.http import HttpRequest
from django.test import override_settings
from django.urls import reverse

from quizzes.forms import EMAIL_TAKEN
from quizzes.roles import AUTHORS_GROUP, is_author, is_instructor
from quizzes.services.accounts import DEMO_ACCOUNTS, demo_accounts_ensure

pytestmark = pytest.mark.django_db

PASSWORD = "chain-rule-2026"


def _signup(client, username="ada", email="ada@example.com", password=PASSWORD):
    return client.post(
        reverse("signup"),
        {"username": username, "email": email, "password1": password, "password2": password},
    )


def test_signup_creates_the_account_and_signs_in(client, django_user_model):
    response = _signup(client)
    assert response.status_code == 302 and response.url == reverse("home")
    user = django_user_model.objects.get(username="ada")
    assert user.email == "ada@example.com" and not user.is_staff
    assert int(client.session["_auth_user_id"]) == user.pk


def test_signup_rejects_an_email_already_in_use(client, django_user_model):
    django_user_model.objects.create_user("first", email="Same@Example.com", password=PASSWORD)
    response = _signup(client, username="second", email="same@example.com")
    assert response.status_code == 200
    assert EMAIL_TAKEN in response.content.decode()
    assert not django_user_model.objects.filter(username="second").exists()


def test_signup_with_mismatched_passwords_keeps_the_form_and_saves_nothing(client, django_user_model):
    response = client.post(reverse("signup"), {"username": "x", "email": "x@example.com",
                                               "password1": PASSWORD, "password2": "other-pass-99"})
    assert response.status_code == 200
    assert "didn’t match" in response.content.decode()
    assert not django_user_model.objects.filter(username="x").exists()


def test_signed_in_user_is_sent_home_from_signup(client, django_user_model):
    client.force_login(django_user_model.objects.create_user("u", password=PASSWORD))
    assert client.get(reverse("signup")).url == reverse("home")


def test_login_and_logout(client, django_user_model):
    django_user_model.objects.create_user("bob", password=PASSWORD)
    response = client.post(reverse("login"), {"username": "bob", "password": PASSWORD})
    assert response.status_code == 302
    assert "_auth_user_id" in client.session
    assert client.post(reverse("logout")).status_code == 302
    assert "_auth_user_id" not in client.session


def test_login_with_wrong_password_shows_an_error(client, django_user_model):
    django_user_model.objects.create_user("bob", password=PASSWORD)
    response = client.post(reverse("login"), {"username": "bob", "password": "nope"})
    assert response.status_code == 200
    assert "correct username and password" in response.content.decode()


def test_password_change_requires_login_and_changes_the_password(client, django_user_model):
    assert client.get(reverse("password_change")).status_code == 302
    user = django_user_model.objects.create_user("bob", password=PASSWORD)
    client.force_login(user)
    response = client.post(reverse("password_change"), {
        "old_password": PASSWORD, "new_password1": "new-secret-2027", "new_password2": "new-secret-2027",
    })
    assert response.url == reverse("password_change_done")
    user.refresh_from_db()
    assert user.check_password("new-secret-2027")


def test_password_reset_sends_a_link_that_sets_a_new_password(client, django_user_model):
    user = django_user_model.objects.create_user("bob", email="bob@example.com", password=PASSWORD)
    response = client.post(reverse("password_reset"), {"email": "bob@example.com"})
    assert response.url == reverse("password_reset_done")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == "Reset your Backprop Lab password"
    link = re.search(r"https?://[^/]+(/accounts/password/reset/\S+/)", mail.outbox[0].body).group(1)
    form_url = client.get(link).url  # Django swaps the token for a session marker
    response = client.post(form_url, {"new_password1": "fresh-secret-88", "new_password2": "fresh-secret-88"})
    assert response.url == reverse("password_reset_complete")
    user.refresh_from_db()
    assert user.check_password("fresh-secret-88")


def test_password_reset_with_a_bad_link_says_so(client):
    response = client.get("/accounts/password/reset/MQ/bad-token/")
    assert response.status_code == 200
    assert "invalid or has already been used" in response.content.decode()


def test_roles(django_user_model):
    student = django_user_model.objects.create_user("s")
    author = django_user_model.objects.create_user("a")
    author.groups.add(Group.objects.get(name=AUTHORS_GROUP))
    staff = django_user_model.objects.create_user("t", is_staff=True)
    users = (AnonymousUser(), student, author, staff)
    assert [is_author(u) for u in users] == [False, False, True, True]
    assert [is_instructor(u) for u in users] == [False, False, False, True]


def test_demo_accounts_are_idempotent_and_log_in_with_printed_passwords(client, django_user_model):
    demo_accounts_ensure()
    demo_accounts_ensure()
    assert django_user_model.objects.filter(username__in=["student", "author", "admin"]).count() == 3
    for account in DEMO_ACCOUNTS:
        assert client.login(request=HttpRequest(), username=account.username, password=account.password)
    assert is_author(django_user_model.objects.get(username="author"))
    admin = django_user_model.objects.get(username="admin")
    assert admin.is_staff and admin.is_superuser


def test_create_demo_accounts_command_prints_the_passwords(capsys):
    call_command("create_demo_accounts")
    out = capsys.readouterr().out
    for account in DEMO_ACCOUNTS:
        assert account.username in out and account.password in out


@override_settings(DEMO_ACCOUNTS_ALLOWED=False)
def test_demo_accounts_refused_outside_development(django_user_model):
    with pytest.raises(CommandError, match="development only"):
        call_command("create_demo_accounts")
    assert not django_user_model.objects.filter(username="admin").exists()
