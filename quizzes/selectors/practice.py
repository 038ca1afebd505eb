"""Read a student's practice run: the run itself, its question waiting for an answer, its score.

The practice question page is, with the exam pages, what a class asks for most: these reads are
compiled once (``selectors.compiled``).
"""

from __future__ import annotations

from django.db.models import Count, Q

from ..models import PracticeSession, Response
from .compiled import CompiledRead, Shape
from .questions import SHOWN_RESPONSE, in_open_exams

_SESSION = CompiledRead(lambda p: PracticeSession.objects.filter(pk=p.session_id, user_id=p.user_id),
                        params=("session_id", "user_id"), shape=Shape(PracticeSession))
_PENDING = CompiledRead(
    lambda p: (Response.objects.filter(practice_session_id=p.session_id, answered_at__isnull=True)
               .exclude(question_id__in=in_open_exams(p.user_id)).order_by("-shown_at")[:1]),
    params=("session_id", "user_id"), shape=SHOWN_RESPONSE)
_ANSWERED = CompiledRead(
    lambda p: Response.objects.filter(pk=p.response_id, user_id=p.user_id, mode=Response.Mode.PRACTICE,
                                      answered_at__isnull=False),
    params=("response_id", "user_id"), shape=SHOWN_RESPONSE)
_SCORE = CompiledRead(
    lambda p: (Response.objects.filter(practice_session_id=p.session_id, answered_at__isnull=False)
               .values("practice_session_id")
               .annotate(answered=Count("pk"), correct=Count("pk", filter=Q(is_correct=True)))
               .values_list("answered", "correct")),
    params=("session_id",))


def student_session(*, session_id: int, user) -> PracticeSession | None:
    """Return practice run ``session_id`` if it is ``user``'s (None otherwise), its user attached."""
    session = _SESSION.instance(session_id=session_id, user_id=user.pk)
    if session is not None:
        session.user = user  # already loaded: spare the query
    return session


def pending_response(session: PracticeSession) -> Response | None:
    """Return the run's latest unanswered question (with its version, question and topic), if any.

    One in the student's open exam is never returned: its answer would leak into the exam.
    """
    return _PENDING.instance(session_id=session.pk, user_id=session.user_id)


def answered_response(*, response_id: int, user) -> Response | None:
    """Return ``user``'s answered practice question ``response_id`` (with its version, question and
    topic), or None: the result page every practice answer leads to."""
    return _ANSWERED.instance(response_id=response_id, user_id=user.pk)


def session_score(session_id: int) -> dict:
    """Return practice run ``session_id``'s ``answered`` and ``correct`` counts."""
    answered, correct = _SCORE.first(session_id=session_id) or (0, 0)
    return {"answered": answered, "correct": correct}
