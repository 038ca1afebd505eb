"""Show a question to a student and take their answer: shared by practice, exams and review.

The correct position is kept on the server; a page shows only the choice texts. Refusals raise
``AnswerRefused`` with one of the message constants below (tests and views reuse them).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction

from ..content.variants import Variant
from ..models import Question, QuestionVersion, Response
from ..selectors.variants import chosen_variant, fresh_variant, seeds_seen
from .grading import BadNumber, Grade, answer_key, grade, is_numeric, parse_number
from .regrading import apply_rules_to
from .review import cards_record

ALREADY_ANSWERED = "This question was already answered; your first answer stands."
NOT_A_CHOICE = "That is not one of the choices shown. Pick one of the listed answers."
NO_CHOICE = "Pick an answer first."
NOT_IN_ATTEMPT = "That question is not part of this exam."
ATTEMPT_FINISHED = "This exam is finished: its answers can no longer change."
DEADLINE_PASSED = "Time is up: answers after the deadline are not accepted."
NOT_ANSWERED_YET = "Answer the question first."
ALREADY_REVEALED = "The answer is already shown: try another variant or go on to the next question."
NO_MORE_TRIES = "No tries left on this variant: the answer is shown."
MAX_TRIES = 3
"""Practice: tries on the same variant before its answer is revealed (the first one counts)."""
KEPT_TYPED = 200
"""A refused typed answer is given back to its field up to this many characters."""


SELF_GRADED_MODES = (Response.Mode.PRACTICE, Response.Mode.REVIEW)
"""Modes whose answers are graded one by one, as soon as they are given (not exams)."""


class AnswerRefused(Exception):
    """An answer was not accepted; ``message`` says why and nothing was changed.

    ``typed`` holds a refused typed number as it was typed, so the page can give it back.
    """

    def __init__(self, message: str, *, status: int = 400, typed: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.typed = typed


@dataclass(frozen=True)
class Given:
    """An answer as given: a display ``position``, or a typed number (``text`` and ``value``)."""

    position: int | None = None
    text: str = ""
    value: float | None = None

    @property
    def graded(self) -> int | float:
        return self.position if self.position is not None else self.value


def read_answer(version: QuestionVersion, *, raw_choice: object, raw_number: object,
                choice_count: int) -> Given:
    """Return the answer in a form's input for ``version``; raise ``AnswerRefused``."""
    if is_numeric(version):
        try:
            value = parse_number(raw_number)
        except BadNumber as bad:
            raise AnswerRefused(bad.message, typed=("" if raw_number is None else str(raw_number))[:KEPT_TYPED]) \
                from None
        return Given(text=str(raw_number).strip(), value=value)
    return Given(position=parse_position(raw_choice, choice_count))


def grade_given(response: Response, given: Given) -> Grade:
    """Grade ``given`` against the variant ``response`` showed."""
    key = answer_key(response.version, response.seed, correct_position=response.correct_position,
                     choice_order=response.choice_order)
    return grade(key, given.graded)


def may_retry(*, numeric: bool, tries_used: int, last: Grade) -> bool:
    """Return True if a practice answer that was ``last`` graded may be tried again.

    A wrong number may always be retried; a wrong choice only if it named a misconception
    (its feedback is the hint). At most ``MAX_TRIES`` tries in all.
    """
    return not last.is_correct and tries_used < MAX_TRIES and (numeric or bool(last.misconception))


def last_grade(response: Response) -> Grade:
    """Return the grade of ``response``'s latest try (the first answer if it has no later ones)."""
    if response.tries:
        last = response.tries[-1]
        return Grade(bool(last.get("correct")), str(last.get("misconception", "")))
    return Grade(bool(response.is_correct), response.misconception)


def awaiting_retry(response: Response) -> bool:
    """Return True if an answered practice question may still be tried again (answer hidden)."""
    return (response.mode == Response.Mode.PRACTICE and response.answered_at is not None
            and response.revealed_at is None
            and may_retry(numeric=response.answer_value is not None, tries_used=1 + len(response.tries),
                          last=last_grade(response)))


def try_record(given: Given, result: Grade, when: datetime) -> dict:
    """Return one later try as ``Response.tries`` keeps it."""
    return {"position": given.position, "text": given.text, "value": given.value,
            "correct": result.is_correct, "misconception": result.misconception, "at": when.isoformat()}


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
            correct_position=next((i for i, c in enumerate(variant.choices) if c.correct), 0),
        )

    def as_fields(self) -> dict:
        """Return the ``Response`` fields this fills."""
        return {"version_id": self.version_id, "seed": self.seed, "params": self.params,
                "choice_order": self.choice_order, "choice_texts": self.choice_texts,
                "correct_position": self.correct_position}


def show_question(question: Question, *, seed: int | None = None, avoid: Collection[int] = ()) -> Shown:
    """Return a fresh variant of ``question``'s current version (none of the seeds ``avoid`` while
    others remain), or exactly variant ``seed``, as shown."""
    version = question.current_version
    return Shown.of(version.pk, fresh_variant(version, avoid=avoid) if seed is None
                    else chosen_variant(version, seed))


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


