"""Read question reports: the instructors' queue and where a student's report goes back to."""

from __future__ import annotations

from django.db.models import QuerySet
from django.urls import reverse

from ..analytics.scope import Scope, students
from ..models import QuestionReport, Response

OPEN = "open"
RESOLVED = "resolved"
ALL = "all"
STATUSES = {OPEN: "Open", RESOLVED: "Resolved", ALL: "All"}


def report_queue(scope: Scope, *, status: str = OPEN, question_id: int | None = None) -> QuerySet:
    """Return the reports by students in ``scope`` with ``status``, newest first (of ``question_id`` if given)."""
    reports = (QuestionReport.objects.filter(user__in=students(scope).values("pk"))
               .select_related("user", "question", "version", "resolved_by"))
    if status == OPEN:
        reports = reports.filter(resolved_at__isnull=True)
    elif status == RESOLVED:
        reports = reports.filter(resolved_at__isnull=False)
    if question_id is not None:
        reports = reports.filter(question_id=question_id)
    return reports.order_by("-created_at", "-pk")


def answered_page_url(response: Response) -> str:
    """Return the page where the student saw ``response`` graded (its result, or the exam review)."""
    if response.mode == Response.Mode.EXAM:
        return reverse("attempt_result", args=[response.exam_attempt_id]) + f"#q{response.position}"
    if response.mode == Response.Mode.REVIEW:
        return reverse("review_result", args=[response.pk])
    return reverse("practice_result", args=[response.pk])
