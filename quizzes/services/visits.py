"""Time spent on exam questions, as the sum of the student's visits to each.

A visit to a question starts when the student opens its page and ends at the next page view or
answer of another question of the attempt, or when the attempt finishes. Reloading the page of
the question being visited continues the visit. Each ended visit adds its seconds to
``Response.seconds_spent``; ``Response.visit_started_at`` marks the visit under way (at most one
per attempt, unless two tabs race: each is then closed at the other's next action).
"""

from __future__ import annotations

from datetime import datetime

from django.db.models import F
from django.db.models.functions import Coalesce

from ..models import Response


def visits_end(*, attempt_id: int, when: datetime, keep_pk: int | None = None) -> int:
    """End every visit under way in the attempt except to response ``keep_pk``; return how many ended."""
    ended = 0
    open_visits = Response.objects.filter(exam_attempt_id=attempt_id, visit_started_at__isnull=False)
    if keep_pk is not None:
        open_visits = open_visits.exclude(pk=keep_pk)
    for pk, started in open_visits.values_list("pk", "visit_started_at"):
        seconds = max(0.0, (when - started).total_seconds())
        ended += Response.objects.filter(pk=pk, visit_started_at=started).update(
            seconds_spent=Coalesce(F("seconds_spent"), 0.0) + seconds, visit_started_at=None)
    return ended


def visit_start(*, item: Response, when: datetime) -> None:
    """Start a visit to exam question ``item`` (ending the visit to any other question of its attempt)."""
    visits_end(attempt_id=item.exam_attempt_id, when=when, keep_pk=item.pk)
    Response.objects.filter(pk=item.pk, visit_started_at__isnull=True).update(visit_started_at=when)
