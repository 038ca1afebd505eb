"""What a dashboard looks at: which students, which answers, which exam attempts.

- Students are the non-staff users (instructors trying questions do not count), optionally only
  the members of one cohort.
- A *final answer* is a graded response: a practice or review answer, or an answer of a finished
  exam (an exam question left blank counts as wrong). Answers of exams still in progress can
  change, so they never count.
- *First attempts* (the default of item analysis): each student's first final answer to each
  question (``Response.is_first_attempt``); for exam statistics and discrimination, each
  student's first finished attempt at each exam, as Moodle's "first attempts" means.
- With ``exam`` set, answers are only those of that exam's finished attempts (first or all).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Q, QuerySet

from ..models import Cohort, Exam, ExamAttempt, Response

FIRST = "first"
ALL = "all"


@dataclass(frozen=True)
class Scope:
    """A dashboard's filter: a cohort (None: every student), first or all attempts, one exam."""

    cohort: Cohort | None = None
    first_only: bool = True
    exam: Exam | None = None


def students(scope: Scope) -> QuerySet:
    """Return the students in ``scope``: non-staff users, of the cohort if one is chosen."""
    users = get_user_model().objects.filter(is_staff=False)
    if scope.cohort is not None:
        users = users.filter(cohorts=scope.cohort)
    return users


def finished_attempts(scope: Scope) -> QuerySet:
    """Return the finished exam attempts in ``scope`` (only each student's first per exam if first_only)."""
    attempts = ExamAttempt.objects.filter(finished_at__isnull=False, user__in=students(scope).values("pk"))
    if scope.exam is not None:
        attempts = attempts.filter(exam=scope.exam)
    if scope.first_only:
        earlier = ExamAttempt.objects.filter(
            Q(started_at__lt=OuterRef("started_at")) | Q(started_at=OuterRef("started_at"), pk__lt=OuterRef("pk")),
            user=OuterRef("user"), exam=OuterRef("exam"), finished_at__isnull=False,
        )
        attempts = attempts.exclude(Exists(earlier))
    return attempts


def exam_answers(scope: Scope) -> QuerySet:
    """Return the answers of the finished exam attempts in ``scope``."""
    return Response.objects.filter(exam_attempt__in=finished_attempts(scope).values("pk"))


def answers(scope: Scope) -> QuerySet:
    """Return the final answers in ``scope`` (see the module docstring)."""
    if scope.exam is not None:
        return exam_answers(scope)
    rows = Response.objects.filter(user__in=students(scope).values("pk"), is_correct__isnull=False)
    if scope.first_only:
        return rows.filter(is_first_attempt=True)
    open_attempts = ExamAttempt.objects.filter(finished_at__isnull=True).values("pk")
    return rows.exclude(exam_attempt__in=open_attempts)


def activity(scope: Scope) -> QuerySet:
    """Return every answered response of the students in ``scope`` (for activity over time)."""
    return Response.objects.filter(user__in=students(scope).values("pk"), answered_at__isnull=False)
