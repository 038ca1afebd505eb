"""An instructor regrades a question from its item page and sees the exam statistics change."""

import re

from quizzes.models import ExamRules, ExamWindow, Regrade
from tests.browser.test_instructor import class_with_a_flawed_question, log_in  # noqa: F401 (a fixture)


def mean_on(page, slug: str) -> str:
    page.goto(f"/instructor/exams/{slug}/")
    return page.locator("#exam-stats div", has_text="Mean").locator("dd").inner_text()


def test_instructor_regrades_a_question_and_the_exam_statistics_change(page, screenshot,
                                                                       class_with_a_flawed_question):  # noqa: F811
    log_in(page, "teacher", "pw-long-enough-1")
    before = mean_on(page, "hand-exam")
    page.goto("/instructor/items/conv-window-bias-1/")
    panel = page.locator("#regrade")
    assert panel.get_by_role("heading", name="Regrade").is_visible()
    page.set_viewport_size({"width": 1280, "height": 900})
    panel.scroll_into_view_if_needed()
    screenshot(page, "regrade-1-item-1280")
    panel.get_by_label("Accept another choice as correct too").select_option(index=0)
    with page.expect_navigation():  # the POST redirects back to this same page
        panel.get_by_role("button", name="Accept this choice too").click()
    page.wait_for_url(re.compile(r"/instructor/items/conv-window-bias-1/"))
    message = page.locator(".messages").inner_text()
    assert "Regraded:" in message and "answers changed" in message
    assert panel.get_by_role("button", name="Undo").is_visible()
    screenshot(page, "regrade-2-regraded-1280")
    after = mean_on(page, "hand-exam")
    assert after != before and float(after.rstrip("%")) > float(before.rstrip("%"))
    screenshot(page, "regrade-3-exam-after-1280")

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/instructor/items/conv-window-bias-1/#regrade")
    screenshot(page, "regrade-4-item-390")
    page.goto("/instructor/regrades/")
    assert "conv-window-bias-1" in page.locator("#regrades").inner_text()
    screenshot(page, "regrade-5-log-390")
    page.set_viewport_size({"width": 1280, "height": 900})
    screenshot(page, "regrade-6-log-1280")
    page.get_by_role("button", name="Undo").click()
    page.wait_for_url("**/instructor/regrades/")
    assert Regrade.objects.get().undone_at is not None
    assert mean_on(page, "hand-exam") == before


def test_instructor_sets_exam_rules_and_a_student_reads_them(page, screenshot, class_with_a_flawed_question):  # noqa: F811
    log_in(page, "teacher", "pw-long-enough-1")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto("/instructor/exams/tiny-exam/rules/")
    page.get_by_label("Maximum attempts").fill("2")
    page.get_by_label("One way").check()
    page.get_by_role("button", name="Save rules").click()
    page.wait_for_url("**/rules/")
    page.get_by_label("Closes").fill("2030-01-01T10:00")
    page.get_by_role("button", name="Add window").click()
    page.wait_for_url("**/rules/")
    assert ExamRules.objects.get().one_way and ExamWindow.objects.count() == 1
    screenshot(page, "rules-1-instructor-1280")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, "rules-2-instructor-390")
    page.context.clear_cookies()
    log_in(page, "student-00", "pw-long-enough-1")
    page.goto("/exams/tiny-exam/")
    rules = page.locator(".exam-rules").inner_text()
    assert "At most 2 attempts" in rules and "One way" in rules and "Closes" in rules
    screenshot(page, "rules-3-student-390")
    page.set_viewport_size({"width": 1280, "height": 900})
    screenshot(page, "rules-4-student-1280")
