"""Practice: a filtered run of questions, one at a time, with a running score.

Signed-in students' answers are saved as ``Response`` rows; anonymous visitors' live only in
their session (``AnonymousPractice``) and are never saved.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from datetime import datetime

from django.db import transaction

from cnncore.scenarios.params import SEED_LIMIT

from ..models import PracticeSession, Question, Response, Topic
from ..selectors.practice import pending_response
from ..selectors.questions import (
    in_open_exams,
    pick_question,
    practice_candidates,
    published_questions,
    recent_mistakes,
)
from .grading import Grade, answer_key, grade
from .responses import (
    ALREADY_ANSWERED,
    ALREADY_REVEALED,
    MAX_TRIES,
    NOT_ANSWERED_YET,
    AnswerRefused,
    Given,
    Shown,
    may_retry,
    read_answer,
    response_answer,
    response_create,
    show_question,
    try_record,
)

NO_MISTAKES = "You have no recent mistakes to practise: every question you answered lately was right."
NO_QUESTIONS = "No published questions match that choice yet. Try other topics or any difficulty."
IN_OPEN_EXAM = "This question is part of an exam you have not finished: practise it after submitting the exam."
RECENT_WINDOW = 50


class NoQuestions(Exception):
    """Nothing matches the practice filter."""


@transaction.atomic
def practice_start(*, user, topic_slugs: list[str], difficulty: int | None) -> PracticeSession:
    """Start a practice session for a signed-in ``user``."""
    session = PracticeSession.objects.create(user=user, difficulty=difficulty)
    if topic_slugs:  # none: every topic
        session.topics.add(*Topic.objects.filter(slug__in=topic_slugs))
    return session


def practice_start_mistakes(*, user) -> PracticeSession:
    """Start a practice session over ``user``'s recent mistakes; raise ``NoQuestions`` if there are none.

    Its answers are practice, not reviews: they never reschedule a spaced-review card.
    """
    mistakes = recent_mistakes(user)
    if not mistakes:
        raise NoQuestions(NO_MISTAKES)
    return PracticeSession.objects.create(user=user, focus_question_ids=mistakes)


def practice_current(*, session: PracticeSession, when: datetime) -> Response:
    """Return the session's unanswered question, or show a new one; raise ``NoQuestions``."""
    pending = pending_response(session)
    if pending is not None:
        return pending
    return practice_next(session=session, when=when)


def practice_next(*, session: PracticeSession, when: datetime, same_question: Question | None = None) -> Response:
    """Show the next question (or another variant of ``same_question``); raise ``NoQuestions``.

    A retired ``same_question`` (removed from the bank since it was answered) gives way to a new one.
    """
    in_exam = in_open_exams(session.user)
    question = same_question if same_question is not None and same_question.retired_at is None else None
    if question is not None and in_exam.filter(question_id=question.pk).exists():
        question = None
    if question is None:
        candidates = practice_candidates(topic_slugs=session.topics.values_list("slug", flat=True),
                                         difficulty=session.difficulty).exclude(pk__in=in_exam)
        if session.focus_question_ids:
            candidates = candidates.filter(pk__in=session.focus_question_ids)
        recent = session.responses.order_by("-shown_at").values_list("question_id", flat=True)[:RECENT_WINDOW]
        question = pick_question(candidates, recently_seen=list(recent))
        if question is None:
            raise NoQuestions(NO_QUESTIONS)
    forget_skipped(session)
    return response_create(user=session.user, question=question, mode=Response.Mode.PRACTICE,
                           when=when, practice_session=session)


def forget_skipped(session: PracticeSession) -> None:
    """Delete the run's questions shown but never answered (skipped), if there are any.

    Usually there are none: looking first spares the empty transaction (and, on SQLite, the
    write lock) that ``QuerySet.delete`` takes even when it finds nothing.
    """
    skipped = session.responses.filter(answered_at__isnull=True)
    if skipped.exists():
        skipped.delete()


