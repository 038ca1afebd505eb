"""An instructor ends or extends a student's open exam attempt."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction

from ..models import ExamAttempt
from .exams import attempt_expire_if_due, exam_finish

ATTEMPT_NOT_OPEN = "This attempt is already finished: it cannot be ended or extended."
BAD_EXTENSION = "Extend by a whole number of minutes from 1 to {most}."
MOST_MINUTES = 600


class ControlRefused(Exception):
    """The instructor's action was not done; ``message`` says why."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _open(attempt_id: int, when: datetime) -> ExamAttempt:
    """Return the attempt, locked, if it is still open (call ``_expire`` first, outside the transaction)."""
    attempt = ExamAttempt.objects.select_for_update().get(pk=attempt_id)
    if attempt.finished_at is not None or when >= attempt.deadline:
        raise ControlRefused(ATTEMPT_NOT_OPEN)
    return attempt


def _expire(attempt_id: int, when: datetime) -> None:
    """Grade the attempt as timed out if its deadline has passed (kept even if the action is refused)."""
    attempt_expire_if_due(ExamAttempt.objects.get(pk=attempt_id), when=when)


def attempt_extend(*, attempt_id: int, minutes: object, by, when: datetime) -> ExamAttempt:
    """Move an open attempt's deadline ``minutes`` later; raise ``ControlRefused``."""
    try:
        minutes = int(str(minutes))
    except ValueError:
        raise ControlRefused(BAD_EXTENSION.format(most=MOST_MINUTES)) from None
    if not 1 <= minutes <= MOST_MINUTES:
        raise ControlRefused(BAD_EXTENSION.format(most=MOST_MINUTES))
    _expire(attempt_id, when)
    with transaction.atomic():
        attempt = _open(attempt_id, when)
        attempt.deadline += timedelta(minutes=minutes)
        attempt.extended_minutes += minutes
        attempt.save(update_fields=["deadline", "extended_minutes"])
    return attempt


def attempt_end(*, attempt_id: int, by, when: datetime) -> ExamAttempt:
    """Finish and grade an open attempt now, recording who ended it; raise ``ControlRefused``."""
    _expire(attempt_id, when)
    with transaction.atomic():
        _open(attempt_id, when)
        attempt = exam_finish(attempt_id=attempt_id, when=when)
        attempt.ended_by = by
        attempt.save(update_fields=["ended_by"])
    return attempt
