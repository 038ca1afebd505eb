"""Grading locks the student's own rows only: a classmate is never kept waiting behind it.

On PostgreSQL, ``SELECT ... FOR UPDATE`` with joined tables locks the joined rows too. Grading
an exam used to lock the exam's row, and grading a practice answer its question's and version's
rows, so a class submitting one exam (or answering one question) at once was graded one
student after another. Each test holds one student's grading open after its lock and checks
that a classmate's grading of the same exam or question finishes meanwhile.

PostgreSQL only: SQLite has one writer at a time, whatever is locked.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from unittest import mock

import pytest
from django.db import connection, connections
from django.utils import timezone

from quizzes.models import Exam, Question, Response
from quizzes.services import exams as exam_services
from quizzes.services import responses as response_services

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks: PostgreSQL only"),
]
WAIT = 10
"""Seconds a test waits for a step that takes milliseconds when nothing blocks it."""


def in_thread(call: Callable[[], object], done: threading.Event) -> threading.Thread:
    def run() -> None:
        try:
            call()
            done.set()
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


class HeldGrading:
    """Patch ``module.name`` (called inside a grading transaction, after its lock) so that grading
    ``user_id``'s rows stops there until ``release`` is set."""

    def __init__(self, module, name: str, user_id: int) -> None:
        self.holding, self.release = threading.Event(), threading.Event()
        real = getattr(module, name)

        def wait_then_run(items, *args, **kwargs):
            if items and items[0].user_id == user_id:
                self.holding.set()
                self.release.wait(WAIT)
            return real(items, *args, **kwargs)

        self.patch = mock.patch.object(module, name, wait_then_run)


def classmate_finishes_meanwhile(first: Callable[[], object], second: Callable[[], object],
                                 held: HeldGrading) -> bool:
    """Run ``first`` until it holds its lock, then ``second``; return whether ``second`` finished
    while ``first`` was still holding it (both finish in the end)."""
    first_done, second_done = threading.Event(), threading.Event()
    with held.patch:
        threads = [in_thread(first, first_done)]
        try:
            assert held.holding.wait(WAIT), "the first grading never reached its lock"
            threads.append(in_thread(second, second_done))
            finished = second_done.wait(5)
        finally:
            held.release.set()
            for thread in threads:
                thread.join(WAIT)
    assert first_done.is_set() and second_done.is_set()
    return finished


def test_a_classmate_submitting_the_same_exam_is_not_kept_waiting(synced, student, django_user_model):
    exam, now = Exam.objects.get(slug="tiny-exam"), timezone.now()
    classmate = django_user_model.objects.create_user("classmate", password="pw-long-enough-2")
    mine = exam_services.exam_start(user=student, exam=exam, when=now)
    theirs = exam_services.exam_start(user=classmate, exam=exam, when=now)

    assert classmate_finishes_meanwhile(
        lambda: exam_services.exam_finish(attempt_id=mine.pk, when=timezone.now()),
        lambda: exam_services.exam_finish(attempt_id=theirs.pk, when=timezone.now()),
        HeldGrading(exam_services.regrading, "apply_rules_to", student.pk))
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert mine.finished_at is not None and theirs.finished_at is not None


def test_a_classmate_answering_the_same_practice_question_is_not_kept_waiting(synced, student, django_user_model):
    question, now = Question.objects.select_related("current_version").order_by("pk").first(), timezone.now()
    classmate = django_user_model.objects.create_user("classmate", password="pw-long-enough-2")
    mine, theirs = (response_services.response_create(user=user, question=question, mode=Response.Mode.PRACTICE,
                                                      when=now) for user in (student, classmate))

    def answer(response: Response, user) -> Callable[[], object]:
        return lambda: response_services.response_answer(response_id=response.pk, user=user,
                                                         raw_choice=response.correct_position, when=timezone.now())

    assert classmate_finishes_meanwhile(answer(mine, student), answer(theirs, classmate),
                                        HeldGrading(response_services, "apply_rules_to", student.pk))
    assert Response.objects.filter(pk__in=[mine.pk, theirs.pk], answered_at__isnull=False).count() == 2