def response_create(*, user, question: Question, mode: str, when: datetime, seed: int | None = None,
                    **links) -> Response:
    """Show ``question`` to ``user`` (variant ``seed`` if given, else one they have not been shown) and record it."""
    avoid = seeds_seen(user, [question.pk]).get(question.pk, set()) if seed is None else set()
    shown = show_question(question, seed=seed, avoid=avoid)
    response = Response.objects.create(user=user, question=question, mode=mode, shown_at=when,
                                       **shown.as_fields(), **links)
    response.version = question.current_version  # the version shown: the page reads it next
    return response


def count_first_answers(responses: list[Response]) -> None:
    """Set ``is_first_attempt`` on one student's final answers (the caller saves it with them).

    A response counts if it is the student's first final answer to its question. One query,
    however many responses (an exam's are counted together).
    """
    if not responses:
        return
    counted = set(Response.objects.filter(user_id=responses[0].user_id,
                                          question_id__in={r.question_id for r in responses},
                                          is_first_attempt=True)
                  .exclude(pk__in=[r.pk for r in responses]).order_by().values_list("question_id", flat=True))
    for response in responses:
        response.is_first_attempt = response.question_id not in counted
        counted.add(response.question_id)


def schedule_reviews(responses: list[Response], *, when: datetime) -> None:
    """Schedule the spaced reviews of one student's final answers, saved at ``when``.

    Practising one's mistakes is not a review: those answers leave the schedule alone.
    """
    if responses:
        cards_record(user=responses[0].user, when=when, answers=[
            (response.question_id, bool(response.is_correct)) for response in responses
            if not (response.practice_session_id and response.practice_session.focus_question_ids)])


def _own(response_id: int, user, modes) -> Response:
    """Return ``user``'s response locked (its row only: a class answers the same question at once)."""
    return (Response.objects.select_for_update(of=("self",))
            .select_related("question", "version", "user", "practice_session")  # all that grading reads
            .get(pk=response_id, user=user, mode__in=modes))


@transaction.atomic
def response_answer(*, response_id: int, user, raw_choice: object, when: datetime,
                    mode: str | None = None, raw_number: object = None) -> Response:
    """Grade a practice or review answer once; raise ``AnswerRefused`` (nothing changes).

    Only ``user``'s practice or review responses (of ``mode`` alone, if given) are found; any
    other id raises ``Response.DoesNotExist``. Exam answers go through ``exams.exam_answer``,
    which enforces the deadline. A wrong practice answer that may be tried again
    (``may_retry``) leaves the answer unrevealed; the first answer is the one that counts.
    """
    modes = [m for m in SELF_GRADED_MODES if mode in (None, m)]
    response = _own(response_id, user, modes)
    if response.answered_at is not None:
        raise AnswerRefused(ALREADY_ANSWERED, status=409)
    given = read_answer(response.version, raw_choice=raw_choice, raw_number=raw_number,
                        choice_count=len(response.choice_texts))
    result = grade_given(response, given)
    response.chosen_position = given.position
    response.answer_text, response.answer_value = given.text, given.value
    response.is_correct, response.misconception = result.is_correct, result.misconception
    response.answered_at = when
    retry = response.mode == Response.Mode.PRACTICE and may_retry(
        numeric=given.value is not None, tries_used=1, last=result)
    response.revealed_at = None if retry else when
    apply_rules_to([response])  # the version's regrading rules, if any
    count_first_answers([response])
    response.save(update_fields=["chosen_position", "answer_text", "answer_value", "is_correct",
                                 "misconception", "answered_at", "revealed_at", "scored", "is_first_attempt"])
    schedule_reviews([response], when=when)
    return response


@transaction.atomic
def response_retry(*, response_id: int, user, raw_choice: object, raw_number: object,
                   when: datetime) -> Response:
    """Take another try at an answered, unrevealed practice question; raise ``AnswerRefused``.

    The try is kept in ``tries`` (statistics never see it); a right try, or the last one
    allowed, reveals the answer.
    """
    response = _own(response_id, user, [Response.Mode.PRACTICE])
    if response.answered_at is None:
        raise AnswerRefused(NOT_ANSWERED_YET, status=409)
    if not awaiting_retry(response):
        raise AnswerRefused(ALREADY_REVEALED, status=409)
    given = read_answer(response.version, raw_choice=raw_choice, raw_number=raw_number,
                        choice_count=len(response.choice_texts))
    result = grade_given(response, given)
    response.tries = [*response.tries, try_record(given, result, when)]
    if not may_retry(numeric=given.value is not None, tries_used=1 + len(response.tries), last=result):
        response.revealed_at = when
    response.save(update_fields=["tries", "revealed_at"])
    return response


@transaction.atomic
def response_reveal(*, response_id: int, user, when: datetime) -> Response:
    """Show the answer of an answered practice question without trying again."""
    response = _own(response_id, user, [Response.Mode.PRACTICE])
    if response.answered_at is None:
        raise AnswerRefused(NOT_ANSWERED_YET, status=409)
    if response.revealed_at is None:
        response.revealed_at = when
        response.save(update_fields=["revealed_at"])
    return response