def practice_show(*, session: PracticeSession, question: Question, seed: int, when: datetime) -> Response:
    """Show exactly variant ``seed`` of ``question`` in ``session`` (a permalink); raise
    ``AnswerRefused`` if it is in the student's open exam, or the variant's collision errors."""
    if in_open_exams(session.user).filter(question_id=question.pk).exists():
        raise AnswerRefused(IN_OPEN_EXAM, status=409)
    shown = show_question(question, seed=seed)  # raises before anything is deleted
    forget_skipped(session)
    return Response.objects.create(user=session.user, question=question, mode=Response.Mode.PRACTICE,
                                   shown_at=when, practice_session=session, **shown.as_fields())


def practice_answer(*, session: PracticeSession, response_id: int, raw_choice: object, when: datetime,
                    raw_number: object = None) -> Response:
    """Grade an answer to one of ``session``'s questions."""
    if not session.responses.filter(pk=response_id).exists():
        raise Response.DoesNotExist
    return response_answer(response_id=response_id, user=session.user, raw_choice=raw_choice, when=when,
                           mode=Response.Mode.PRACTICE, raw_number=raw_number)


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_shown(data: object) -> bool:
    """Return True if ``data`` is a ``Shown`` as ``asdict`` wrote it."""
    if not isinstance(data, dict) or set(data) != {f.name for f in fields(Shown)}:
        return False
    texts = data["choice_texts"]
    return (_is_int(data["version_id"]) and _is_int(data["seed"]) and 0 <= data["seed"] < SEED_LIMIT
            and isinstance(data["params"], dict)
            and isinstance(data["choice_order"], list) and all(_is_int(i) for i in data["choice_order"])
            and isinstance(texts, list) and all(isinstance(text, str) for text in texts)
            and _is_int(data["correct_position"])
            and (0 <= data["correct_position"] < len(texts) or (not texts and data["correct_position"] == 0)))


def _is_try(data: object) -> bool:
    """Return True if ``data`` is a try as ``try_record`` wrote it."""
    return (isinstance(data, dict) and set(data) == {"position", "text", "value", "correct", "misconception", "at"}
            and (data["position"] is None or _is_int(data["position"])) and isinstance(data["text"], str)
            and (data["value"] is None or isinstance(data["value"], float | int))
            and isinstance(data["correct"], bool) and isinstance(data["misconception"], str))


