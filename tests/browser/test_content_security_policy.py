"""The main pages run under the strict CSP with no violation and no script error, for every role.

Chromium reports each CSP violation as a console error ("Refused to execute inline script...",
"Refused to apply inline style..."); the test listens for console errors and page errors while
it visits the pages and uses their scripts (htmx autosave, countdown).
"""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from quizzes.models import Exam
from quizzes.services import exams as exam_services

PASSWORD = "gradient-descent-42"
POLICY_WORDS = re.compile(r"Content Security Policy|Refused to|Permissions-Policy|Permissions policy", re.I)


@pytest.fixture
def problems(page):
    """Collect console errors and uncaught page errors of ``page``."""
    found: list[str] = []
    page.on("console", lambda message: found.append(f"console: {message.text}") if message.type == "error" else None)
    page.on("pageerror", lambda error: found.append(f"pageerror: {error}"))
    return found


def log_in(page, username):
    page.goto(reverse("login"))
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/")


def visit(page, url):
    page.goto(url)
    page.wait_for_load_state("networkidle")


def csp_problems(found: list[str]) -> list[str]:
    return [p for p in found if POLICY_WORDS.search(p) or p.startswith("pageerror")]


def test_visitor_pages(page, problems, synced):
    for url in ["/", "/lab/", "/practice/", "/exams/", "/accounts/login/", "/accounts/signup/",
                "/accounts/password/reset/"]:
        visit(page, url)
    assert csp_problems(problems) == []


def test_student_pages_and_scripts(page, problems, synced, django_user_model):
    student = django_user_model.objects.create_user("ada", password=PASSWORD)
    log_in(page, "ada")
    visit(page, "/practice/")
    page.get_by_label("Convolution arithmetic (3)").check()
    page.get_by_role("button", name="Start practising").click()
    page.locator("label.choice").first.click()
    page.get_by_role("button", name="Check answer").click()
    page.wait_for_load_state("networkidle")
    attempt = exam_services.exam_start(user=student, exam=Exam.objects.get(slug="tiny-exam"), when=timezone.now())
    visit(page, reverse("attempt_question", args=[attempt.pk, 1]))
    page.wait_for_function("() => window.htmx !== undefined")
    page.locator("label.choice").nth(1).click()
    page.locator("#save-status", has_text="Answer saved.").wait_for()
    page.get_by_role("button", name="Flag for review").click()
    page.locator("#flag-status", has_text="Flag saved.").wait_for()
    visit(page, reverse("attempt_submit", args=[attempt.pk]))
    page.get_by_role("button", name=re.compile("submit")).click()
    page.wait_for_load_state("networkidle")
    for url in ["/", "/progress/", "/review/", "/exams/", "/accounts/password/change/"]:
        visit(page, url)
    assert csp_problems(problems) == []


def test_author_and_instructor_pages(page, problems, synced, django_user_model):
    django_user_model.objects.create_user("boss", password=PASSWORD, is_staff=True, is_superuser=True)
    log_in(page, "boss")
    for url in ["/instructor/", "/instructor/students/", "/instructor/items/", "/instructor/exams/",
                "/instructor/cohorts/", "/author/preview/",
                reverse("preview_file", args=["questions/output-size/output-size-padded.md"]),
                "/admin/", "/admin/auth/user/", "/admin/auth/user/add/"]:
        visit(page, url)
    assert csp_problems(problems) == []
