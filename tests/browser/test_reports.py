"""A student reports a problem after an exam; the instructor opens the flagged question and reads the report."""

import re

import pytest
from django.urls import reverse

from quizzes.models import QuestionReport, Response
from tests.browser.test_instructor import class_with_a_flawed_question, log_in  # noqa: F401  (fixture)

REPORT_TEXT = "I think the key is wrong: <b>the bias</b> is added once per output, so both could be right?"


@pytest.fixture
def reported_class(class_with_a_flawed_question):  # noqa: F811
    return class_with_a_flawed_question


@pytest.mark.parametrize("width", [1280, 390])
def test_a_student_reports_and_the_instructor_reads_it_on_the_flagged_question(browser, live_server, screenshot,
                                                                             reported_class, width):
    context = browser.new_context(base_url=live_server.url, viewport={"width": width, "height": 900})
    context.set_default_timeout(10_000)
    page = context.new_page()
    student = Response.objects.filter(question__qid="conv-window-bias-1", user__username="student-03").get()
    log_in(page, "student-03", "pw-long-enough-1")
    page.goto(reverse("attempt_result", args=[student.exam_attempt_id]))
    card = page.locator(f"#q{student.position}")
    card.get_by_role("link", name="Report a problem with this question").click()
    page.wait_for_url(f"**{reverse('question_report', args=[student.pk])}")
    page.get_by_label("The key looks wrong").check()
    page.get_by_label("Details (optional)").fill(REPORT_TEXT)
    screenshot(page, f"reports-1-student-form-{width}")
    page.get_by_role("button", name="Send the report").click()
    page.wait_for_url(re.compile(rf"/attempts/{student.exam_attempt_id}/result/#q{student.position}$"))
    assert "Thank you" in page.locator(".messages").inner_text()
    report = QuestionReport.objects.get()
    assert (report.version_id, report.seed) == (student.version_id, student.seed)

    context.clear_cookies()
    log_in(page, "teacher", "pw-long-enough-1")
    page.goto(reverse("instructor_items"))
    attention = page.locator("#needs-attention")
    assert "negative-discrimination" in attention.inner_text() and "reported" in attention.inner_text()
    attention.get_by_role("link", name="conv-window-bias-1").click()
    page.wait_for_url("**/instructor/items/conv-window-bias-1/")
    assert "1 open report" in page.locator("#item-reports").inner_text()
    screenshot(page, f"reports-2-flagged-item-{width}")
    page.locator("#item-reports").get_by_role("link").click()
    page.wait_for_url(re.compile(r"/instructor/reports/\?question=conv-window-bias-1$"))
    assert "<b>the bias</b>" in page.locator("#reports").inner_text()  # shown as text, not as HTML
    page.get_by_role("link", name=f"#{report.pk}").click()
    page.wait_for_url(f"**/instructor/reports/{report.pk}/")
    assert "<b>the bias</b> is added once per output" in page.locator("blockquote.report-text").inner_text()
    assert page.locator("blockquote.report-text b").count() == 0
    assert "(1) What does a convolution add" in page.locator(".question-card").inner_text()
    screenshot(page, f"reports-3-report-{width}")
    page.get_by_label("Note (what was done)").fill("Checked the key with the lab: it is right.")
    page.get_by_role("button", name="Mark resolved").click()
    page.wait_for_url(re.compile(r"/instructor/reports/\?status=open$"))
    assert "No open reports" in page.locator("#reports").inner_text()
    report.refresh_from_db()
    assert report.resolved_by.username == "teacher"
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0
    context.close()
