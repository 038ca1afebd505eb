"""Exams: start (questions drawn once), answer and flag while open, finish and grade once.

The time limit is enforced here, on the server: an answer after the deadline is refused, and
an attempt past its deadline is finished and graded the next time anything touches it.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction

from ..lti.grades import post_attempt_grade
from ..models import Exam, ExamAttempt, Response
from ..selectors.questions import published_questions
from .responses import (
    ATTEMPT_FINISHED,
    DEADLINE_PASSED,
    NOT_IN_ATTEMPT,
    AnswerRefused,
    finalise,
    parse_position,
    show_question,
)

EXAM_UNAVAILABLE = "This exam cannot be started: the question bank does not have enough questions for it."


class ExamUnavailable(Exception):
    """The bank cannot fill the exam's sections."""


def draw_questions(exam: Exam, rng: random.Random) -> list:
    """Return the exam's questions: each section draws ``count`` distinct questions."""
    chosen: list = []
    for section in exam.sections:
        pool = published_questions().filter(topic__slug__in=section["topics"]).select_related("current_version")
        if section.get("difficulty"):
            pool = pool.filter(difficulty__in=section["difficulty"])
        available = [q for q in pool.order_by("pk") if q.pk not in {c.pk for c in chosen}]
        if len(available) < section["count"]:
            raise ExamUnavailable(EXAM_UNAVAILABLE)
        chosen += rng.sample(available, section["count"])
    return chosen


def open_attempt(*, user, exam: Exam) -> ExamAttempt | None:
    return ExamAttempt.objects.filter(user=user, exam=exam, finished_at__isnull=True).first()


def exam_start(*, user, exam: Exam, when: datetime) -> ExamAttempt:
    """Return ``user``'s open attempt at ``exam``, or start one (one open attempt per exam)."""
    existing = open_attempt(user=user, exam=exam)
    if existing is not None and not attempt_expire_if_due(existing, when=when):
        return existing
    questions = draw_questions(exam, random.Random())
    try:
        with transaction.atomic():
            attempt = ExamAttempt.objects.create(
                user=user, exam=exam, started_at=when, total=len(questions),
                deadline=when + timedelta(minutes=exam.time_limit_minutes),
            )
            Response.objects.bulk_create([
                Response(user=user, question=question, mode=Response.Mode.EXAM, shown_at=when,
                         exam_attempt=attempt, position=position, **show_question(question).as_fields())
                for position, question in enumerate(questions, start=1)
            ])
    except IntegrityError:  # a concurrent request started it first
        return open_attempt(user=user, exam=exam)
    return attempt


def attempt_expire_if_due(attempt: ExamAttempt, *, when: datetime) -> bool:
    """Finish ``attempt`` as timed out if its deadline has passed; return whether it is finished."""
    if attempt.finished_at is None and when >= attempt.deadline:
        exam_finish(attempt_id=attempt.pk, when=attempt.deadline, timed_out=True)
        attempt.refresh_from_db()
    return attempt.finished_at is not None


def exam_item_viewed(*, item: Response, when: datetime) -> None:
    """Record when the student first opened this exam question (for the time it took)."""
    if item.viewed_at is None:
        Response.objects.filter(pk=item.pk, viewed_at__isnull=True).update(viewed_at=when)


def _open_item(attempt_id: int, position: object, when: datetime) -> Response:
    attempt = ExamAttempt.objects.select_for_update().get(pk=attempt_id)
    if attempt.finished_at is not None:
        raise AnswerRefused(ATTEMPT_FINISHED, status=409)
    if when >= attempt.deadline:
        raise AnswerRefused(DEADLINE_PASSED, status=409)
    try:
        return attempt.responses.get(position=int(str(position)))
    except (ValueError, Response.DoesNotExist):
        raise AnswerRefused(NOT_IN_ATTEMPT) from None


@transaction.atomic
def exam_answer(*, attempt_id: int, position: object, raw_choice: object, when: datetime) -> Response:
    """Save (or change) the answer at ``position`` of an open attempt; raise ``AnswerRefused``."""
    item = _open_item(attempt_id, position, when)
    item.chosen_position = parse_position(raw_choice, len(item.choice_texts))
    item.is_correct = item.chosen_position == item.correct_position
    item.answered_at = when
    item.save(update_fields=["chosen_position", "is_correct", "answered_at"])
    return item


@transaction.atomic
def exam_flag(*, attempt_id: int, position: object, flagged: bool, when: datetime) -> Response:
    """Flag (or unflag) a question of an open attempt for review before submitting."""
    item = _open_item(attempt_id, position, when)
    item.flagged = flagged
    item.save(update_fields=["flagged"])
    return item


@transaction.atomic
def exam_finish(*, attempt_id: int, when: datetime, timed_out: bool = False) -> ExamAttempt:
    """Grade and close an attempt once; finishing a finished attempt changes nothing."""
    attempt = ExamAttempt.objects.select_for_update().select_related("exam").get(pk=attempt_id)
    if attempt.finished_at is not None:
        return attempt
    finished_at = min(when, attempt.deadline)
    items = list(attempt.responses.select_related("question", "user"))
    attempt.score = sum(1 for item in items if item.is_correct)
    attempt.passed = 100 * attempt.score >= attempt.exam.pass_mark * max(attempt.total, 1)
    attempt.finished_at = finished_at
    attempt.timed_out = timed_out
    attempt.save(update_fields=["score", "passed", "finished_at", "timed_out"])
    for item in items:
        if item.answered_at is None:
            item.is_correct = False
            item.save(update_fields=["is_correct"])
        finalise(item, when=finished_at)
    post_attempt_grade(attempt.pk)  # to the LMS gradebook, if the exam was launched from one (LTI)
    return attempt
