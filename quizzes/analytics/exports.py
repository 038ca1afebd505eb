"""CSV exports that open correctly in a spreadsheet.

- UTF-8 with a byte-order mark, so Excel reads accents and non-Latin names correctly;
- a header row;
- formula injection neutralised (OWASP "CSV injection"): a text cell that starts with ``=``,
  ``+``, ``-``, ``@``, a tab or a carriage return is prefixed with ``'``, so a spreadsheet shows
  it as text instead of running it. Only text is escaped: ints and floats are written as numbers
  (``-12.5`` stays numeric) because their ``str()`` can only be a number. Booleans become
  ``yes``/``no``, datetimes ISO 8601 in UTC, ``None`` an empty cell.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime

from django.db.models import F, FloatField
from django.db.models.functions import Cast
from django.http import HttpResponse
from django.utils.text import slugify

from ..models import Topic
from .items import item_stats
from .quintiles import BANDS, quintile_means
from .scope import Scope, finished_attempts
from .students import student_rows

BOM = "\ufeff"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value) -> str | int | float:
    """Return ``value`` as a CSV cell a spreadsheet will not run as a formula."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float):
        return value
    if isinstance(value, datetime):
        return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, date):
        return value.isoformat()
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_text(header: Sequence[str], rows: Iterable[Sequence]) -> str:
    """Return the CSV document (BOM, header, rows) as text."""
    buffer = io.StringIO()
    buffer.write(BOM)
    writer = csv.writer(buffer)
    writer.writerow([safe_cell(cell) for cell in header])
    for row in rows:
        writer.writerow([safe_cell(cell) for cell in row])
    return buffer.getvalue()


def csv_response(name: str, header: Sequence[str], rows: Iterable[Sequence], *, scope: Scope,
                 today: date) -> HttpResponse:
    """Return a CSV download named ``{name}[-{cohort}]-{today}.csv``."""
    parts = [name] + ([slugify(scope.cohort.name) or f"cohort-{scope.cohort.pk}"] if scope.cohort else [])
    filename = "-".join(parts + [today.isoformat()]) + ".csv"
    response = HttpResponse(csv_text(header, rows).encode("utf-8"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _round(value: float | None, digits: int) -> float | None:
    return None if value is None else round(value, digits)


EXAM_RESULTS_HEADER = ["attempt", "username", "exam", "exam title", "started (UTC)", "finished (UTC)", "timed out",
                       "score", "total", "percent", "passed"]


def exam_result_rows(scope: Scope) -> Iterable[list]:
    """Yield one row per finished attempt in ``scope`` (every attempt unless first_only), oldest first."""
    percent = 100 * Cast(F("score"), FloatField()) / Cast(F("total"), FloatField())
    attempts = (finished_attempts(scope).filter(total__gt=0).select_related("user", "exam")
                .annotate(pct=percent).order_by("started_at", "pk"))
    for attempt in attempts.iterator(chunk_size=2000):
        yield [attempt.pk, attempt.user.username, attempt.exam.slug, attempt.exam.title, attempt.started_at,
               attempt.finished_at, attempt.timed_out, attempt.score, attempt.total, _round(attempt.pct, 1),
               attempt.passed]


def progress_header() -> list[str]:
    topics = Topic.objects.order_by("order")
    return (["username", "last active (UTC)", "answered", "share right"]
            + [f"mastery % {topic.slug}" for topic in topics] + ["exams finished", "exams passed", "best exam %"])


def progress_rows(scope: Scope) -> Iterable[list]:
    """Yield one row per student in ``scope``, by username."""
    rows, _ = student_rows(scope)
    for row in rows:
        yield ([row.username, row.last_active, row.answered, _round(row.share_right, 4)]
               + [m.percent for m in row.mastery]
               + [row.exams_taken, row.exams_passed, _round(row.best_percent, 1)])


ITEMS_HEADER = (["question", "topic", "difficulty", "parameterised", "responses", "facility", "exam responses",
                 "discrimination index"] + [f"fifth {band} mean" for band in range(1, BANDS + 1)]
                + ["timed answers", "median seconds", "needs attention"])


def item_rows(scope: Scope) -> Iterable[list]:
    """Yield one row per question with its statistics in ``scope``."""
    stats = item_stats(scope)
    fifths = quintile_means(scope)
    for item in stats:
        yield ([item.qid, item.topic, item.difficulty, item.is_parameterised, item.responses,
                _round(item.facility, 4), item.exam_responses, _round(item.discrimination, 1)]
               + [_round(mean, 4) for mean in fifths.get(item.question_id, [None] * BANDS)]
               + [item.timed, _round(item.median_seconds, 1), "; ".join(flag.code for flag in item.flags)])
