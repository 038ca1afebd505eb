"""Every page type, as every role, at desktop and phone width: axe-core finds no serious or critical
violation, and nothing is wider than a phone unless it scrolls inside a box that shows it does.

axe-core comes with the ``axe-playwright-python`` package (no download at test time).
"""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from quizzes.models import Exam, Question, Response
from quizzes.roles import AUTHORS_GROUP
from quizzes.services import exams as exam_services
from quizzes.services.responses import response_answer, response_create

axe_module = pytest.importorskip("axe_playwright_python.sync_playwright")

PASSWORD = "pw-long-enough-1"
WIDTHS = {"desktop": 1280, "phone": 390}
BLOCKING = {"serious", "critical"}

OVERFLOW_SCRIPT = """() => {
  const limit = document.documentElement.clientWidth;
  const scrolls = (el) => {
    const style = getComputedStyle(el);
    return ['auto', 'scroll'].includes(style.overflowX) && el.scrollWidth > el.clientWidth;
  };
  const cued = (el) => getComputedStyle(el).backgroundImage.includes('gradient')
                    || el.tagName === 'PRE' || el.closest('.site-nav');
  const bad = [];
  for (const el of document.querySelectorAll('body *')) {
    const box = el.getBoundingClientRect();
    if (box.width === 0 || box.right <= limit + 1) continue;
    let parent = el.parentElement, container = null, clipped = false;
    while (parent && parent !== document.body) {
      if (scrolls(parent)) { container = parent; break; }
      const overflow = getComputedStyle(parent).overflowX;
      if (['hidden', 'clip'].includes(overflow) && parent.getBoundingClientRect().right <= limit + 1) { clipped = true; break; }
      parent = parent.parentElement;
    }
    if (clipped) continue;
    if (!container || !cued(container)) bad.push(`${el.tagName.toLowerCase()}.${el.className} (right ${Math.round(box.right)})`);
  }
  return bad.slice(0, 10);
}"""


def blocking_violations(page) -> list[str]:
    """Return axe's serious and critical violations on ``page`` as "rule: target" lines."""
    results = axe_module.Axe().run(page)
    return [f"{v['id']} ({v['impact']}): {node['target']} {node.get('html', '')[:160]}"
            for v in results.response["violations"] if v["impact"] in BLOCKING for node in v["nodes"]]


def test_the_checker_fails_on_a_real_violation(page):
    page.set_content('<html lang="en"><body><main><img src="x.png"><button></button></main></body></html>')
    found = blocking_violations(page)
    assert any(line.startswith("image-alt") for line in found)
    assert any(line.startswith("button-name") for line in found)


def test_the_width_check_fails_on_an_uncued_overflow(page):
    page.set_viewport_size({"width": 390, "height": 800})
    page.set_content('<html><body><main><div style="width:900px">wide</div>'
                     '<div style="overflow-x:auto"><div style="width:900px">scrolls, no cue</div></div></main></body></html>')
    assert len(page.evaluate(OVERFLOW_SCRIPT)) == 2


@pytest.fixture
def roles(synced, django_user_model):
    """A student with a practice answer, a finished exam and a due review; an author; an instructor."""
    student = django_user_model.objects.create_user("ada", "ada@example.com", PASSWORD)
    author = django_user_model.objects.create_user("ren", "ren@example.com", PASSWORD)
    author.groups.add(Group.objects.get_or_create(name=AUTHORS_GROUP)[0])
    django_user_model.objects.create_user("ines", "ines@example.com", PASSWORD, is_staff=True)
    now = timezone.now()
    question = Question.objects.get(qid="output-size-padded")
    shown = response_create(user=student, question=question, mode=Response.Mode.PRACTICE, when=now - timedelta(days=2))
    practice = response_answer(response_id=shown.pk, user=student, when=now - timedelta(days=2),
                               raw_choice=(shown.correct_position + 1) % len(shown.choice_texts))
    exam = Exam.objects.get(slug="tiny-exam")
    attempt = exam_services.exam_start(user=student, exam=exam, when=now - timedelta(days=1))
    exam_services.exam_answer(attempt_id=attempt.pk, position=1, raw_choice=0, when=now - timedelta(days=1))
    exam_services.exam_finish(attempt_id=attempt.pk, when=now - timedelta(days=1))
    return {"practice": practice, "attempt": attempt, "exam": exam, "student": student}


def log_in(page, username):
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/")


def pages_for(role: str, data: dict) -> list[str]:
    if role == "visitor":
        return ["/", reverse("practice"), reverse("lab_index"),
                reverse("lab_scenario", args=["conv-window"]) + "?kernel_size=3&stride=2&padding=1&seed=7",
                reverse("lab_scenario", args=["training-iteration"]), reverse("login"), reverse("signup"),
                reverse("password_reset"), "/no-such-page/"]
    if role == "student":
        attempt = data["attempt"]
        return ["/", reverse("practice_result", args=[data["practice"].pk]), reverse("exam_list"),
                reverse("exam_detail", args=[data["exam"].slug]), reverse("attempt_result", args=[attempt.pk]),
                reverse("review"), reverse("progress"), reverse("password_change")]
    if role == "author":
        return [reverse("preview_index"), reverse("preview_file", args=["questions/output-size/output-size-padded.md"])]
    student = data["student"]
    return [reverse("instructor_overview"), reverse("instructor_students"),
            reverse("instructor_student", args=[student.pk]), reverse("instructor_items"),
            reverse("instructor_item", args=["output-size-padded"]), reverse("instructor_exams"),
            reverse("instructor_exam", args=[data["exam"].slug]), reverse("instructor_cohorts")]


USERS = {"visitor": None, "student": "ada", "author": "ren", "instructor": "ines"}


@pytest.mark.parametrize("width_name", WIDTHS)
@pytest.mark.parametrize("role", USERS)
def test_every_page_has_no_serious_axe_violation_and_fits_a_phone(page, roles, role, width_name, screenshot):
    page.set_viewport_size({"width": WIDTHS[width_name], "height": 900})
    if USERS[role]:
        log_in(page, USERS[role])
    problems = []
    for index, url in enumerate(pages_for(role, roles)):
        page.goto(url)
        page.wait_for_load_state()
        problems += [f"{url}: {line}" for line in blocking_violations(page)]
        if width_name == "phone":
            problems += [f"{url}: wider than the phone, no scroll cue: {el}" for el in page.evaluate(OVERFLOW_SCRIPT)]
        screenshot(page, f"a11y-{role}-{width_name}-{index}")
    assert not problems, "\n".join(problems)


def test_an_open_exam_question_passes_axe_at_both_widths(page, roles, screenshot):
    exam = roles["exam"]
    log_in(page, "ada")
    attempt = exam_services.exam_start(user=roles["student"], exam=exam, when=timezone.now())
    problems = []
    for width_name, width in WIDTHS.items():
        page.set_viewport_size({"width": width, "height": 900})
        for url in (reverse("attempt_question", args=[attempt.pk, 1]), reverse("attempt_submit", args=[attempt.pk])):
            page.goto(url)
            page.wait_for_load_state()
            problems += [f"{width_name} {url}: {line}" for line in blocking_violations(page)]
            if width_name == "phone":
                problems += [f"{url}: {el}" for el in page.evaluate(OVERFLOW_SCRIPT)]
        screenshot(page, f"a11y-exam-{width_name}")
    page.goto(reverse("practice"))
    problems += [f"practice question: {line}" for line in blocking_violations(page)]
    assert not problems, "\n".join(problems)
