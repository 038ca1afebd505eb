"""A new student's whole path, and an exam whose time runs out."""

import re
from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from quizzes.models import ExamAttempt, Response, ReviewCard


def sign_up(page, username="newton"):
    page.goto("/accounts/signup/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Email").fill(f"{username}@example.com")
    page.locator("#id_password1").fill("gradient-descent-42")
    page.locator("#id_password2").fill("gradient-descent-42")
    page.get_by_role("button", name="Sign up").click()
    page.wait_for_url("**/")


def choose_and_wait_for_save(page, index: int) -> None:
    """Pick a choice once htmx is ready (it loads deferred), then wait for the autosave."""
    page.wait_for_load_state()
    page.wait_for_function("() => window.htmx !== undefined")
    page.locator("label.choice").nth(index).click()
    page.locator("#save-status", has_text="Answer saved.").wait_for()


def reveal_if_offered_a_retry(page) -> None:
    """After a wrong choice naming a misconception practice offers another try: take the answer instead."""
    page.locator(".verdict").wait_for()  # the result (or retry) page has loaded
    show = page.get_by_role("button", name="Show the answer")
    if show.count():
        show.click()


def test_sign_up_practise_take_an_exam_review_and_see_progress(page, screenshot, synced):
    sign_up(page)
    page.get_by_role("main").get_by_role("link", name="Practise").click()
    page.get_by_label("Convolution arithmetic (3)").check()
    screenshot(page, "student-1-practice-filter")
    page.get_by_role("button", name="Start practising").click()
    for number in range(3):
        page.locator("label.choice").first.click()
        if number == 0:
            screenshot(page, "student-2-practice-question")
        page.get_by_role("button", name="Check answer").click()
        reveal_if_offered_a_retry(page)
        verdict = page.locator(".verdict").inner_text()
        assert verdict in ("Correct!", "Not quite.")
        assert page.get_by_role("heading", name="Explanation").is_visible()
        assert f"/ {number + 1}" in page.locator(".score").inner_text()
        if number == 0:
            screenshot(page, "student-3-practice-result")
        page.get_by_role("link", name="Next question").click()
    assert Response.objects.filter(answered_at__isnull=False).count() == 3

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Exams").click()
    page.get_by_role("link", name="Tiny exam").click()
    page.get_by_role("button", name="Start the exam").click()
    countdown = page.locator("[data-countdown-text]")
    start_text = countdown.inner_text()
    page.wait_for_function("t => document.querySelector('[data-countdown-text]').textContent !== t", arg=start_text)
    assert countdown.inner_text() < start_text  # "4:58" < "4:59": the countdown runs
    choose_and_wait_for_save(page, 0)
    expect(page.locator("#exam-nav-1")).to_have_class(re.compile(r"\banswered\b"))  # updated without a reload
    screenshot(page, "student-4-exam-question")
    page.get_by_role("button", name="Flag for review").click()
    page.locator("#flag-status", has_text="Flag saved.").wait_for()
    page.get_by_role("navigation", name="Questions of this exam").get_by_role("link", name="Question 2").click()
    choose_and_wait_for_save(page, 1)
    page.get_by_role("link", name="Finish exam…").click()
    assert "Flagged for review" in page.content()
    screenshot(page, "student-5-exam-confirm")
    page.get_by_role("button", name="Yes, submit and see my score").click()
    page.get_by_role("heading", name="Tiny exam: results").wait_for()
    assert "/ 2" in page.locator(".big-score").inner_text()
    assert page.get_by_role("heading", name="By topic").is_visible()
    screenshot(page, "student-6-exam-result")
    attempt = ExamAttempt.objects.get()
    assert attempt.finished_at is not None and attempt.responses.filter(answered_at__isnull=False).count() == 2

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Progress").click()
    assert page.get_by_role("heading", name="Mastery by topic").is_visible()
    assert page.locator("svg.chart").count() == 1
    screenshot(page, "student-7-progress")

    ReviewCard.objects.update(due=timezone.now() - timedelta(minutes=1))
    page.goto("/")
    assert "due for review" in page.get_by_role("main").inner_text()
    screenshot(page, "student-8-home-due")
    page.get_by_role("link", name="Review").first.click()
    page.locator("label.choice").first.click()
    page.get_by_role("button", name="Check answer").click()
    assert page.get_by_role("link", name="Next review").is_visible()


def test_exam_is_submitted_when_the_time_runs_out(page, screenshot, synced):
    sign_up(page, "gauss")
    page.goto("/exams/tiny-exam/")
    page.get_by_role("button", name="Start the exam").click()
    choose_and_wait_for_save(page, 0)
    attempt = ExamAttempt.objects.get()
    ExamAttempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() + timedelta(seconds=3))
    page.reload()
    page.get_by_role("heading", name="Tiny exam: results").wait_for(timeout=15_000)
    assert "Time ran out" in page.content()
    screenshot(page, "student-9-exam-timed-out")
    attempt.refresh_from_db()
    assert attempt.timed_out and attempt.score is not None


def test_an_explanation_links_to_the_lab_with_the_same_numbers(page, screenshot, synced):
    page.goto("/practice/")
    page.get_by_label("Padding, stride and output size (1)").check()
    page.get_by_role("button", name="Start practising").click()
    stem = page.locator(".stem").inner_text()
    height = re.search(r"An input (\d+) high", stem).group(1)
    page.locator("label.choice").first.click()
    page.get_by_role("button", name="Check answer").click()
    reveal_if_offered_a_retry(page)
    answer = page.locator(".is-correct .choice-text").inner_text().strip()
    page.get_by_role("link", name="Recompute these numbers in the lab").click()
    page.wait_for_url(re.compile(r"/lab/conv-output-size/\?.*seed=\d+"))
    assert page.get_by_label("Input height").input_value() == height
    result = page.locator(".lab-result", has=page.locator("code:text-is('out_h')")).locator("dd")
    assert result.inner_text().strip() == answer
    screenshot(page, "student-10-lab-from-explanation")
