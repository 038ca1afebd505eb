"""Practice: a filtered run of questions, one at a time, with a running score.

Signed-in students' answers are saved as ``Response`` rows; anonymous visitors' live only in
their session (``AnonymousPractice``) and are never saved.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from datetime import datetime

from django.db import transaction

from ..models import PracticeSession, Question, Response, Topic
from ..selectors.questions import in_open_exams, pick_question, practice_candidates, published_questions
from .responses import (
    ALREADY_ANSWERED,
    AnswerRefused,
    Shown,
    parse_position,
    response_answer,
    response_create,
    show_question,
)
from .variants import SEED_LIMIT

NO_QUESTIONS = "No published questions match that choice yet. Try other topics or any difficulty."
RECENT_WINDOW = 50


class NoQuestions(Exception):
    """Nothing matches the practice filter."""


@transaction.atomic
def practice_start(*, user, topic_slugs: list[str], difficulty: int | None) -> PracticeSession:
    """Start a practice session for a signed-in ``user``."""
    session = PracticeSession.objects.create(user=user, difficulty=difficulty)
    session.topics.set(Topic.objects.filter(slug__in=topic_slugs))
    return session


def practice_current(*, session: PracticeSession, when: datetime) -> Response:
    """Return the session's unanswered question, or show a new one; raise ``NoQuestions``."""
    pending = (session.responses.filter(answered_at__isnull=True)
               .select_related("version", "question__topic").defer("version__data")
               .exclude(question_id__in=in_open_exams(session.user)).order_by("-shown_at").first())
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
        recent = session.responses.order_by("-shown_at").values_list("question_id", flat=True)[:RECENT_WINDOW]
        question = pick_question(candidates, recently_seen=list(recent))
        if question is None:
            raise NoQuestions(NO_QUESTIONS)
    session.responses.filter(answered_at__isnull=True).delete()  # skipped, never answered
    return response_create(user=session.user, question=question, mode=Response.Mode.PRACTICE,
                           when=when, practice_session=session)


def practice_answer(*, session: PracticeSession, response_id: int, raw_choice: object, when: datetime) -> Response:
    """Grade an answer to one of ``session``'s questions."""
    if not session.responses.filter(pk=response_id).exists():
        raise Response.DoesNotExist
    return response_answer(response_id=response_id, user=session.user, raw_choice=raw_choice, when=when,
                           mode=Response.Mode.PRACTICE)


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
            and _is_int(data["correct_position"]) and 0 <= data["correct_position"] < len(texts))


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
        )

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
        self.question_id = question.pk
        self.shown = asdict(show_question(question))
        self.chosen_position = None
        self.seen = (self.seen + [question.pk])[-RECENT_WINDOW:]
        return question

    def answer(self, raw_choice: object) -> bool:
        """Grade the shown question once; return whether it was right; raise ``AnswerRefused``."""
        shown = self.shown_question
        if shown is None:
            raise AnswerRefused(NO_QUESTIONS)
        if self.chosen_position is not None:
            raise AnswerRefused(ALREADY_ANSWERED, status=409)
        self.chosen_position = parse_position(raw_choice, len(shown.choice_texts))
        correct = self.chosen_position == shown.correct_position
        self.answered += 1
        self.correct += int(correct)
        return correct
