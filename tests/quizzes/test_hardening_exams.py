"""Exams under pressure: answers saved by htmx after the time is up, two starts at once."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from quizzes.models import Exam, ExamAttempt
from quizzes.services import exams as exam_services
from quizzes.services.responses import ATTEMPT_FINISHED, DEADLINE_PASSED, NOT_A_CHOICE

pytestmark = pytest.mark.django_db


@pytest.fixture
def attempt(client, student, synced) -> ExamAttempt:
    client.force_login(student)
    client.post(reverse("exam_start", args=["tiny-exam"]))
    return ExamAttempt.objects.get()


def htmx_answer(client, attempt, position=1, choice=0):
    return client.post(reverse("attempt_answer", args=[attempt.pk, position]), {"choice": choice},
                       HTTP_HX_REQUEST="true")


def test_an_htmx_answer_after_the_deadline_sends_the_page_to_the_results(client, attempt):
    ExamAttempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() - timedelta(seconds=1))
    late = htmx_answer(client, attempt)
    # htmx does not swap a 4xx body into the page, so the message alone would never be seen
    assert late.status_code == 409 and ATTEMPT_FINISHED in late.content.decode()
    assert late["HX-Redirect"] == reverse("attempt_result", args=[attempt.pk])
    assert attempt.responses.get(position=1).answered_at is None


def test_an_htmx_answer_to_a_submitted_exam_sends_the_page_to_the_results(client, attempt):
    client.post(reverse("attempt_submit", args=[attempt.pk]))
    late = htmx_answer(client, attempt)
    assert late.status_code == 409 and late["HX-Redirect"] == reverse("attempt_result", args=[attempt.pk])


def test_an_htmx_answer_that_races_the_deadline_sends_the_page_to_the_results(client, attempt, monkeypatch):
    def refuse(**kwargs):
        raise exam_services.AnswerRefused(DEADLINE_PASSED, status=409)

    monkeypatch.setattr(exam_services, "exam_answer", refuse)  # the deadline passed inside the request
    late = htmx_answer(client, attempt)
    assert late.status_code == 409 and late["HX-Redirect"] == reverse("attempt_result", args=[attempt.pk])


def test_an_htmx_answer_that_is_not_a_choice_stays_on_the_question(client, attempt):
    bad = htmx_answer(client, attempt, choice=9)
    assert bad.status_code == 400 and NOT_A_CHOICE in bad.content.decode()
    assert "HX-Redirect" not in bad


def test_a_typed_number_to_a_choice_question_is_not_a_choice(client, attempt):
    item = attempt.responses.get(position=1)
    bad = client.post(reverse("attempt_answer", args=[attempt.pk, 1]), {"answer": "0.5"}, HTTP_HX_REQUEST="true")
    assert bad.status_code == 400 and "HX-Redirect" not in bad
    item.refresh_from_db()
    assert item.answered_at is None and item.answer_text == ""


def test_a_start_that_loses_the_race_for_the_open_attempt_resumes_the_winner(synced, student, monkeypatch):
    exam = Exam.objects.get()
    winner = exam_services.exam_start(user=student, exam=exam, when=timezone.now())
    seen = []
    real_open_attempt = exam_services.open_attempt

    def not_yet_committed(**kwargs):  # the first look happens before the winner commits
        seen.append(kwargs)
        return None if len(seen) == 1 else real_open_attempt(**kwargs)

    monkeypatch.setattr(exam_services, "open_attempt", not_yet_committed)
    loser = exam_services.exam_start(user=student, exam=exam, when=timezone.now())
    assert loser.pk == winner.pk
    assert ExamAttempt.objects.filter(user=student).count() == 1 and winner.responses.count() == 2
