"""Read exams and attempts for the exam pages."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from ..models import Exam, ExamAttempt, Response


def exams_for(user) -> list[dict]:
    """Return the active exams, each with ``user``'s open attempt and best finished score."""
    exams = list(Exam.objects.active())
    attempts = defaultdict(list)
    if user.is_authenticated:
        for attempt in ExamAttempt.objects.filter(user=user, exam__in=exams):
            attempts[attempt.exam_id].append(attempt)
    rows = []
    for exam in exams:
        mine = attempts[exam.pk]
        finished = [a for a in mine if a.finished_at is not None]
        rows.append({
            "exam": exam,
            "open_attempt": next((a for a in mine if a.finished_at is None), None),
            "best": max(finished, key=lambda a: (a.percent or 0), default=None),
            "taken": len(finished),
        })
    return rows


def attempt_items(attempt: ExamAttempt) -> list[Response]:
    """Return the attempt's questions in order, with their versions and topics."""
    return list(attempt.responses.select_related("version", "question__topic").order_by("position"))


@dataclass(frozen=True)
class NavItem:
    """What the exam navigation shows of one question."""

    pk: int
    position: int
    answered_at: datetime | None
    flagged: bool
    visit_started_at: datetime | None


def attempt_nav(attempt: ExamAttempt) -> list[NavItem]:
    """Return the attempt's questions in order as plain rows (no model instances, no versions)."""
    rows = attempt.responses.order_by("position").values_list(
        "pk", "position", "answered_at", "flagged", "visit_started_at")
    return [NavItem(*row) for row in rows]


def visits_under_way(nav: list[NavItem]) -> list[tuple[int, datetime]]:
    """Return the visits under way among ``nav``'s questions, as ``services.visits`` takes them."""
    return [(row.pk, row.visit_started_at) for row in nav if row.visit_started_at is not None]


def attempt_item(attempt: ExamAttempt, position: int) -> Response | None:
    """Return question ``position`` of the attempt with its version and topic (None if there is none).

    The version's source (``data``) is left unloaded: a shown variant is rendered from it once
    and cached (``selectors.variants``), and is read only if it has to be rendered again.
    """
    return (attempt.responses.select_related("version", "question__topic").defer("version__data")
            .filter(position=position).first())


@dataclass(frozen=True)
class TopicScore:
    title: str
    correct: int
    total: int

    @property
    def percent(self) -> int:
        return round(100 * self.correct / self.total) if self.total else 0


def topic_breakdown(items: list[Response]) -> list[TopicScore]:
    """Return correct / total per topic over the scored questions, weakest first."""
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for item in items:
        if not item.scored:  # dropped from scoring by a regrade
            continue
        totals[item.question.topic.title][0] += int(bool(item.is_correct))
        totals[item.question.topic.title][1] += 1
    scores = [TopicScore(title, correct, total) for title, (correct, total) in totals.items()]
    return sorted(scores, key=lambda s: (s.percent, s.title))


def open_attempts(user) -> list[ExamAttempt]:
    """Return ``user``'s unfinished attempts (for the 'resume' banner on every page)."""
    if not user.is_authenticated:
        return []
    return list(ExamAttempt.objects.filter(user=user, finished_at__isnull=True).select_related("exam"))
