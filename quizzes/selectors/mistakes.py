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
from ..models import Response
from .questions import in_open_exams, published_questions

REPEATED_AT_LEAST = 2
PRACTICE_LINKS = 3


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


def questions_testing(user=None) -> dict[str, list[tuple[int, str]]]:
    """Return, per misconception slug, the published questions (pk, qid) that can name it,
    leaving out those of ``user``'s open exams (1 query)."""
    questions = published_questions().order_by("qid")
    if user is not None:
        questions = questions.exclude(pk__in=in_open_exams(user))
    tested: dict[str, list[tuple[int, str]]] = {}
    for pk, qid, slugs in questions.values_list("pk", "qid", "misconceptions"):
        for slug in slugs or ():
            tested.setdefault(slug, []).append((pk, qid))
    return tested


def repeated_mistakes(user) -> list[RepeatedMistake]:
    """Return each misconception ``user`` hit at least ``REPEATED_AT_LEAST`` times, most often first,
    with its label and description from ``misconceptions.yml`` and questions to practise it."""
    rows = list(counted_hits(user).values("misconception").annotate(n=Count("pk"), last=Max("answered_at"))
                .filter(n__gte=REPEATED_AT_LEAST).order_by("-n", "-last"))
    tested = questions_testing(user)  # always queried, so the page's query count never varies
    catalogue = load_misconceptions(Path(settings.CONTENT_DIR)) if rows else {}
    mistakes = []
    for row in rows:
        slug = row["misconception"]
        info = catalogue.get(slug)
        questions = tuple(tested.get(slug, []))[:PRACTICE_LINKS]
        mistakes.append(RepeatedMistake(slug, info.label if info else slug, info.description if info else "",
                                        row["n"], row["last"], questions))
    return mistakes


def repeated_mistake_questions(user) -> set[int]:
    """Return the ids of the questions that test one of ``user``'s repeated mistakes."""
    slugs = (counted_hits(user).values("misconception").annotate(n=Count("pk"))
             .filter(n__gte=REPEATED_AT_LEAST).values_list("misconception", flat=True))
    tested = questions_testing()
    return {pk for slug in slugs for pk, _ in tested.get(slug, [])}
