"""Spaced review sessions: show the most overdue question again, as a fresh variant."""

from __future__ import annotations

from datetime import datetime

from ..models import Response
from ..selectors.progress import due_reviews
from ..selectors.questions import in_open_exams
from .responses import response_create


def review_current(*, user, now: datetime) -> Response | None:
    """Return the pending review question, or show the most overdue one; None if nothing is due."""
    in_exam = in_open_exams(user)
    pending = (Response.objects.filter(user=user, mode=Response.Mode.REVIEW, answered_at__isnull=True)
               .exclude(question_id__in=in_exam)
               .select_related("version", "question__topic").order_by("-shown_at").first())
    if pending is not None:
        return pending
    card = (due_reviews(user, now=now).exclude(question_id__in=in_exam)
            .select_related("question__current_version").first())
    if card is None:
        return None
    question = card.question
    if question.retired_at is not None or question.current_version is None:
        card.delete()  # a retired question is no longer reviewed
        return review_current(user=user, now=now)
    return response_create(user=user, question=question, mode=Response.Mode.REVIEW, when=now)
