"""Nothing of an open exam attempt counts anywhere a student can see (no leak of right answers)."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from quizzes.models import ExamAttempt
from quizzes.selectors import progress

pytestmark = pytest.mark.django_db


def _main(html: str) -> str:
    """Return the page's <main>, without the CSRF token (it changes per request)."""
    main = html.split("<main", 1)[1].split("</main>", 1)[0]
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", main)


def _answer_all(client, attempt, *, correct: bool):
    for item in attempt.responses.all():
        choice = item.correct_position if correct else (item.correct_position + 1) % len(item.choice_texts)
        client.post(reverse("attempt_answer", args=[attempt.pk, item.position]), {"choice": choice})


@pytest.mark.parametrize("page", ["progress", "home", "exam_list", "review"])
def test_pages_look_the_same_whether_open_exam_answers_are_right_or_wrong(client, synced, student, page):
    client.force_login(student)
    client.post(reverse("exam_start", args=["tiny-exam"]))
    attempt = ExamAttempt.objects.get(user=student)
    _answer_all(client, attempt, correct=True)
    right = _main(client.get(reverse(page)).content.decode())
    _answer_all(client, attempt, correct=False)
    wrong = _main(client.get(reverse(page)).content.decode())
    assert right == wrong


def test_activity_counts_an_exam_only_once_it_is_finished(client, synced, student):
    client.force_login(student)
    client.post(reverse("exam_start", args=["tiny-exam"]))
    attempt = ExamAttempt.objects.get(user=student)
    _answer_all(client, attempt, correct=True)
    today = timezone.localdate()
    assert sum(answers for _, answers, _ in progress.activity_by_day(student, today=today)) == 0
    assert all(m.answered == 0 for m in progress.mastery_by_topic(student))
    client.post(reverse("attempt_submit", args=[attempt.pk]))
    activity = progress.activity_by_day(student, today=today)
    assert activity[-1][1:] == (attempt.total, attempt.total)
    assert sum(m.answered for m in progress.mastery_by_topic(student)) == attempt.total
