"""Time spent on exam questions, as the sum of the student's visits to each.

A visit to a question starts when the student opens its page and ends at the next page view or
answer of another question of the attempt, or when the attempt finishes. Reloading the page of
the question being visited continues the visit. Each ended visit adds its seconds to
``Response.seconds_spent``; ``Response.visit_started_at`` marks the visit under way (at most one
per attempt, unless two tabs race: each is then closed at the other's next action).
"""

from __future__ import annotations

from datetime import datetime

from django.db.models import F, Value
from django.db.models.functions import Coalesce

from ..models import Response
from ..selectors.compiled import CompiledRead

OpenVisit = tuple[int, datetime]
"""A visit under way: (response pk, when it started)."""


_OPEN_VISITS = CompiledRead(
    lambda p: Response.objects.filter(exam_attempt_id=p.attempt_id, visit_started_at__isnull=False)
    .values_list("pk", "visit_started_at"), params=("attempt_id",))


def open_visits(attempt_id: int) -> list[OpenVisit]:
    """Return the visits under way in the attempt (one query, compiled once: every autosave asks)."""
    return _OPEN_VISITS.rows(attempt_id=attempt_id)


def visits_end(*, attempt_id: int, when: datetime, keep_pk: int | None = None,
               under_way: list[OpenVisit] | None = None) -> int:
    """End every visit under way in the attempt except to response ``keep_pk``; return how many ended.

    ``under_way`` is what the caller has just read of the attempt's visits (spares the query);
    a visit another request ended meanwhile is left alone (each update checks its start).
    """
    ended = 0
    for pk, started in (open_visits(attempt_id) if under_way is None else under_way):
        if pk == keep_pk:
            continue
        seconds = max(0.0, (when - started).total_seconds())
        ended += Response.objects.filter(pk=pk, visit_started_at=started).update(
            seconds_spent=Coalesce(F("seconds_spent"), 0.0) + seconds, visit_started_at=None)
    return ended


def visit_start(*, item: Response, when: datetime, under_way: list[OpenVisit] | None = None,
                first_view: bool = False) -> None:
    """Start a visit to exam question ``item`` (ending the visit to any other question of its attempt).

    With ``under_way`` (see ``visits_end``), reloading the question being visited starts nothing.
    With ``first_view``, ``viewed_at`` is also set (if it is still empty) in the same write.
    """
    visits_end(attempt_id=item.exam_attempt_id, when=when, keep_pk=item.pk, under_way=under_way)
    changes = {"viewed_at": Coalesce(F("viewed_at"), Value(when))} if first_view else {}
    if under_way is None or not any(pk == item.pk for pk, _ in under_way):
        changes["visit_started_at"] = Coalesce(F("visit_started_at"), Value(when))
    if changes:
        Response.objects.filter(pk=item.pk).update(**changes)
