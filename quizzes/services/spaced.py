"""Spaced review sessions: show a due question again, as a fresh variant.

Among the due cards, questions that test one of the student's repeated mistakes come first
(most overdue first), then the rest, most overdue first.
"""

from __future__ import annotations

from datetime import datetime

from ..models import Response
from ..selectors.mistakes import repeated_mistake_questions
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
    due = due_reviews(user, now=now).exclude(question_id__in=in_exam).select_related("question__current_version")
    preferred = repeated_mistake_questions(user)  # questions on a mistake the student keeps making come first
    card = (due.filter(question_id__in=preferred).first() if preferred else None) or due.first()
    if card is None:
        return None
    question = card.question
    if question.retired_at is not None or question.current_version is None:
        card.delete()  # a retired question is no longer reviewed
        return review_current(user=user, now=now)
    return response_create(user=user, question=question, mode=Response.Mode.REVIEW, when=now)
