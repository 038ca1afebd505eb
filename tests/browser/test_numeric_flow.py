"""A new student types numbers: a named mistake, a hint, then the right value; and an exam autosave."""

import re

from playwright.sync_api import expect

from quizzes.content.sync import sync_content
from quizzes.content.templating import display
from quizzes.models import ExamAttempt, Response
from quizzes.services.grading import answer_key
from tests.browser.test_student_flow import sign_up
from tests.conftest import NUMERIC, PARAMETERISED, STATIC
from tests.quizzes.test_numeric_views import TYPED_EXAM


def publish(content):
    content.question("conv-window-bias", STATIC)
    content.question("conv-window-typed", NUMERIC)
    content.question("output-size-padded", PARAMETERISED, topic="output-size")
    content.exam("typed-exam", TYPED_EXAM)
    sync_content(root=content.root)


def test_a_new_student_types_a_mistake_reads_it_named_and_then_types_the_right_number(page, screenshot, content,
                                                                                       db):
    publish(content)
    sign_up(page, "leibniz")
    page.goto("/practice/q/conv-window-typed/?seed=11")
    field = page.get_by_label("Your answer")
    expect(field).to_be_visible()
    screenshot(page, "numeric-1-question")
    response = Response.objects.get(user__username="leibniz", answered_at__isnull=True)
    key = answer_key(response.version, response.seed)
    wrong = dict(key.misconceptions)["forgot-bias"]

    field.fill("1,5")
    page.get_by_role("button", name="Check answer").click()
    expect(page.get_by_role("alert")).to_contain_text("Use a decimal point")
    expect(page.get_by_label("Your answer")).to_have_value("1,5")  # nothing lost

    page.get_by_label("Your answer").fill(f"{wrong:.4f}")
    page.get_by_role("button", name="Check answer").click()
    main = page.get_by_role("main")
    expect(main).to_contain_text("Not quite. You have 2 more tries on this variant.")
    expect(main).to_contain_text("This looks like a known mistake: Forgot the bias")
    expect(main).to_contain_text("Hint 1")
    lab_link = main.get_by_role("link", name="See where it happens in the lab")
    expect(lab_link).to_have_attribute("href", re.compile(r"^/lab/conv-window/#step-\d+$"))  # other numbers
    expect(main).not_to_contain_text(display(key.value))
    screenshot(page, "numeric-2-named-mistake-and-hint")
    anchor = lab_link.get_attribute("href").split("#")[1]
    lab_link.click()
    expect(page.locator(f"#{anchor}")).to_be_visible()
    screenshot(page, "numeric-2b-lab-step")
    page.go_back()

    page.get_by_label("Your answer").fill(f"{key.value:.4f}")
    page.get_by_role("button", name="Check again").click()
    expect(main).to_contain_text("Right on try 2.")
    expect(main).to_contain_text(key.tolerance.shown(key.value))
    expect(main).to_contain_text("Explanation")
    screenshot(page, "numeric-3-right-on-try-2")
    response.refresh_from_db()
    assert response.is_correct is False and response.misconception == "forgot-bias"


def test_a_typed_exam_answer_saves_as_it_is_typed_and_is_reviewed_after_submit(page, screenshot, content, db):
    publish(content)
    sign_up(page, "noether")
    page.goto("/exams/typed-exam/")
    page.get_by_role("button", name="Start the exam").click()
    attempt = ExamAttempt.objects.get(user__username="noether")
    item = attempt.responses.get(question__qid="conv-window-typed")
    page.goto(f"/attempts/{attempt.pk}/q/{item.position}/")
    page.wait_for_function("() => window.htmx !== undefined")
    key = answer_key(item.version, item.seed)
    field = page.get_by_label("Your answer")
    field.fill(f"{key.value:.4f}")
    field.press("Tab")  # the change event saves it
    page.locator("#save-status", has_text="Answer saved.").wait_for()
    expect(page.get_by_role("main")).not_to_contain_text("Hint")
    screenshot(page, "numeric-4-exam-autosave")
    item.refresh_from_db()
    assert item.answer_text == f"{key.value:.4f}" and item.is_correct is None
    page.goto(f"/attempts/{attempt.pk}/submit/")
    page.get_by_role("button", name="Submit").click()
    expect(page.get_by_role("main")).to_contain_text(f"{key.value:.4f}")
    screenshot(page, "numeric-5-exam-result")
    item.refresh_from_db()
    assert item.is_correct is True
