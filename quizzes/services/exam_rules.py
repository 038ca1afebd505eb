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

from django.db.models import Count, F, OuterRef, Q, Subquery
from django.utils import timezone

from ..models import Accommodation, Exam, ExamAttempt, ExamRules, ExamWindow
from ..selectors.compiled import CompiledRead, Shape
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


_STUDENT_SETTINGS = CompiledRead(
    lambda p: Exam.objects.filter(pk=p.exam_id).order_by().values_list(
        *(Subquery(ExamRules.objects.filter(exam_id=OuterRef("pk")).values(field))
          for field in ("max_attempts", "one_way")),
        Subquery(ExamAttempt.objects.filter(exam_id=OuterRef("pk"), user_id=p.user_id).order_by()
                 .values("exam_id").annotate(n=Count("pk")).values("n")),
        # an accommodation for this exam wins over one for every exam (exam_id NULL sorts last)
        *(Subquery(Accommodation.objects.filter(Q(exam_id=OuterRef("pk")) | Q(exam__isnull=True), user_id=p.user_id)
                   .order_by(F("exam_id").asc(nulls_last=True)).values(field)[:1])
          for field in ("time_multiplier", "extra_minutes")),
    ),
    params=("exam_id", "user_id"))
_STUDENT_WINDOWS = CompiledRead(
    lambda p: ExamWindow.objects.filter(Q(cohort__isnull=True) | Q(cohort__members=p.user_id),
                                        exam_id=p.exam_id).distinct(),
    params=("exam_id", "user_id"), shape=Shape(ExamWindow))
"""``rules_for``'s reads, compiled once (``selectors.compiled``): starting an exam is one of the
requests a class sends at once. Two round trips: the settings, then the windows."""


def window_for(*, user, exam: Exam, when: datetime) -> ExamWindow | None:
    """Return the window that applies to ``user`` (see the module docstring; 1 query)."""
    windows = (_STUDENT_WINDOWS.instances(exam_id=exam.pk, user_id=user.pk) if user.is_authenticated
               else list(ExamWindow.objects.filter(exam=exam, cohort__isnull=True)))
    mine = [w for w in windows if w.cohort_id is not None]
    return choose_window(mine or [w for w in windows if w.cohort_id is None], when)


def rules_for(*, user, exam: Exam, when: datetime) -> StudentRules:
    """Return the rules that apply to ``user`` at ``exam`` at ``when`` (2 queries)."""
    max_attempts, one_way, used, multiplier, extra = (
        _STUDENT_SETTINGS.first(exam_id=exam.pk, user_id=user.pk if user.is_authenticated else 0)
        or (None, False, 0, None, None))
    return StudentRules(
        exam=exam, window=window_for(user=user, exam=exam, when=when),
        max_attempts=max_attempts, attempts_used=used or 0, one_way=bool(one_way),
        time_multiplier=multiplier if multiplier is not None else Decimal(1), extra_minutes=extra or 0,
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
