"""A student's repeated mistakes: the named misconceptions their answers keep hitting.

A misconception is "hit" by a counted answer (the first try of a practice question, a review
answer, an answer of a finished exam) whose choice stands for it or whose typed number lies
within tolerance of its value (``Response.misconception``). Open exam attempts never count.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.db.models import Count, Max

from ..content.bank import load_misconceptions
from ..models import Question, Response
from .questions import in_open_exams, published_questions

REPEATED_AT_LEAST = 2
PRACTICE_LINKS = 3
_TESTED_BY: dict[tuple, dict[str, list[tuple[int, str]]]] = {}


@dataclass(frozen=True)
class RepeatedMistake:
    """A misconception hit ``count`` times, last at ``last``; ``questions`` test it (id, qid)."""

    slug: str
    label: str
    description: str
    count: int
    last: datetime
    questions: tuple[tuple[int, str], ...]


def counted_hits(user):
    """Return ``user``'s answered, counted responses that named a misconception (a queryset)."""
    return (Response.objects.filter(user=user, answered_at__isnull=False, is_correct=False)
            .exclude(misconception="")
            .exclude(mode=Response.Mode.EXAM, exam_attempt__finished_at__isnull=True))


def questions_testing() -> dict[str, list[tuple[int, str]]]:
    """Return, per misconception slug, the published questions (pk, qid) that can name it.

    Read from the current versions' data (choices' ``misconception`` and a numeric answer's
    ``misconceptions``); cached until a sync changes any current version.
    """
    current = tuple(published_questions().order_by("pk").values_list("pk", "current_version_id"))
    cached = _TESTED_BY.get(current)
    if cached is not None:
        return cached
    tested: dict[str, list[tuple[int, str]]] = {}
    rows = Question.objects.filter(pk__in=[pk for pk, _ in current]).order_by("qid") \
        .values_list("pk", "qid", "current_version__data")
    for pk, qid, data in rows:
        slugs = {choice.get("misconception", "") for choice in data.get("choices", [])}
        slugs |= set((data.get("answer") or {}).get("misconceptions", {}))
        for slug in slugs - {""}:
            tested.setdefault(slug, []).append((pk, qid))
    _TESTED_BY.clear()
    _TESTED_BY[current] = tested
    return tested


def repeated_mistakes(user) -> list[RepeatedMistake]:
    """Return each misconception ``user`` hit at least ``REPEATED_AT_LEAST`` times, most often first,
    with its label and description from ``misconceptions.yml`` and questions to practise it."""
    rows = (counted_hits(user).values("misconception").annotate(n=Count("pk"), last=Max("answered_at"))
            .filter(n__gte=REPEATED_AT_LEAST).order_by("-n", "-last"))
    rows = list(rows)
    if not rows:
        return []
    catalogue = load_misconceptions(Path(settings.CONTENT_DIR))
    tested = questions_testing()
    blocked = set(in_open_exams(user).values_list("question_id", flat=True))
    mistakes = []
    for row in rows:
        slug = row["misconception"]
        info = catalogue.get(slug)
        questions = tuple(q for q in tested.get(slug, []) if q[0] not in blocked)[:PRACTICE_LINKS]
        mistakes.append(RepeatedMistake(slug, info.label if info else slug, info.description if info else "",
                                        row["n"], row["last"], questions))
    return mistakes


def repeated_mistake_questions(user) -> set[int]:
    """Return the ids of the questions that test one of ``user``'s repeated mistakes."""
    slugs = (counted_hits(user).values("misconception").annotate(n=Count("pk"))
             .filter(n__gte=REPEATED_AT_LEAST).values_list("misconception", flat=True))
    tested = questions_testing()
    return {pk for slug in slugs for pk, _ in tested.get(slug, [])}
