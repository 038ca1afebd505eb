"""Exam rules for one student: when they may start, how many attempts, how long, which way.

``rules_for(user=..., exam=..., when=...)`` gathers, in one place, what the instructor set:

- the window: the student's cohort's window if one of their cohorts has one (the one open now,
  else the next to open, else the last to close), otherwise the exam's window for everyone (no
  cohort), otherwise none (always open). An attempt ends at the latest when its window closes;
- the maximum number of attempts (``ExamRules.max_attempts``; open and finished attempts count);
- the time: the exam's time limit (from its content file) x the student's multiplier, rounded
  up to a whole minute, + their extra minutes (an accommodation for this exam wins over one for
  every exam);
- one way: a student cannot go back to a question before the furthest they opened.

Only the server decides: a start, an answer or a page view outside the rules raises
``ExamRefused`` or ``AnswerRefused`` with one of the messages below, whatever the request says.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.db.models import Q
from django.utils import timezone

from ..models import Accommodation, Exam, ExamAttempt, ExamRules, ExamWindow
from .responses import AnswerRefused

NOT_OPEN_YET = "This exam opens on {when}: it cannot be started before then."
CLOSED = "This exam closed on {when}: it can no longer be started."
NO_ATTEMPTS_LEFT = "You have used all {n} of your attempts at this exam."
ONE_WAY_BACK = "This exam is one way: you cannot go back to an earlier question."


class ExamRefused(Exception):
    """An exam could not be started; ``message`` says why and nothing changed."""

    def __init__(self, message: str, *, status: int = 403) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


def when_text(moment: datetime) -> str:
    return timezone.localtime(moment).strftime("%d %b %Y at %H:%M %Z")


@dataclass(frozen=True)
class StudentRules:
    """The rules that apply to one student at one exam."""

    exam: Exam
    window: ExamWindow | None
    max_attempts: int | None
    attempts_used: int
    one_way: bool
    time_multiplier: Decimal = Decimal(1)
    extra_minutes: int = 0

    @property
    def opens_at(self) -> datetime | None:
        return self.window.opens_at if self.window else None

    @property
    def closes_at(self) -> datetime | None:
        return self.window.closes_at if self.window else None

    @property
    def time_limit_minutes(self) -> int:
        return math.ceil(self.exam.time_limit_minutes * self.time_multiplier) + self.extra_minutes

    @property
    def has_extra_time(self) -> bool:
        return self.time_limit_minutes != self.exam.time_limit_minutes

    @property
    def attempts_left(self) -> int | None:
        return None if self.max_attempts is None else max(self.max_attempts - self.attempts_used, 0)

    def refusal(self, when: datetime) -> str | None:
        """Return why a new attempt cannot start at ``when``, or None."""
        if self.opens_at is not None and when < self.opens_at:
            return NOT_OPEN_YET.format(when=when_text(self.opens_at))
        if self.closes_at is not None and when >= self.closes_at:
            return CLOSED.format(when=when_text(self.closes_at))
        if self.max_attempts is not None and self.attempts_used >= self.max_attempts:
            return NO_ATTEMPTS_LEFT.format(n=self.max_attempts)
        return None

    def check_start(self, when: datetime) -> None:
        """Raise ``ExamRefused`` unless a new attempt may start at ``when``."""
        if (message := self.refusal(when)) is not None:
            raise ExamRefused(message)

    def deadline(self, start: datetime) -> datetime:
        """Return the deadline of an attempt started at ``start``: its time, cut at the window's close."""
        end = start + timedelta(minutes=self.time_limit_minutes)
        return min(end, self.closes_at) if self.closes_at is not None else end


def choose_window(windows: list[ExamWindow], when: datetime) -> ExamWindow | None:
    """Return the window open at ``when``, else the next to open, else the last to close."""
    def is_open(w):
        return (w.opens_at is None or w.opens_at <= when) and (w.closes_at is None or when < w.closes_at)

    open_now = [w for w in windows if is_open(w)]
    if open_now:
        return max(open_now, key=lambda w: (w.closes_at is None, w.closes_at or when))
    upcoming = [w for w in windows if w.opens_at is not None and w.opens_at > when]
    if upcoming:
        return min(upcoming, key=lambda w: w.opens_at)
    return max(windows, key=lambda w: w.closes_at or when, default=None)


def window_for(*, user, exam: Exam, when: datetime) -> ExamWindow | None:
    """Return the window that applies to ``user`` (see the module docstring; 1 query)."""
    windows = list(ExamWindow.objects.filter(exam=exam).filter(
        Q(cohort__isnull=True) | Q(cohort__members=user) if user.is_authenticated else Q(cohort__isnull=True)
    ).distinct())
    mine = [w for w in windows if w.cohort_id is not None]
    return choose_window(mine or [w for w in windows if w.cohort_id is None], when)


def accommodation_for(*, user, exam: Exam) -> Accommodation | None:
    """Return ``user``'s accommodation for ``exam`` (one for this exam wins over one for every exam)."""
    if not user.is_authenticated:
        return None
    found = list(Accommodation.objects.filter(Q(exam=exam) | Q(exam__isnull=True), user=user))
    return min(found, key=lambda a: a.exam_id is None, default=None)


def rules_for(*, user, exam: Exam, when: datetime) -> StudentRules:
    """Return the rules that apply to ``user`` at ``exam`` at ``when`` (4 queries)."""
    settings_row = ExamRules.objects.filter(exam=exam).first()
    accommodation = accommodation_for(user=user, exam=exam)
    used = ExamAttempt.objects.filter(user=user, exam=exam).count() if user.is_authenticated else 0
    return StudentRules(
        exam=exam, window=window_for(user=user, exam=exam, when=when),
        max_attempts=settings_row.max_attempts if settings_row else None, attempts_used=used,
        one_way=bool(settings_row and settings_row.one_way),
        time_multiplier=accommodation.time_multiplier if accommodation else Decimal(1),
        extra_minutes=accommodation.extra_minutes if accommodation else 0,
    )


def check_one_way(attempt: ExamAttempt, position: int) -> None:
    """Raise ``AnswerRefused`` if ``attempt`` is one way and ``position`` is before the furthest reached."""
    if attempt.one_way and position < attempt.furthest_position:
        raise AnswerRefused(ONE_WAY_BACK, status=409)


def reach(attempt: ExamAttempt, position: int) -> None:
    """Record that ``attempt`` reached ``position`` (one-way attempts only; never moves back)."""
    if attempt.one_way and position > attempt.furthest_position:
        ExamAttempt.objects.filter(pk=attempt.pk, furthest_position__lt=position).update(furthest_position=position)
        attempt.furthest_position = position


def exam_item_open(*, attempt: ExamAttempt, position: int) -> None:
    """Allow opening question ``position`` of ``attempt`` and record it; raise ``AnswerRefused``."""
    check_one_way(attempt, position)
    reach(attempt, position)
