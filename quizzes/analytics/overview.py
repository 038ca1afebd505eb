"""The instructor overview: who is active, how much they answer, which topics are weak, exam results.

- active students: students in scope with an answer in the last ``ACTIVE_DAYS`` days;
- answers per day (and right ones) over the last ``DAYS`` days, from every answered response;
- per topic: final answers (practice, review, finished exams), the share right and how many
  students answered; weakest (lowest share right) first;
- per exam: its statistics (``exam_stats``): attempts, students, mean percentage, pass rate.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Count, DateTimeField, F, IntegerField, Q, Value
from django.db.models.functions import Cast, Floor
from django.utils import timezone

from ..models import Exam, Topic
from . import formulas
from .exam_stats import ExamStats, exam_statistics
from .scope import Scope, activity, answers, finished_attempts, students
from .sql import SecondsBetween

ACTIVE_DAYS = 7
DAYS = 30


@dataclass(frozen=True)
class TopicSummary:
    slug: str
    title: str
    answers: int
    correct: int
    students: int

    @property
    def share(self) -> float | None:
        return formulas.mean(self.correct, self.answers)

    @property
    def percent(self) -> int | None:
        return formulas.percent(self.share)


@dataclass(frozen=True)
class Overview:
    students: int
    active: int
    answers_per_day: list[tuple[date, int, int]]
    topics: list[TopicSummary]
    exams: list[ExamStats]

    @property
    def exam_attempts(self) -> int:
        return sum(exam.attempts for exam in self.exams)

    @property
    def exam_pass_percent(self) -> int | None:
        return formulas.percent(formulas.mean(sum(exam.passed for exam in self.exams), self.exam_attempts))


def answers_per_day(scope: Scope, *, today: date, days: int = DAYS) -> list[tuple[date, int, int]]:
    """Return (day, answers, right) for each of the last ``days`` days, oldest first (1 query).

    A day is the 24 hours from a local midnight: the database counts answers by
    floor((answered_at - first midnight) / 86400 s), which compares timestamps directly instead
    of converting every row's timestamp to a local date.
    """
    start = today - timedelta(days=days - 1)
    midnight = timezone.make_aware(datetime.combine(start, time.min))
    day_index = Floor(SecondsBetween(Value(midnight, output_field=DateTimeField()), F("answered_at")) / 86400.0)
    rows = (activity(scope).filter(answered_at__gte=midnight).order_by()
            .annotate(day=Cast(day_index, IntegerField())).values("day")
            .annotate(n=Count("pk"), right=Count("pk", filter=Q(is_correct=True))))
    by_day = {row["day"]: (row["n"], row["right"]) for row in rows}
    return [(start + timedelta(n), *by_day.get(n, (0, 0))) for n in range(days)]


def topic_summaries(scope: Scope) -> list[TopicSummary]:
    """Return every topic's final answers, share right and students, weakest first (2 queries)."""
    rows = (answers(scope).order_by().values("question__topic_id")
            .annotate(n=Count("pk"), right=Count("pk", filter=Q(is_correct=True)),
                      people=Count("user_id", distinct=True)))
    by_topic = {row["question__topic_id"]: row for row in rows}
    summaries = [
        TopicSummary(topic.slug, topic.title, by_topic.get(topic.pk, {}).get("n", 0),
                     by_topic.get(topic.pk, {}).get("right", 0), by_topic.get(topic.pk, {}).get("people", 0))
        for topic in Topic.objects.order_by("order")
    ]
    answered = sorted((s for s in summaries if s.answers), key=lambda s: (s.share, s.title))
    return answered + [s for s in summaries if not s.answers]


def exam_summaries(scope: Scope) -> list[ExamStats]:
    """Return the statistics of every active exam, and of retired ones with attempts in scope."""
    taken = set(finished_attempts(scope).order_by().values_list("exam_id", flat=True).distinct())
    exams = Exam.objects.filter(Q(retired_at__isnull=True) | Q(pk__in=taken)).order_by("title")
    return [exam_statistics(scope, exam) for exam in exams]


def overview(scope: Scope, *, now: datetime, today: date) -> Overview:
    """Return the overview of ``scope`` (5 queries, and 4 per exam)."""
    active = (activity(scope).filter(answered_at__gte=now - timedelta(days=ACTIVE_DAYS))
              .aggregate(n=Count("user_id", distinct=True))["n"])
    return Overview(students=students(scope).count(), active=active,
                    answers_per_day=answers_per_day(scope, today=today), topics=topic_summaries(scope),
                    exams=exam_summaries(scope))
