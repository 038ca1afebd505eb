"""Exam question time is the sum of the visits to it, so coming back never counts the questions in between."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from quizzes.analytics import items
from quizzes.analytics.scope import Scope
from quizzes.models import Exam, Response
from quizzes.services import exams as exam_services

pytestmark = pytest.mark.django_db


def at(t0, seconds):
    return t0 + timedelta(seconds=seconds)


def view(attempt, position, when):
    item = attempt.responses.get(position=position)
    exam_services.exam_item_viewed(item=item, when=when)


def right_choice(attempt, position) -> str:
    return str(attempt.responses.get(position=position).correct_position)


def test_a_revisited_question_is_timed_as_the_sum_of_its_visits(synced, student):
    t0 = timezone.now() - timedelta(minutes=3)
    attempt = exam_services.exam_start(user=student, exam=Exam.objects.get(slug="tiny-exam"), when=t0)
    view(attempt, 1, t0)                                                          # visit 1 of q1: 0 .. 30 s
    exam_services.exam_answer(attempt_id=attempt.pk, position=1, raw_choice=right_choice(attempt, 1),
                              when=at(t0, 20))
    view(attempt, 2, at(t0, 30))                                                  # q2: 30 .. 100 s
    exam_services.exam_answer(attempt_id=attempt.pk, position=2, raw_choice=right_choice(attempt, 2),
                              when=at(t0, 60))
    view(attempt, 1, at(t0, 100))                                                 # visit 2 of q1: 100 .. 130 s
    view(attempt, 1, at(t0, 105))                                                 # a reload continues it
    exam_services.exam_answer(attempt_id=attempt.pk, position=1, raw_choice=right_choice(attempt, 1),
                              when=at(t0, 110))
    exam_services.exam_finish(attempt_id=attempt.pk, when=at(t0, 130))
    spent = dict(attempt.responses.values_list("position", "seconds_spent"))
    assert spent == {1: pytest.approx(60), 2: pytest.approx(70)}
    assert not attempt.responses.filter(visit_started_at__isnull=False).exists()
    stats = {item.question_id: item for item in items.item_stats(Scope())}
    first = attempt.responses.get(position=1)
    assert stats[first.question_id].median_seconds == 60  # not 110 = last answer - first opening
    assert stats[first.question_id].timed == 1


def test_answering_another_question_ends_the_visit(synced, student):
    t0 = timezone.now() - timedelta(minutes=3)
    attempt = exam_services.exam_start(user=student, exam=Exam.objects.get(slug="tiny-exam"), when=t0)
    view(attempt, 1, t0)
    exam_services.exam_answer(attempt_id=attempt.pk, position=2, raw_choice="0", when=at(t0, 15))  # another tab
    assert attempt.responses.get(position=1).seconds_spent == pytest.approx(15)
    exam_services.exam_finish(attempt_id=attempt.pk, when=at(t0, 50))
    assert attempt.responses.get(position=2).seconds_spent is None  # never opened: not timed


def test_a_timed_out_attempt_ends_the_visit_at_the_deadline(synced, student):
    t0 = timezone.now() - timedelta(minutes=30)
    attempt = exam_services.exam_start(user=student, exam=Exam.objects.get(slug="tiny-exam"), when=t0)
    view(attempt, 2, at(t0, 60))
    exam_services.attempt_expire_if_due(attempt, when=timezone.now())
    assert attempt.responses.get(position=2).seconds_spent == pytest.approx(4 * 60)  # a 5-minute exam


def test_the_question_page_starts_a_visit(client, synced, student):
    client.force_login(student)
    client.post(reverse("exam_start", args=["tiny-exam"]))
    attempt = student.exam_attempts.get()
    client.get(reverse("attempt_question", args=[attempt.pk, 2]))
    assert Response.objects.get(exam_attempt=attempt, position=2).visit_started_at is not None
    client.get(reverse("attempt_question", args=[attempt.pk, 1]))
    second = Response.objects.get(exam_attempt=attempt, position=2)
    assert second.visit_started_at is None and second.seconds_spent is not None
