"""An exam taken start to finish with the keyboard alone; the countdown is announced politely."""

import re

from playwright.sync_api import expect

from quizzes.models import ExamAttempt

PASSWORD = "pw-long-enough-1"


def tab_to(page, pattern: str, limit: int = 80, until: str = "true") -> None:
    """Press Tab until the focused element's text or label matches ``pattern`` (and ``until`` holds)."""
    wanted = re.compile(pattern)
    for step in range(limit):
        if step:
            page.keyboard.press("Tab")
        name = page.evaluate("""() => { const el = document.activeElement;
            return (el.innerText || el.value || '') + ' ' + (el.getAttribute('aria-label') || '')
                   + ' ' + (el.labels && el.labels[0] ? el.labels[0].innerText : ''); }""")
        if page.evaluate(f"() => document.activeElement !== document.body && ({until})") and wanted.search(name):
            return
    raise AssertionError(f"Tab never reached {pattern!r}")


def test_an_exam_start_to_finish_with_the_keyboard_alone(page, synced, django_user_model, screenshot):
    django_user_model.objects.create_user("kay", "kay@example.com", PASSWORD)
    page.goto("/accounts/login/")
    tab_to(page, "Username")
    page.keyboard.type("kay")
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    page.goto("/exams/tiny-exam/")
    screenshot(page, "keyboard-exam-detail")
    tab_to(page, "Start")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/attempts/\d+/q/1/"))
    page.wait_for_function("() => window.htmx !== undefined")
    for number in (1, 2):
        page.wait_for_url(re.compile(rf"/attempts/\d+/q/{number}/"))
        page.wait_for_function("() => window.htmx !== undefined")
        tab_to(page, r".", until="document.activeElement.name === 'choice'")
        page.keyboard.press("ArrowDown")  # moves to, and selects, the next choice of the group
        expect(page.locator("#save-status")).to_contain_text("saved")
        screenshot(page, f"keyboard-exam-q{number}")
        tab_to(page, "Save and next" if number == 1 else "Save answer")
        with page.expect_navigation():
            page.keyboard.press("Enter")
    tab_to(page, "Finish exam")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/submit/"))
    tab_to(page, "submit and see my score")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/result/"))
    attempt = ExamAttempt.objects.get(user__username="kay")
    assert attempt.finished_at is not None
    assert attempt.responses.filter(answered_at__isnull=False).count() == 2


def test_the_countdown_is_announced_at_milestones_not_every_second(page, synced, django_user_model):
    django_user_model.objects.create_user("kay", "kay@example.com", PASSWORD)
    page.clock.install()
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill("kay")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/")
    page.goto("/exams/tiny-exam/")
    page.get_by_role("button", name=re.compile("Start")).click()
    page.wait_for_url(re.compile(r"/attempts/\d+/q/1/"))
    announcer = page.locator("[data-countdown-announce]")
    assert announcer.get_attribute("aria-live") == "polite"
    assert page.locator("[data-countdown]").get_attribute("aria-live") == "off"
    page.clock.run_for(3_000)
    said = announcer.text_content()
    page.clock.run_for(20_000)
    assert announcer.text_content() == said  # nothing new between milestones
    page.clock.run_for(175_000)  # to two minutes left (5-minute exam)
    expect(announcer).to_have_text("2 minutes left in this exam.")
    page.clock.run_for(60_000)
    expect(announcer).to_have_text("1 minute left in this exam.")
