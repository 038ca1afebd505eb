"""Exam statistics: the distribution of scores and how consistent the exam is.

Over the finished attempts in scope (each student's first per exam, or all), with each attempt's
score as a percentage p = 100 * score / total:

- mean p, median p (mean of the two middle values for an even count) and the sample standard
  deviation sqrt(sum((p - mean)^2) / (n - 1));
- Cronbach's alpha = k / (k - 1) * (1 - sum(var(x_j)) / var(X)) over the k items of the exam,
  where x_j is the score on item j and X the attempt's score; only attempts with the exam's
  current number of questions count. An item is tied to its question whatever position each
  student saw it at (Moodle ties a slot to its question when it shuffles): a question in every
  one of those attempts is an item of its own (all its versions pooled: no attempt answers two
  versions of one question). Questions drawn at random (not in every attempt) are exchangeable
  draws, as Moodle's random-question slots: each attempt's first such question (by position) is
  one item, its second the next, and so on;
- the distribution as a histogram of p in ten 10-point bins, [0, 10) ... [90, 100].

The database counts attempts per (score, total) and answers per position; n/a where undefined.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from django.db.models import Count, F, Q, Sum, Window
from django.db.models.functions import RowNumber

from ..models import Exam, Response
from . import formulas
from .scope import Scope, finished_attempts
from .sql import SCORE, aggregate_over

BINS = 10


@dataclass(frozen=True)
class ExamStats:
    exam: Exam
    attempts: int
    students: int
    passed: int
    mean: float | None
    median: float | None
    sd: float | None
    alpha: float | None
    alpha_attempts: int
    histogram: list[tuple[str, int]]

    @property
    def pass_rate(self) -> float | None:
        return formulas.mean(self.passed, self.attempts)

    @property
    def pass_percent(self) -> int | None:
        return formulas.percent(self.pass_rate)


def histogram(scores: list[tuple[int, int, int]]) -> list[tuple[str, int]]:
    """Return (label, attempts) for ten bins of the percentage: [0, 10), [10, 20) ... [90, 100].

    ``scores`` are (score, total, attempts); the bin is computed in integers, so a score exactly
    on a boundary (7 / 10 = 70 %) always goes in the higher bin.
    """
    counts = [0] * BINS
    for score, total, n in scores:
        counts[min(score * BINS // total, BINS - 1)] += n
    labels = [f"{i * 100 // BINS}–{(i + 1) * 100 // BINS}" for i in range(BINS)]
    return list(zip(labels, counts, strict=True))


def cronbach(attempts, k: int) -> tuple[float | None, int]:
    """Return (alpha, attempts used) over ``attempts`` with ``k`` questions (2 or 3 queries).

    Items are questions, whatever their position (see the module docstring); a 0/1 score's sum of
    squares is its sum, so an item's variance needs only its count of right answers.
    """
    full = attempts.filter(total=k)
    totals = full.aggregate(n=Count("pk"), s=Sum("score"), ss=Sum(F("score") * F("score")))
    n = totals["n"]
    if n < 2 or k < 2:
        return None, n
    rows = Response.objects.filter(exam_attempt__in=full.values("pk")).order_by()
    per_question = rows.values("question_id").annotate(
        n=Count("pk"), attempts=Count("exam_attempt_id", distinct=True), right=Count("pk", filter=Q(is_correct=True)))
    fixed = {row["question_id"]: row["right"] for row in per_question if row["n"] == row["attempts"] == n}
    item_rights = list(fixed.values())
    if len(fixed) < k:
        slots = (rows.exclude(question_id__in=list(fixed))
                 .annotate(score=SCORE, slot=Window(RowNumber(), partition_by=[F("exam_attempt_id")],
                                                    order_by=[F("position").asc()]))
                 .values("slot", "score"))
        by_slot = {slot: int(right) for slot, right in
                   aggregate_over(slots, select="slot, SUM(score)", group_by="slot")}
        item_rights += [by_slot.get(j, 0) for j in range(1, k - len(fixed) + 1)]
    variances = [formulas.sample_variance(n, right, right) for right in item_rights[:k]]
    return formulas.cronbach_alpha(variances, formulas.sample_variance(n, totals["s"], totals["ss"])), n


def exam_statistics(scope: Scope, exam: Exam) -> ExamStats:
    """Return the statistics of ``exam`` over the finished attempts in ``scope`` (4 or 5 queries)."""
    attempts = finished_attempts(replace(scope, exam=exam))
    groups = list(attempts.order_by().values("score", "total")
                  .annotate(n=Count("pk"), passed=Count("pk", filter=Q(passed=True))))
    percents = [(100 * g["score"] / g["total"], g["n"]) for g in groups if g["total"]]
    n = sum(count for _, count in percents)
    total = sum(p * count for p, count in percents)
    squares = sum(p * p * count for p, count in percents)
    alpha, alpha_attempts = cronbach(attempts, exam.question_count)
    return ExamStats(
        exam=exam, attempts=n, students=attempts.values("user").distinct().count(),
        passed=sum(g["passed"] for g in groups if g["total"]), mean=formulas.mean(total, n),
        median=formulas.median_of_counts(percents), sd=formulas.sample_sd(n, total, squares),
        alpha=alpha, alpha_attempts=alpha_attempts,
        histogram=histogram([(g["score"], g["total"], g["n"]) for g in groups if g["total"]]),
    )
