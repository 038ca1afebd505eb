"""Instructors write the exam rules: attempts and navigation, windows, accommodations."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction

from ..models import Accommodation, Exam, ExamRules, ExamWindow


def rules_save(*, exam: Exam, max_attempts: int | None, one_way: bool, by) -> ExamRules:
    """Set ``exam``'s maximum attempts and one-way mode (attempts already started keep their mode)."""
    rules, _ = ExamRules.objects.update_or_create(
        exam=exam, defaults={"max_attempts": max_attempts, "one_way": one_way, "updated_by": by})
    return rules


def window_add(*, exam: Exam, cohort, opens_at, closes_at) -> ExamWindow:
    return ExamWindow.objects.create(exam=exam, cohort=cohort, opens_at=opens_at, closes_at=closes_at)


def window_delete(*, exam: Exam, window_id: int) -> int:
    return ExamWindow.objects.filter(exam=exam, pk=window_id).delete()[0]


@transaction.atomic
def accommodation_save(*, user, exam: Exam | None, time_multiplier: Decimal, extra_minutes: int,
                       note: str = "") -> Accommodation:
    """Give ``user`` extra time on ``exam`` (None: every exam), replacing what they had there."""
    accommodation, _ = Accommodation.objects.update_or_create(
        user=user, exam=exam, defaults={"time_multiplier": time_multiplier, "extra_minutes": extra_minutes,
                                        "note": note})
    return accommodation


def accommodation_delete(*, accommodation_id: int) -> int:
    return Accommodation.objects.filter(pk=accommodation_id).delete()[0]
