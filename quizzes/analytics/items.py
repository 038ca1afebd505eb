"""Item analysis: how each question performs.

For question i over the answers in scope (``scope.answers``):

- responses n; facility F = (number right) / n, the mean score (right 1, wrong 0).
- discrimination index (Moodle): DI = 100 * cov(x, r) / sqrt(var(x) var(r)), the corrected
  item-rest correlation, where x is the item's score and r the rest of the attempt: the
  attempt's score minus x. It needs an attempt total, so it is computed over the answers of
  finished exam attempts only (practice answers count for facility, not discrimination). Exams
  have different lengths, so r is taken as a fraction of the other questions,
  (score - x) / (total - 1): within one exam that only rescales r, which leaves the correlation
  (Moodle's number) unchanged; across exams it puts every attempt on one scale.
- median time to answer: the median of answered_at - shown_at, in whole seconds, over practice
  and review answers, and of (last) answered_at - viewed_at (first opened) over exam answers
  (exam questions are all drawn when the attempt starts; ``viewed_at`` is when the student
  first opened each one).

A question goes on the "needs attention" list when, with at least ``MIN_RESPONSES_TO_FLAG``
responses, its facility is above 0.95 (everyone gets it) or below 0.20 (few do: a wrong key or a
confusing stem), or, with at least that many exam answers, its discrimination index is negative
(weaker students do better: check the key) or below 10 (r < 0.1: it does not separate strong
from weak students). The minimum is 20: below it one student moves the facility by more than 5
points and the standard error of a correlation near 0 is above 0.22, so the numbers are shown
but not judged. Even at 20 a flag means "look at this question", not "it is broken".
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, F, FloatField, IntegerField, Q, Sum
from django.db.models.functions import Cast, Coalesce

from ..models import Question, Response
from . import formulas
from .scope import Scope, answers, exam_answers
from .sql import SCORE, SecondsBetween, as_float

MIN_RESPONSES_TO_FLAG = 20
TOO_EASY = 0.95
TOO_HARD = 0.20
LOW_DISCRIMINATION = 10.0
"""On Moodle's scale (100 r): 10 is a correlation of 0.1."""

FLAG_TOO_EASY = "Facility above 0.95: almost everyone gets it right, so it tells you little."
FLAG_TOO_HARD = "Facility below 0.20: few get it right. Check the key and the wording."
FLAG_NEGATIVE = "Negative discrimination: students with lower totals do better on it. Check the key."
FLAG_LOW = "Discrimination below 10 (r < 0.1): it hardly separates strong from weak students."


@dataclass(frozen=True)
class Flag:
    code: str
    message: str


@dataclass
class ItemStats:
    """One question's statistics in a scope; ``None`` where a statistic is undefined."""

    question_id: int
    qid: str
    topic: str
    difficulty: int
    is_parameterised: bool
    responses: int = 0
    correct: int = 0
    exam_responses: int = 0
    discrimination: float | None = None
    timed: int = 0
    median_seconds: float | None = None
    flags: list[Flag] = field(default_factory=list)

    @property
    def facility(self) -> float | None:
        return formulas.mean(self.correct, self.responses)

    @property
    def needs_attention(self) -> bool:
        return bool(self.flags)


def facility_counts(scope: Scope, question_ids: list[int] | None = None) -> dict[int, tuple[int, int]]:
    """Return {question id: (responses, right)} over the answers in ``scope`` (1 query)."""
    rows = answers(scope)
    if question_ids is not None:
        rows = rows.filter(question_id__in=question_ids)
    rows = (rows.order_by().values("question_id")
            .annotate(n=Count("pk"), right=Count("pk", filter=Q(is_correct=True))))
    return {row["question_id"]: (row["n"], row["right"]) for row in rows}


def discrimination_sums(scope: Scope, question_ids: list[int] | None = None) -> dict[int, tuple]:
    """Return {question id: (n, sum x, sum r, sum x^2, sum r^2, sum xr)} over exam answers (1 query)."""
    rows = exam_answers(scope).filter(exam_attempt__total__gt=1)
    if question_ids is not None:
        rows = rows.filter(question_id__in=question_ids)
    rows = (rows.order_by()
            .alias(x=SCORE, rest=Cast(F("exam_attempt__score") - SCORE, FloatField())
                   / Cast(F("exam_attempt__total") - 1, FloatField()))
            .values("question_id")
            .annotate(n=Count("pk"), sx=Sum("x"), sy=Sum("rest"), sxx=Sum(F("x") * F("x")),
                      syy=Sum(F("rest") * F("rest")), sxy=Sum(F("x") * F("rest"))))
    return {row["question_id"]: tuple(as_float(row[k]) for k in ("n", "sx", "sy", "sxx", "syy", "sxy"))
            for row in rows}


