"""An instructor opens the dashboard, filters by cohort, opens a flagged question and downloads a CSV."""

import re
from datetime import timedelta

import pytest

from quizzes.models import Cohort, Question
from tests.quizzes.analytics.data import START, make_attempt, make_exam

STUDENTS = 40


@pytest.fixture
def class_with_a_flawed_question(synced, django_user_model):
    """Forty students in two cohorts sit a three-question exam; strong ones miss conv-window-bias-1."""
    a, b, c = (Question.objects.select_related("current_version").get(qid=qid)
               for qid in ("conv-window-bias", "conv-window-bias-1", "output-size-padded"))
    exam = make_exam(count=3)
    cohorts = [Cohort.objects.create(name="Morning group"), Cohort.objects.create(name="Evening group")]
    for n in range(STUDENTS):
        user = django_user_model.objects.create_user(f"student-{n:02d}", password="pw-long-enough-1")
        cohorts[n % 2].members.add(user)
        strong = n < STUDENTS // 2
        items = [(a, strong or n % 3 == 0, {}), (b, not strong, {}), (c, strong and n % 4 != 1, {})]
        make_attempt(user, exam, items, started=START + timedelta(minutes=n))
    django_user_model.objects.create_user("teacher", password="pw-long-enough-1", is_staff=True)
    return cohorts


def log_in(page, username, password):
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/")


def test_instructor_filters_by_cohort_opens_a_flagged_question_and_downloads_a_csv(page, screenshot,
                                                                                   class_with_a_flawed_question):
    morning = class_with_a_flawed_question[0]
    log_in(page, "teacher", "pw-long-enough-1")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Dashboard").click()
    page.wait_for_url("**/instructor/")
    assert page.get_by_role("heading", name="Overview", exact=True).is_visible()
    assert page.locator("svg.chart").count() == 1
    screenshot(page, "instructor-1-overview")

    page.get_by_label("Cohort").select_option(label="Morning group")
    page.get_by_role("button", name="Apply").click()
    page.wait_for_url(re.compile(rf"cohort={morning.pk}"))
    assert page.get_by_role("heading", name="Overview: Morning group").is_visible()
    assert "20 " in page.locator(".stat").first.inner_text() or "of 20" in page.locator(".card").first.inner_text()
    screenshot(page, "instructor-2-overview-cohort")

    page.get_by_role("navigation", name="Instructor dashboards").get_by_role("link", name="Item analysis").click()
    page.wait_for_url(re.compile(rf"/instructor/items/\?cohort={morning.pk}$"))
    attention = page.locator("#needs-attention")
    assert "negative-discrimination" in attention.inner_text()
    screenshot(page, "instructor-3-items")
    attention.get_by_role("link", name="conv-window-bias-1").click()
    page.wait_for_url(re.compile(rf"/instructor/items/conv-window-bias-1/\?cohort={morning.pk}"))
    assert page.get_by_role("heading", name="conv-window-bias-1").is_visible()
    assert "Check the key" in page.locator("main").inner_text()
    assert page.locator("table.distractors").get_by_text("Forgot the bias").is_visible()
    screenshot(page, "instructor-4-flagged-question")

    page.get_by_role("link", name="← All questions").click()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download these statistics as CSV").click()
    download = download_info.value
    assert re.fullmatch(r"item-statistics-morning-group-\d{4}-\d{2}-\d{2}\.csv", download.suggested_filename)
    content = open(download.path(), "rb").read()
    assert content.startswith(b"\xef\xbb\xbfquestion,topic,")
    assert b"conv-window-bias-1," in content and b"negative-discrimination" in content

    page.get_by_role("navigation", name="Instructor dashboards").get_by_role("link", name="Students").click()
    page.get_by_role("link", name=re.compile("^Right")).click()
    page.wait_for_url(re.compile(r"sort=right"))
    screenshot(page, "instructor-5-students")
    page.get_by_role("navigation", name="Instructor dashboards").get_by_role("link", name="Exams").click()
    page.get_by_role("link", name="Hand Exam").click()
    assert page.locator("svg.chart").count() == 1
    screenshot(page, "instructor-6-exam")
