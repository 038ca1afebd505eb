"""Practice: a filtered run of questions, one at a time, with a running score.

Signed-in students' answers are saved as ``Response`` rows; anonymous visitors' live only in
their session (``AnonymousPractice``) and are never saved.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime

from django.db import transaction

from ..models import PracticeSession, Question, Response, Topic
from ..selectors.questions import pick_question, practice_candidates
from .responses import (
    ALREADY_ANSWERED,
    AnswerRefused,
    Shown,
    parse_position,
    response_answer,
    response_create,
    show_question,
)

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
    pending = session.responses.filter(answered_at__isnull=True).order_by("-shown_at").first()
    if pending is not None:
        return pending
    return practice_next(session=session, when=when)


def practice_next(*, session: PracticeSession, when: datetime, same_question: Question | None = None) -> Response:
    """Show the next question (or another variant of ``same_question``); raise ``NoQuestions``."""
    question = same_question
    if question is None:
        candidates = practice_candidates(topic_slugs=session.topics.values_list("slug", flat=True),
                                         difficulty=session.difficulty)
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
    return response_answer(response_id=response_id, user=session.user, raw_choice=raw_choice, when=when)


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
        data = session.get(cls.SESSION_KEY)
        try:
            return cls(**data) if data else None
        except TypeError:
            return None

    def save(self, session) -> None:
        session[self.SESSION_KEY] = asdict(self)

    @property
    def shown_question(self) -> Shown | None:
        return Shown(**self.shown) if self.shown else None

    def show_next(self, *, same: bool = False) -> Question:
        """Show another question (or a new variant of the same one); raise ``NoQuestions``."""
        if same and self.question_id:
            question = Question.objects.select_related("current_version").filter(pk=self.question_id).first()
        else:
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
