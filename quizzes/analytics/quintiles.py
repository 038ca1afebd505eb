"""Mean score of each fifth of the students, ranked by exam total (as PrairieLearn shows).

For one question, the finished exam attempts that contain it are ranked by the attempt's
percentage, score / total (ties broken by the attempt's id, so the split is reproducible), and
NTILE(5) cuts them into five groups of (nearly) equal size, weakest first. The mean score of the
question in each group shows how it discriminates: a good question rises from the first fifth
to the last. With fewer than five such attempts the fifths are not shown.
"""

from __future__ import annotations

from django.db.models import F, FloatField, Window
from django.db.models.functions import Cast, Ntile

from . import formulas
from .scope import Scope, exam_answers
from .sql import SCORE, aggregate_over

BANDS = 5


def quintile_means(scope: Scope, question_ids: list[int] | None = None) -> dict[int, list[float | None]]:
    """Return {question id: [mean score of fifth 1 (lowest totals) .. fifth 5]} (1 query).

    A question answered in fewer than ``BANDS`` finished attempts gets ``[None] * BANDS``.
    """
    rows = exam_answers(scope)
    if question_ids is not None:
        rows = rows.filter(question_id__in=question_ids)
    percent = Cast(F("exam_attempt__score"), FloatField()) / Cast(F("exam_attempt__total"), FloatField())
    ranked = (rows.order_by().filter(exam_attempt__total__gt=0)
              .annotate(qkey=F("question_id"), score=SCORE,
                        band=Window(Ntile(BANDS), partition_by=[F("question_id")],
                                    order_by=[percent.asc(), F("exam_attempt_id").asc()]))
              .values("qkey", "score", "band"))
    found = aggregate_over(ranked, select="qkey, band, COUNT(*), SUM(score)", group_by="qkey, band")
    means: dict[int, list[float | None]] = {}
    counts: dict[int, int] = {}
    for qkey, band, n, right in found:
        means.setdefault(qkey, [None] * BANDS)[band - 1] = formulas.mean(float(right), n)
        counts[qkey] = counts.get(qkey, 0) + n
    return {qkey: (values if counts[qkey] >= BANDS else [None] * BANDS) for qkey, values in means.items()}
