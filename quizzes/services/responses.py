"""Show a question to a student and take their answer: shared by practice, exams and review.

The correct position is kept on the server; a page shows only the choice texts. Refusals raise
``AnswerRefused`` with one of the message constants below (tests and views reuse them).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction

from ..content.variants import Variant
from ..models import Question, Response
from .regrading import apply_rules_to
from .review import card_record
from .variants import fresh_variant

ALREADY_ANSWERED = "This question was already answered; your first answer stands."
NOT_A_CHOICE = "That is not one of the choices shown. Pick one of the listed answers."
NO_CHOICE = "Pick an answer first."
NOT_IN_ATTEMPT = "That question is not part of this exam."
ATTEMPT_FINISHED = "This exam is finished: its answers can no longer change."
DEADLINE_PASSED = "Time is up: answers after the deadline are not accepted."


SELF_GRADED_MODES = (Response.Mode.PRACTICE, Response.Mode.REVIEW)
"""Modes whose answers are graded one by one, as soon as they are given (not exams)."""


class AnswerRefused(Exception):
    """An answer was not accepted; ``message`` says why and nothing was changed."""

    def __init__(self, message: str, *, status: int = 400) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


@dataclass(frozen=True)
class Shown:
    """What was put in front of a student: enough to grade and to redraw the page exactly."""

    version_id: int
    seed: int
    params: dict
    choice_order: list[int]
    choice_texts: list[str]
    correct_position: int

    @classmethod
    def of(cls, version_id: int, variant: Variant) -> Shown:
        return cls(
            version_id=version_id, seed=variant.seed, params=dict(variant.params),
            choice_order=[choice.index for choice in variant.choices],
            choice_texts=[choice.text for choice in variant.choices],
            correct_position=next(i for i, c in enumerate(variant.choices) if c.correct),
        )

    def as_fields(self) -> dict:
        """Return the ``Response`` fields this fills."""
        return {"version_id": self.version_id, "seed": self.seed, "params": self.params,
                "choice_order": self.choice_order, "choice_texts": self.choice_texts,
                "correct_position": self.correct_position}


def show_question(question: Question) -> Shown:
    """Return a fresh variant of ``question``'s current version, as shown."""
    version = question.current_version
    return Shown.of(version.pk, fresh_variant(version))


def parse_position(raw: object, choice_count: int) -> int:
    """Return the chosen display position from form input; raise ``AnswerRefused``."""
    if raw in (None, ""):
        raise AnswerRefused(NO_CHOICE)
    try:
        position = int(str(raw))
    except ValueError:
        raise AnswerRefused(NOT_A_CHOICE) from None
    if not 0 <= position < choice_count:
        raise AnswerRefused(NOT_A_CHOICE)
    return position


def response_create(*, user, question: Question, mode: str, when: datetime, **links) -> Response:
    """Show ``question`` to ``user`` and record it (unanswered)."""
    shown = show_question(question)
    return Response.objects.create(user=user, question=question, mode=mode, shown_at=when,
                                   **shown.as_fields(), **links)


def finalise(response: Response, *, when: datetime) -> None:
    """Mark ``response`` as counting (first attempt or not) and schedule its review."""
    response.is_first_attempt = not Response.objects.filter(
        user_id=response.user_id, question_id=response.question_id, is_first_attempt=True,
    ).exclude(pk=response.pk).exists()
    response.save(update_fields=["is_first_attempt"])
    card_record(user=response.user, question=response.question, correct=bool(response.is_correct), when=when)


@transaction.atomic
def response_answer(*, response_id: int, user, raw_choice: object, when: datetime,
                    mode: str | None = None) -> Response:
    """Grade a practice or review answer once; raise ``AnswerRefused`` (nothing changes).

    Only ``user``'s practice or review responses (of ``mode`` alone, if given) are found; any
    other id raises ``Response.DoesNotExist``. Exam answers go through ``exams.exam_answer``,
    which enforces the deadline.
    """
    modes = [m for m in SELF_GRADED_MODES if mode in (None, m)]
    response = (Response.objects.select_for_update().select_related("question", "version")
                .get(pk=response_id, user=user, mode__in=modes))
    if response.answered_at is not None:
        raise AnswerRefused(ALREADY_ANSWERED, status=409)
    position = parse_position(raw_choice, len(response.choice_texts))
    response.chosen_position = position
    response.is_correct = position == response.correct_position
    response.answered_at = when
    apply_rules_to([response])  # the version's regrading rules, if any
    response.save(update_fields=["chosen_position", "is_correct", "answered_at", "scored"])
    finalise(response, when=when)
    return response
