"""A student's progress: mastery per topic, activity per day, exam history, what is due."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import Count, Q
from django.db.models.functions import TruncDate

from ..models import ExamAttempt, Response, ReviewCard, Topic

RECENT_ANSWERS_PER_TOPIC = 20
RECENT_ANSWERS_SCANNED = 1000
ACTIVITY_DAYS = 30


@dataclass(frozen=True)
class TopicMastery:
    slug: str
    title: str
    answered: int
    correct: int

    @property
    def percent(self) -> int | None:
        """Share of the recent answers that were right; None before any answer."""
        return round(100 * self.correct / self.answered) if self.answered else None


def settled_responses(user):
    """Return ``user``'s responses a student may see counted: none of an exam attempt still open.

    An open attempt's answers are graded only when it finishes; counting them earlier (answers,
    right ones, per day or per topic) would tell the student which saved choice is right.
    """
    return (Response.objects.filter(user=user)
            .exclude(mode=Response.Mode.EXAM, exam_attempt__finished_at__isnull=True))


def mastery_by_topic(user) -> list[TopicMastery]:
    """Return every topic with the share right of ``user``'s last answers in it (2 queries)."""
    recent = (settled_responses(user).filter(is_correct__isnull=False)
              .order_by("-shown_at").values_list("question__topic_id", "is_correct")[:RECENT_ANSWERS_SCANNED])
    per_topic: dict[int, list[bool]] = defaultdict(list)
    for topic_id, correct in recent:
        if len(per_topic[topic_id]) < RECENT_ANSWERS_PER_TOPIC:
            per_topic[topic_id].append(correct)
    return [
        TopicMastery(topic.slug, topic.title, len(per_topic[topic.pk]), sum(per_topic[topic.pk]))
        for topic in Topic.objects.order_by("order")
    ]


def weakest_topics(mastery: list[TopicMastery], count: int = 3) -> list[TopicMastery]:
    """Return the answered topics with the lowest mastery, weakest first."""
    answered = [m for m in mastery if m.answered]
    return sorted(answered, key=lambda m: (m.percent, -m.answered))[:count]


def activity_by_day(user, *, today: date, days: int = ACTIVITY_DAYS) -> list[tuple[date, int, int]]:
    """Return (day, answers, correct) for each of the last ``days`` days, oldest first (1 query)."""
    start = today - timedelta(days=days - 1)
    rows = (settled_responses(user).filter(answered_at__date__gte=start)
            .annotate(day=TruncDate("answered_at")).values("day")
            .annotate(answers=Count("pk"), correct=Count("pk", filter=Q(is_correct=True))))
    by_day = {row["day"]: (row["answers"], row["correct"]) for row in rows}
    return [(day, *by_day.get(day, (0, 0))) for day in (start + timedelta(n) for n in range(days))]


def exam_history(user) -> list[ExamAttempt]:
    """Return ``user``'s exam attempts, newest first, with their exams."""
    return list(ExamAttempt.objects.filter(user=user).select_related("exam").order_by("-started_at"))


def due_reviews(user, *, now: datetime):
    """Return ``user``'s review cards due by ``now``, most overdue first."""
    return ReviewCard.objects.filter(user=user, due__lte=now).order_by("due")


def due_count(user, *, now: datetime) -> int:
    return due_reviews(user, now=now).count() if user.is_authenticated else 0


def next_review_at(user) -> datetime | None:
    card = ReviewCard.objects.filter(user=user).order_by("due").first()
    return card.due if card else None


def has_reviewed(user) -> bool:
    """Return whether ``user`` has answered a spaced-review question yet."""
    return Response.objects.filter(user=user, mode=Response.Mode.REVIEW, answered_at__isnull=False).exists()


def has_answered(user) -> bool:
    """Return whether ``user`` has answered any question yet (a brand-new account has not)."""
    return user.is_authenticated and Response.objects.filter(user=user, answered_at__isnull=False).exists()
