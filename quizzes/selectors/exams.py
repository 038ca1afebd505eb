"""Read exams and attempts for the exam pages."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple

from ..models import Exam, ExamAttempt, Question, QuestionVersion, Response, Topic
from .compiled import CompiledRead, Shape
from .questions import SHOWN_RESPONSE


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


_ITEMS = CompiledRead(
    lambda p: Response.objects.filter(exam_attempt_id=p.attempt_id).order_by("position"),
    params=("attempt_id",), shape=SHOWN_RESPONSE)


def attempt_items(attempt: ExamAttempt) -> list[Response]:
    """Return the attempt's questions in order, with their versions and topics (``SHOWN_RESPONSE``;
    compiled once: the submit and result pages of a whole class)."""
    return _ITEMS.instances(attempt_id=attempt.pk)


class NavItem(NamedTuple):
    """What the exam navigation shows of one question (a tuple: twenty are built per exam page)."""

    pk: int
    position: int
    answered_at: datetime | None
    flagged: bool
    visit_started_at: datetime | None


_STUDENT_ATTEMPT = CompiledRead(
    lambda p: ExamAttempt.objects.filter(pk=p.attempt_id, user_id=p.user_id),
    params=("attempt_id", "user_id"), shape=Shape(ExamAttempt, joins=(("exam", Shape(Exam)),)))
_NAV = CompiledRead(
    lambda p: Response.objects.filter(exam_attempt_id=p.attempt_id).order_by("position").values_list(
        "pk", "position", "answered_at", "flagged", "visit_started_at"),
    params=("attempt_id",))


def student_attempt(*, attempt_id: int, user_id: int) -> ExamAttempt | None:
    """Return the attempt with its exam if it is ``user_id``'s (None otherwise); compiled once (hot path)."""
    return _STUDENT_ATTEMPT.instance(attempt_id=attempt_id, user_id=user_id)


def attempt_nav(attempt: ExamAttempt) -> list[NavItem]:
    """Return the attempt's questions in order as plain rows (no model instances, no versions)."""
    return [NavItem._make(row) for row in _NAV.rows(attempt_id=attempt.pk)]


def visits_under_way(nav: list[NavItem]) -> list[tuple[int, datetime]]:
    """Return the visits under way among ``nav``'s questions, as ``services.visits`` takes them."""
    return [(row.pk, row.visit_started_at) for row in nav if row.visit_started_at is not None]


SHOWN_ITEM_FIELDS = ("id", "user_id", "question_id", "version_id", "seed", "exam_attempt_id", "position",
                     "chosen_position", "answer_text", "answer_value", "answered_at", "viewed_at", "flagged")
"""What showing an exam question reads of its response (another field would be read with a query more)."""
_ITEM = CompiledRead(
    lambda p: Response.objects.filter(exam_attempt_id=p.attempt_id, position=p.position)[:1],
    params=("attempt_id", "position"),
    shape=Shape(Response, SHOWN_ITEM_FIELDS,
                joins=(("version", Shape(QuestionVersion, ("id", "question_id", "content_hash"))),
                       ("question", Shape(Question, ("id", "topic_id"),
                                          joins=(("topic", Shape(Topic, ("id", "slug", "title"))),))))))


def attempt_item(attempt: ExamAttempt, position: int) -> Response | None:
    """Return question ``position`` of the attempt with its version and topic (None if there is none).

    The version's source (``data``) is read only if its variant has to be rendered again (it is
    cached, ``selectors.variants``); only ``SHOWN_ITEM_FIELDS`` of the response are.
    """
    return _ITEM.instance(attempt_id=attempt.pk, position=position)


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


class OpenAttempt(NamedTuple):
    """An unfinished attempt, as the 'resume' banner links to it."""

    pk: int
    exam_title: str


_OPEN_ATTEMPTS = CompiledRead(
    lambda p: ExamAttempt.objects.filter(user_id=p.user_id, finished_at__isnull=True).order_by("pk").values_list(
        "pk", "exam__title"),
    params=("user_id",))


def open_attempts(user) -> list[OpenAttempt]:
    """Return ``user``'s unfinished attempts (for the 'resume' banner on every page: compiled once)."""
    if not user.is_authenticated:
        return []
    return [OpenAttempt._make(row) for row in _OPEN_ATTEMPTS.rows(user_id=user.pk)]
