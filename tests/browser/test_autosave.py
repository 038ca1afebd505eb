"""Autosave under faults: a failed save never says "saved", retries, and recovers.

The server is made to fail by intercepting the autosave requests in the browser (a 500, a
503, a dropped connection), then letting them through again.
"""

import re

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from quizzes.models import Exam, Response
from quizzes.services import exams as exam_services

PASSWORD = "gradient-descent-42"


@pytest.fixture
def exam_page(page, synced, django_user_model):
    """Sign in through the login page, start the exam, open question 1; return (page, attempt)."""
    user = django_user_model.objects.create_user("ada", password=PASSWORD)
    attempt = exam_services.exam_start(user=user, exam=Exam.objects.get(slug="tiny-exam"), when=timezone.now())
    page.goto(reverse("login") + "?next=" + reverse("attempt_question", args=[attempt.pk, 1]))
    log_in(page)
    page.wait_for_function("() => window.htmx !== undefined")
    return page, attempt


def log_in(page):
    page.get_by_label("Username").fill("ada")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(re.compile(r".*/attempts/\d+/q/1/$"))


def item(attempt, position=1) -> Response:
    return attempt.responses.get(position=position)


@pytest.mark.parametrize("fault", ["500", "503", "abort"])
def test_failed_answer_autosave_says_not_saved_retries_and_recovers(exam_page, screenshot, fault):
    page, attempt = exam_page
    status = page.locator("#save-status")

    def fail(route):
        if fault == "abort":
            route.abort("connectionfailed")
        else:
            route.fulfill(status=int(fault), body="<h1>Server error</h1>", headers={"Retry-After": "10"})

    page.route("**/answer/", fail)
    page.locator("label.choice").nth(1).click()
    expect(status).to_contain_text("NOT saved")
    expect(status).not_to_contain_text("Answer saved.")
    expect(page.locator("input[name=choice]").nth(1)).to_be_checked()
    screenshot(page, f"autosave-not-saved-{fault}")
    assert item(attempt).chosen_position is None
    expect(status).to_contain_text("Trying again")  # and again after the first retry fails too
    page.unroute("**/answer/")
    expect(status).to_have_text(re.compile(r"^\s*Answer saved\.\s*$"), timeout=20_000)
    screenshot(page, f"autosave-recovered-{fault}")
    assert item(attempt).chosen_position == 1
    expect(page.locator("#exam-nav-1")).to_have_class(re.compile(r"\banswered\b"))


def test_a_save_that_echoes_another_value_is_not_shown_as_saved(exam_page):
    page, attempt = exam_page
    page.route("**/answer/", lambda route: route.fulfill(
        status=200, body='<span data-saved data-saved-value="0">Answer saved.</span>'))
    page.locator("label.choice").nth(1).click()
    expect(page.locator("#save-status")).to_contain_text("NOT saved (the server kept another value)")
    page.unroute("**/answer/")
    expect(page.locator("#save-status")).to_have_text(re.compile(r"^\s*Answer saved\.\s*$"), timeout=20_000)
    assert item(attempt).chosen_position == 1


def test_a_changed_choice_is_saved_last(exam_page):
    page, attempt = exam_page
    page.locator("label.choice").nth(0).click()
    page.locator("label.choice").nth(1).click()
    expect(page.locator("#save-status")).to_have_text(re.compile(r"^\s*Answer saved\.\s*$"))
    page.wait_for_timeout(300)
    assert item(attempt).chosen_position == 1


def test_failed_flag_says_not_saved_and_recovers(exam_page, screenshot):
    page, attempt = exam_page
    page.route("**/flag/", lambda route: route.fulfill(status=500, body="error"))
    page.get_by_role("button", name="Flag for review").click()
    expect(page.locator("#flag-status")).to_contain_text("NOT saved")
    screenshot(page, "autosave-flag-not-saved")
    assert not item(attempt).flagged
    page.unroute("**/flag/")
    expect(page.locator("#flag-status")).to_contain_text("Flag saved.", timeout=20_000)
    expect(page.get_by_role("button", name="Remove flag")).to_be_visible()
    expect(page.locator("#flag-badge")).to_contain_text("flagged for review")
    assert item(attempt).flagged
    page.get_by_role("button", name="Remove flag").click()
    expect(page.locator("#flag-status")).to_contain_text("Flag removed.")
    expect(page.get_by_role("button", name="Flag for review")).to_be_visible()
    assert not item(attempt).flagged


def test_signed_out_autosave_keeps_the_choice_and_saves_it_after_logging_in(exam_page, screenshot):
    page, attempt = exam_page
    url = page.url
    page.context.clear_cookies(name="sessionid")  # the session expired; the CSRF cookie stays
    page.locator("label.choice").nth(1).click()
    status = page.locator("#save-status")
    expect(status).to_contain_text("NOT saved: you have been signed out")
    assert page.url == url and page.locator("form.question-card").count() == 1
    expect(page.locator("input[name=choice]").nth(1)).to_be_checked()
    screenshot(page, "autosave-signed-out")
    assert item(attempt).chosen_position is None
    status.get_by_role("link", name="Log in again to save it").click()
    log_in(page)
    expect(page.locator("#save-status")).to_have_text(re.compile(r"^\s*Answer saved\.\s*$"), timeout=20_000)
    expect(page.locator("input[name=choice]").nth(1)).to_be_checked()
    screenshot(page, "autosave-restored-after-login")
    assert item(attempt).chosen_position == 1


def test_a_forbidden_save_is_not_swapped_in_and_says_to_reload(exam_page):
    page, attempt = exam_page
    page.context.clear_cookies()  # no CSRF cookie: Django's 403 page must not land in the question
    page.locator("label.choice").nth(1).click()
    expect(page.locator("#save-status")).to_contain_text("NOT saved: the server refused it (403)")
    assert page.locator("#save-status h1").count() == 0


def test_a_real_database_outage_says_not_saved_and_recovers(exam_page, screenshot):
    """The live server's database fails (every cursor raises) and comes back."""
    from unittest import mock

    from django.db import OperationalError

    page, attempt = exam_page
    outage = mock.patch("django.db.backends.base.base.BaseDatabaseWrapper.cursor",
                        side_effect=OperationalError("connection refused"))
    outage.start()
    try:
        page.locator("label.choice").nth(1).click()
        expect(page.locator("#save-status")).to_contain_text("NOT saved (the database is briefly unavailable)")
        screenshot(page, "autosave-database-down")
    finally:
        outage.stop()
    expect(page.locator("#save-status")).to_have_text(re.compile(r"^\s*Answer saved\.\s*$"), timeout=20_000)
    assert item(attempt).chosen_position == 1


def test_a_save_that_never_answers_times_out_as_not_saved(exam_page):
    page, attempt = exam_page
    page.route("**/answer/", lambda route: None)  # the request hangs: htmx gives up after 10 s
    page.locator("label.choice").nth(1).click()
    expect(page.locator("#save-status")).to_contain_text("NOT saved (the server took too long)", timeout=15_000)
    page.unroute("**/answer/")
    expect(page.locator("#save-status")).to_have_text(re.compile(r"^\s*Answer saved\.\s*$"), timeout=20_000)
    assert item(attempt).chosen_position == 1
