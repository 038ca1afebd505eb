"""Finish and grade the attempts whose deadline passed while their student was away.

An attempt is otherwise finished only when its student comes back; until then it has no score
and is missing from exports and statistics. ``grade_overdue_attempts`` runs from cron (the
``grade_overdue_attempts`` command) and on every instructor page load.
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction

from ..models import ExamAttempt
from .exams import exam_finish


def overdue_attempt_ids(*, when: datetime) -> list[int]:
    """Return the ids of open attempts whose deadline is at or before ``when`` (1 query)."""
    return list(ExamAttempt.objects.filter(finished_at__isnull=True, deadline__lte=when)
                .order_by("deadline").values_list("pk", flat=True))


def grade_overdue_attempts(*, when: datetime) -> list[int]:
    """Finish (timed out, at its deadline) and grade every overdue attempt; return the ids graded.

    Idempotent and safe beside itself or a student's own submit: ``exam_finish`` locks the
    attempt and grades it only if it is still open, so an attempt is graded exactly once.
    """
    graded = []
    for attempt_id in overdue_attempt_ids(when=when):
        with transaction.atomic():
            still_open = (ExamAttempt.objects.select_for_update()
                          .filter(pk=attempt_id, finished_at__isnull=True).exists())
            if still_open:
                exam_finish(attempt_id=attempt_id, when=when, timed_out=True)
                graded.append(attempt_id)
    return graded
