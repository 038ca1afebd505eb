"""Exams: start (questions drawn once), answer and flag while open, finish and grade once.

The time limit is enforced here, on the server: an answer after the deadline is refused, and
an attempt past its deadline is finished and graded the next time anything touches it.
"""

from __future__ import annotations

import random
from datetime import datetime

from django.db import IntegrityError, transaction

from ..lti.grades import post_attempt_grade
from ..models import Exam, ExamAttempt, QuestionVersion, Response
from ..selectors.compiled import CompiledRead, Shape
from ..selectors.questions import published_questions
from ..selectors.variants import seeds_seen
from . import exam_rules, regrading
from .responses import (
    ATTEMPT_FINISHED,
    DEADLINE_PASSED,
    NOT_IN_ATTEMPT,
    AnswerRefused,
    Given,
    count_first_answers,
    grade_given,
    read_answer,
    schedule_reviews,
    show_question,
)
from .row_updates import update_rows
from .visits import OpenVisit, visit_start, visits_end

EXAM_UNAVAILABLE = "This exam cannot be started: the question bank does not have enough questions for it."


class ExamUnavailable(Exception):
    """The bank cannot fill the exam's sections."""


def draw_questions(exam: Exam, rng: random.Random) -> list:
    """Return the exam's questions (with their current versions): each section draws ``count``
    distinct questions of its topics and difficulties, none drawn by an earlier section.

    Two queries however many sections: the candidates' ids, then the drawn questions.
    """
    candidates = list(published_questions().filter(topic__slug__in={t for s in exam.sections for t in s["topics"]})
                      .order_by("pk").values_list("pk", "topic__slug", "difficulty"))
    chosen: list[int] = []
    for section in exam.sections:
        topics, difficulties = set(section["topics"]), section.get("difficulty")
        available = [pk for pk, topic, difficulty in candidates
                     if topic in topics and (not difficulties or difficulty in difficulties) and pk not in chosen]
        if len(available) < section["count"]:
            raise ExamUnavailable(EXAM_UNAVAILABLE)
        chosen += rng.sample(available, section["count"])
    drawn = published_questions().select_related("current_version").in_bulk(chosen)
    if len(drawn) < len(chosen):  # retired between the two queries
        raise ExamUnavailable(EXAM_UNAVAILABLE)
    return [drawn[pk] for pk in chosen]


def open_attempt(*, user, exam: Exam) -> ExamAttempt | None:
    return ExamAttempt.objects.filter(user=user, exam=exam, finished_at__isnull=True).first()


def exam_start(*, user, exam: Exam, when: datetime) -> ExamAttempt:
    """Return ``user``'s open attempt at ``exam``, or start one (one open attempt per exam).

    A new attempt must be allowed by the exam rules (``exam_rules.ExamRefused`` otherwise); its
    deadline includes the student's extra time and stops at the window's close.
    """
    existing = open_attempt(user=user, exam=exam)
    if existing is not None and not attempt_expire_if_due(existing, when=when):
        return existing
    rules = exam_rules.rules_for(user=user, exam=exam, when=when)
    rules.check_start(when)  # windows and maximum attempts: raises ExamRefused
    questions = draw_questions(exam, random.Random())
    seen = seeds_seen(user, [question.pk for question in questions])  # variants not shown to them before
    shown = [show_question(question, avoid=seen.get(question.pk, set())) for question in questions]
    try:
        with transaction.atomic():
            attempt = ExamAttempt.objects.create(
                user=user, exam=exam, started_at=when, total=len(questions),
                deadline=rules.deadline(when), one_way=rules.one_way,  # extra time and the window's close
            )
            Response.objects.bulk_create([
                Response(user=user, question=question, mode=Response.Mode.EXAM, shown_at=when,
                         exam_attempt=attempt, position=position, **variant.as_fields())
                for position, (question, variant) in enumerate(zip(questions, shown, strict=True), start=1)
            ])
    except IntegrityError:  # a concurrent request started it first
        return open_attempt(user=user, exam=exam)
    return attempt


def attempt_expire_if_due(attempt: ExamAttempt, *, when: datetime) -> bool:
    """Finish ``attempt`` as timed out if its deadline has passed; return whether it is finished."""
    if attempt.finished_at is None and when >= attempt.deadline:
        exam_finish(attempt_id=attempt.pk, when=attempt.deadline, timed_out=True)
        attempt.refresh_from_db()
    return attempt.finished_at is not None


def exam_item_viewed(*, item: Response, when: datetime, under_way: list[OpenVisit] | None = None) -> None:
    """Record when the student first opened this exam question (for the time it took).

    ``under_way``: the attempt's visits as the caller just read them (``visits.visit_start``).
    """
    visit_start(item=item, when=when, under_way=under_way, first_view=item.viewed_at is None)


_LOCKED_ATTEMPT = CompiledRead(
    lambda p: ExamAttempt.objects.select_for_update().filter(pk=p.attempt_id),
    params=("attempt_id",), shape=Shape(ExamAttempt, ("id", "deadline", "finished_at", "one_way", "furthest_position")))
