"""Question reports: a student reports a problem with a question they answered; an instructor resolves it.

Who may report what is decided once, in ``reportable_response``: only the student's own final
answers (a graded practice or review answer, or a question of a finished exam, answered or not)
can be reported; anything else is "not found", so a student cannot even learn that a response
exists. A student sends at most ``REPORTS_PER_HOUR`` reports in any hour (``RateLimited``); the
same report sent twice in a row (a double click) is stored once.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Q, QuerySet

from ..models import QuestionReport, Response

REPORTS_PER_HOUR = 10
DUPLICATE_WINDOW = timedelta(minutes=10)
RATE_LIMITED = (f"You have sent {REPORTS_PER_HOUR} reports in the last hour, the most we accept. "
                "Please wait a little before sending another; your text is kept below.")


class RateLimited(Exception):
    """The student has reached ``REPORTS_PER_HOUR``."""

    message = RATE_LIMITED


def reportable_responses(user) -> QuerySet:
    """Return ``user``'s responses they may report: final answers they were shown."""
    if not user.is_authenticated:
        return Response.objects.none()
    return Response.objects.filter(user=user).filter(
        Q(mode__in=[Response.Mode.PRACTICE, Response.Mode.REVIEW], answered_at__isnull=False)
        | Q(mode=Response.Mode.EXAM, exam_attempt__finished_at__isnull=False)
    )


def reportable_response(user, response_id: int) -> Response | None:
    """Return the response ``user`` may report, or None (not theirs, not final, or no such response)."""
    return (reportable_responses(user).select_related("version", "question__topic", "exam_attempt")
            .filter(pk=response_id).first())


def report_create(*, user, response: Response, kind: str, text: str, when: datetime) -> QuestionReport:
    """Store ``user``'s report on ``response`` (its version and seed too); raise ``RateLimited``."""
    with transaction.atomic():
        mine = QuestionReport.objects.select_for_update().filter(user=user, created_at__gt=when - timedelta(hours=1))
        recent = list(mine.order_by("-created_at"))
        same = next((r for r in recent if r.response_id == response.pk and r.kind == kind and r.text == text
                     and r.created_at > when - DUPLICATE_WINDOW), None)
        if same is not None:
            return same
        if len(recent) >= REPORTS_PER_HOUR:
            raise RateLimited(RATE_LIMITED)
        return QuestionReport.objects.create(
            user=user, response=response, question_id=response.question_id, version_id=response.version_id,
            seed=response.seed, kind=kind, text=text, created_at=when)


def report_resolve(*, report: QuestionReport, by, note: str, when: datetime) -> QuestionReport:
    """Mark ``report`` resolved by ``by`` with ``note`` (resolving it again updates the note)."""
    report.resolved_at = report.resolved_at or when
    report.resolved_by = by
    report.resolution_note = note
    report.save(update_fields=["resolved_at", "resolved_by", "resolution_note"])
    return report


def report_reopen(*, report: QuestionReport) -> QuestionReport:
    """Open ``report`` again (the note of its last resolution is kept)."""
    report.resolved_at = None
    report.save(update_fields=["resolved_at"])
    return report