@dataclass
class AnonymousPractice:
    """A visitor's practice, kept in their session: the filter, the shown question, the score."""

    topic_slugs: list[str] = field(default_factory=list)
    difficulty: int | None = None
    question_id: int | None = None
    shown: dict | None = None
    chosen_position: int | None = None
    answered: int = 0
    correct: int = 0
    seen: list[int] = field(default_factory=list)
    tries: list[dict] = field(default_factory=list)
    """Every try on the shown variant, first one first (``try_record``); empty before an answer."""
    revealed: bool = False

    SESSION_KEY = "anonymous_practice"

    @classmethod
    def load(cls, session) -> AnonymousPractice | None:
        """Return the visitor's practice, or None if there is none or it is not one this code wrote.

        Session data outlives deployments: a state of another shape starts the practice afresh
        instead of failing later.
        """
        data = session.get(cls.SESSION_KEY)
        if not data or not isinstance(data, dict) or not set(data) <= {f.name for f in fields(cls)}:
            return None
        state = cls(**data)
        return state if state.is_well_formed() else None

    def is_well_formed(self) -> bool:
        """Return True if every field has the type and range that ``save`` writes."""
        shown_ok = self.shown is None or _is_shown(self.shown)
        choices = len(self.shown["choice_texts"]) if shown_ok and self.shown else 0
        chosen = self.chosen_position
        return (
            shown_ok
            and isinstance(self.topic_slugs, list) and all(isinstance(slug, str) for slug in self.topic_slugs)
            and (self.difficulty is None or _is_int(self.difficulty))
            and (self.question_id is None or _is_int(self.question_id))
            and (chosen is None or (_is_int(chosen) and 0 <= chosen < choices))
            and _is_int(self.answered) and _is_int(self.correct) and 0 <= self.correct <= self.answered
            and isinstance(self.seen, list) and all(_is_int(pk) for pk in self.seen)
            and isinstance(self.tries, list) and len(self.tries) <= MAX_TRIES and all(map(_is_try, self.tries))
            and isinstance(self.revealed, bool)
        )

    @property
    def is_answered(self) -> bool:
        return bool(self.tries) or self.chosen_position is not None

    @property
    def awaiting_retry(self) -> bool:
        """True after a wrong try that may be tried again (the answer stays hidden)."""
        if not self.tries or self.revealed:
            return False
        last = self.tries[-1]
        return may_retry(numeric=last["value"] is not None, tries_used=len(self.tries),
                         last=Grade(last["correct"], last["misconception"]))

    def save(self, session) -> None:
        session[self.SESSION_KEY] = asdict(self)

    @property
    def shown_question(self) -> Shown | None:
        return Shown(**self.shown) if self.shown else None

    def show_next(self, *, same: bool = False) -> Question:
        """Show another question (or a new variant of the same one); raise ``NoQuestions``."""
        question = None
        if same and self.question_id:
            question = published_questions().select_related("current_version").filter(pk=self.question_id).first()
        if question is None:  # a new question, or the last one was retired or deleted since
            candidates = practice_candidates(topic_slugs=self.topic_slugs, difficulty=self.difficulty)
            question = pick_question(candidates, recently_seen=self.seen[-RECENT_WINDOW:])
        if question is None:
            raise NoQuestions(NO_QUESTIONS)
        shown_before = {self.shown["seed"]} if self.shown and self.question_id == question.pk else set()
        self.question_id = question.pk
        self.shown = asdict(show_question(question, avoid=shown_before))
        self.chosen_position = None
        self.tries, self.revealed = [], False
        self.seen = (self.seen + [question.pk])[-RECENT_WINDOW:]
        return question

    def show_variant(self, question: Question, seed: int) -> None:
        """Show exactly variant ``seed`` of ``question`` (a permalink); collisions raise."""
        shown = asdict(show_question(question, seed=seed))
        self.question_id, self.shown = question.pk, shown
        self.chosen_position, self.tries, self.revealed = None, [], False
        self.seen = (self.seen + [question.pk])[-RECENT_WINDOW:]

    def answer(self, raw_choice: object, raw_number: object = None, *, version, when: datetime) -> bool:
        """Grade the shown question's first try; return whether it was right; raise ``AnswerRefused``.

        ``version`` is the shown ``QuestionVersion``. Only the first try counts in the score.
        """
        if self.shown_question is None:
            raise AnswerRefused(NO_QUESTIONS)
        if self.is_answered:
            raise AnswerRefused(ALREADY_ANSWERED, status=409)
        correct = self._try(raw_choice, raw_number, version=version, when=when)
        self.answered += 1
        self.correct += int(correct)
        return correct

    def retry(self, raw_choice: object, raw_number: object = None, *, version, when: datetime) -> bool:
        """Take another try on the same variant (not scored); raise ``AnswerRefused``."""
        if not self.is_answered:
            raise AnswerRefused(NOT_ANSWERED_YET, status=409)
        if not self.awaiting_retry:
            raise AnswerRefused(ALREADY_REVEALED, status=409)
        return self._try(raw_choice, raw_number, version=version, when=when)

    def _try(self, raw_choice: object, raw_number: object, *, version, when: datetime) -> bool:
        shown = self.shown_question
        given: Given = read_answer(version, raw_choice=raw_choice, raw_number=raw_number,
                                   choice_count=len(shown.choice_texts))
        result = grade(answer_key(version, shown.seed, correct_position=shown.correct_position,
                                  choice_order=shown.choice_order), given.graded)
        if not self.tries:
            self.chosen_position = given.position
        self.tries = [*self.tries, try_record(given, result, when)]
        self.revealed = not self.awaiting_retry
        return result.is_correct