_ITEM_TO_ANSWER = CompiledRead(
    lambda p: Response.objects.filter(exam_attempt_id=p.attempt_id, position=p.position)[:1],
    params=("attempt_id", "position"),
    shape=Shape(Response, ("id", "question_id", "version_id", "seed", "choice_texts", "chosen_position",
                           "answered_at", "exam_attempt_id", "position", "flagged", "answer_text", "answer_value"),
                joins=(("version", Shape(QuestionVersion, ("id", "question_id", "content_hash", "data"))),)))
"""The autosave's reads, compiled once (``selectors.compiled``): it is the request a class sends most."""


def _item_at(attempt_id: int, position: object) -> Response | None:
    """Return the attempt's item at ``position`` with its version (an attempt's items never change)."""
    try:
        return _ITEM_TO_ANSWER.instance(attempt_id=attempt_id, position=int(str(position)))
    except ValueError:
        return None


def _lock_open(attempt_id: int, item: Response | None, when: datetime) -> ExamAttempt:
    """Lock the attempt and check that ``item`` may be answered now; raise ``AnswerRefused``."""
    attempt = _LOCKED_ATTEMPT.instance(attempt_id=attempt_id)
    if attempt is None:
        raise AnswerRefused(NOT_IN_ATTEMPT, status=404)
    if attempt.finished_at is not None:
        raise AnswerRefused(ATTEMPT_FINISHED, status=409)
    if when >= attempt.deadline:
        raise AnswerRefused(DEADLINE_PASSED, status=409)
    if item is None:
        raise AnswerRefused(NOT_IN_ATTEMPT)
    exam_rules.exam_item_open(attempt=attempt, position=item.position)  # one way: no going back
    return attempt


def exam_answer(*, attempt_id: int, position: object, raw_choice: object, when: datetime,
                raw_number: object = None) -> Response:
    """Save (or change) the answer at ``position`` of an open attempt; raise ``AnswerRefused``.

    A choice or a typed number is only stored here: it is graded at submit (``exam_finish``).
    The attempt is locked only while it is checked and the answer written: a class autosaves
    at once, and on SQLite every other writer waits for the lock (in steps of 1 ms or more), so
    the answer is written with one plain UPDATE (``update_rows``: a fifth of ``save()``'s time).
    """
    item = _item_at(attempt_id, position)
    with transaction.atomic():
        _lock_open(attempt_id, item, when)
        given = read_answer(item.version, raw_choice=raw_choice, raw_number=raw_number,
                            choice_count=len(item.choice_texts))
        item.chosen_position = given.position
        item.answer_text, item.answer_value = given.text, given.value
        item.answered_at = when
        update_rows([item], ["chosen_position", "answer_text", "answer_value", "answered_at"])
    visits_end(attempt_id=attempt_id, when=when, keep_pk=item.pk)  # each visit's end is checked on its own
    return item


def read_given(item: Response) -> Given:
    """Return the answer stored on an exam item (a position, or a typed number)."""
    if item.answer_value is not None:
        return Given(text=item.answer_text, value=item.answer_value)
    return Given(position=item.chosen_position)


def exam_flag(*, attempt_id: int, position: object, flagged: bool, when: datetime) -> Response:
    """Flag (or unflag) a question of an open attempt for review before submitting."""
    item = _item_at(attempt_id, position)
    with transaction.atomic():
        _lock_open(attempt_id, item, when)
        item.flagged = flagged
        update_rows([item], ["flagged"])
    return item


@transaction.atomic
def exam_finish(*, attempt_id: int, when: datetime, timed_out: bool = False) -> ExamAttempt:
    """Grade and close an attempt once; finishing a finished attempt changes nothing.

    Only the attempt's row is locked (not its exam's, which every classmate's submit reads).
    """
    attempt = ExamAttempt.objects.select_for_update(of=("self",)).select_related("exam").get(pk=attempt_id)
    if attempt.finished_at is not None:
        return attempt
    finished_at = min(when, attempt.deadline)
    items = list(attempt.responses.select_related("question", "user", "version"))
    for item in items:
        result = grade_given(item, read_given(item)) if item.answered_at is not None else None
        item.is_correct = bool(result and result.is_correct)
        item.misconception = result.misconception if result else ""
    regrading.apply_rules_to(items)  # the version's regrading rules, if any
    attempt.score, attempt.total = regrading.attempt_score(items)
    attempt.passed = regrading.passes(attempt.score, attempt.total, attempt.exam.pass_mark)
    attempt.finished_at = finished_at
    attempt.timed_out = timed_out
    attempt.save(update_fields=["score", "total", "passed", "finished_at", "timed_out"])
    count_first_answers(items)
    update_rows(items, ["is_correct", "misconception", "scored", "is_first_attempt"])
    visits_end(attempt_id=attempt.pk, when=finished_at)
    schedule_reviews(items, when=finished_at)
    post_attempt_grade(attempt)  # to the LMS gradebook, if the exam was launched from one (LTI)
    return attempt