def discrimination_index(sums: tuple | None) -> float | None:
    """Return Moodle's DI = 100 r(item, rest) from ``discrimination_sums`` of one question."""
    if sums is None:
        return None
    n, sx, sy, sxx, syy, sxy = sums
    r = formulas.correlation(int(n), sx, sy, sxx, syy, sxy)
    return None if r is None else 100 * r


def median_seconds(scope: Scope, question_ids: list[int] | None = None) -> dict[int, tuple[float, int]]:
    """Return {question id: (median seconds, timed answers)} over every timed answer (1 query).

    The database counts each question's answers per whole second (rounded); the median is then
    read off those counts (``formulas.median_of_counts``), to the second, without sorting every row.
    """
    rows = answers(scope).filter(
        Q(mode__in=[Response.Mode.PRACTICE, Response.Mode.REVIEW]) | Q(viewed_at__isnull=False),
        answered_at__isnull=False,
    )
    if question_ids is not None:
        rows = rows.filter(question_id__in=question_ids)
    seconds = Cast(SecondsBetween(Coalesce(F("viewed_at"), F("shown_at")), F("answered_at")) + 0.5, IntegerField())
    counts: dict[int, list[tuple[int, int]]] = {}
    for row in rows.order_by().annotate(sec=seconds).values("question_id", "sec").annotate(n=Count("pk")):
        counts.setdefault(row["question_id"], []).append((row["sec"], row["n"]))
    return {qid: (formulas.median_of_counts(pairs), sum(n for _, n in pairs)) for qid, pairs in counts.items()}


def flags_for(item: ItemStats, *, min_responses: int = MIN_RESPONSES_TO_FLAG) -> list[Flag]:
    """Return why ``item`` needs attention (empty if it does not, or cannot be judged yet)."""
    flags = []
    facility = item.facility
    if facility is not None and item.responses >= min_responses:
        if facility > TOO_EASY:
            flags.append(Flag("too-easy", FLAG_TOO_EASY))
        elif facility < TOO_HARD:
            flags.append(Flag("too-hard", FLAG_TOO_HARD))
    if item.discrimination is not None and item.exam_responses >= min_responses:
        if item.discrimination < 0:
            flags.append(Flag("negative-discrimination", FLAG_NEGATIVE))
        elif item.discrimination < LOW_DISCRIMINATION:
            flags.append(Flag("low-discrimination", FLAG_LOW))
    return flags


def item_stats(scope: Scope, *, questions=None, min_responses: int = MIN_RESPONSES_TO_FLAG) -> list[ItemStats]:
    """Return the statistics of every question (or of ``questions``), in teaching order (4 queries).

    Listing every question leaves out retired ones nobody answered in scope.
    """
    listing_all = questions is None
    if listing_all:
        questions = Question.objects.all()
    questions = list(questions.select_related("topic").order_by("topic__order", "difficulty", "qid"))
    ids = None if listing_all else [q.pk for q in questions]
    counts = facility_counts(scope, ids)
    sums = discrimination_sums(scope, ids)
    times = median_seconds(scope, ids)
    stats = []
    for question in questions:
        responses, right = counts.get(question.pk, (0, 0))
        if listing_all and question.retired_at is not None and not responses:
            continue
        item = ItemStats(
            question_id=question.pk, qid=question.qid, topic=question.topic.title, difficulty=question.difficulty,
            is_parameterised=question.is_parameterised, responses=responses, correct=right,
            exam_responses=int(sums[question.pk][0]) if question.pk in sums else 0,
            discrimination=discrimination_index(sums.get(question.pk)),
            median_seconds=times.get(question.pk, (None, 0))[0], timed=times.get(question.pk, (None, 0))[1],
        )
        item.flags = flags_for(item, min_responses=min_responses)
        stats.append(item)
    return stats


def needs_attention(stats: list[ItemStats]) -> list[ItemStats]:
    """Return the flagged items: negative discrimination first, then by facility's distance from 0.5."""
    severity = {"negative-discrimination": 0, "too-hard": 1, "low-discrimination": 2, "too-easy": 3}
    flagged = [item for item in stats if item.flags]
    return sorted(flagged, key=lambda item: (min(severity[f.code] for f in item.flags), item.qid))
