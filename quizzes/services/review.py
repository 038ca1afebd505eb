"""Spaced review with FSRS: a wrong answer rates the question Again, a right one Good."""

from __future__ import annotations

from datetime import datetime, timedelta

from fsrs import Card, Rating, Scheduler

from ..models import Question, ReviewCard

SCHEDULER = Scheduler(
    learning_steps=(timedelta(minutes=10), timedelta(days=1)),
    relearning_steps=(timedelta(minutes=10),),
    enable_fuzzing=False,
)
"""Practice questions are slower to redo than flashcards: steps of 10 minutes, then a day."""


def card_record(*, user, question: Question, correct: bool, when: datetime) -> ReviewCard:
    """Schedule ``question``'s next review for ``user`` after a final answer at ``when``."""
    card_row = ReviewCard.objects.filter(user=user, question=question).first()
    card = Card.from_dict(card_row.state) if card_row else Card(due=when)
    rating = Rating.Good if correct else Rating.Again
    card, _ = SCHEDULER.review_card(card, rating, when)
    if card_row is None:
        card_row = ReviewCard(user=user, question=question)
    card_row.state = card.to_dict()
    card_row.due = card.due
    card_row.reviews += 1
    card_row.last_rating = rating.name
    card_row.save()
    return card_row
