"""Which published questions a student may be given."""

from __future__ import annotations

import random
from collections.abc import Iterable

from ..models import ExamAttempt, Question, QuestionVersion, Response, Topic
from .compiled import Shape

SHOWN_RESPONSE = Shape(Response, joins=(
    ("version", Shape(QuestionVersion, ("id", "question_id", "number", "content_hash"))),
    ("question", Shape(Question, joins=(("topic", Shape(Topic)),))),
))
"""A question shown to a student, as its pages read it (``selectors.compiled``): the response with
its version and its question's topic. The version's source is not loaded: the pages show the
variant from the cache (``selectors.variants``), and read the source only to render it again."""


def published_questions():
    """Return the questions students can be shown (active, with a version)."""
    return Question.objects.published()


def in_open_exams(user):
    """Return the ids of the questions in ``user``'s unfinished exam attempts (a subquery).

    Practice and review never show these: their answers would leak into the running exam.
    Read from the student's open attempts (a few rows) rather than from all their answers.
    """
    open_attempts = ExamAttempt.objects.filter(user=user, finished_at__isnull=True).values("pk")
    return Response.objects.filter(exam_attempt__in=open_attempts).order_by().values("question_id")


RECENT_MISTAKES = 20
"""How many of a student's most recent wrongly answered questions "practise your mistakes" offers."""


def recent_mistakes(user, *, limit: int = RECENT_MISTAKES) -> list[int]:
    """Return the ids of the published questions ``user`` last answered wrong, newest first.

    Only graded answers count: nothing of an open exam attempt (its answers are not final).
    """
    rows = (Response.objects.filter(user=user, is_correct=False, answered_at__isnull=False,
                                    question__in=published_questions())
            .exclude(mode=Response.Mode.EXAM, exam_attempt__finished_at__isnull=True)
            .order_by("-answered_at").values_list("question_id", flat=True)[:limit * 5])
    return list(dict.fromkeys(rows))[:limit]


def practice_candidates(*, topic_slugs: Iterable[str] = (), difficulty: int | None = None):
    """Return published questions matching a practice filter (empty filter: any)."""
    questions = published_questions()
    topic_slugs = list(topic_slugs)
    if topic_slugs:
        questions = questions.filter(topic__slug__in=topic_slugs)
    if difficulty:
        questions = questions.filter(difficulty=difficulty)
    return questions


def pick_question(candidates, *, recently_seen: Iterable[int] = (),
                  rng: random.Random | None = None) -> Question | None:
    """Return a random candidate, preferring ones not ``recently_seen``; None if there are none."""
    rng = rng or random.Random()
    ids = list(candidates.values_list("pk", flat=True))
    if not ids:
        return None
    seen = set(recently_seen)
    fresh = [pk for pk in ids if pk not in seen] or ids
    return Question.objects.select_related("current_version", "topic").get(pk=rng.choice(fresh))


def topics_with_counts():
    """Return topics in teaching order, each with ``question_count`` published questions."""
    from django.db.models import Count, Q

    return Topic.objects.annotate(
        question_count=Count("questions", filter=Q(questions__retired_at__isnull=True,
                                                   questions__current_version__isnull=False))
    ).order_by("order")
