"""Spaced review with FSRS: a wrong answer rates the question Again, a right one Good."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from fsrs import Card, Rating, Scheduler

from ..models import Question, ReviewCard

SCHEDULER = Scheduler(
    learning_steps=(timedelta(minutes=10), timedelta(days=1)),
    relearning_steps=(timedelta(minutes=10),),
    enable_fuzzing=False,
)
"""Practice questions are slower to redo than flashcards: steps of 10 minutes, then a day."""


def card_record(*, user, question: Question, correct: bool, when: datetime) -> ReviewCard:
    """Schedule ``question``'s next review for ``user`` after a final answer at ``when``.

    The card row is locked while it is updated, so two answers finishing at once (an exam
    submitted while a practice answer is graded) both count and neither fails. fsrs's card id
    is the question's (fsrs sleeps 1 ms to invent one: 20 per exam submit, under the lock).
    """
    with transaction.atomic():
        card_row, _ = ReviewCard.objects.select_for_update().get_or_create(
            user=user, question=question,
            defaults={"due": when, "state": Card(card_id=question.pk, due=when).to_dict()},
        )
        card = Card.from_dict(card_row.state)
        rating = Rating.Good if correct else Rating.Again
        card, _ = SCHEDULER.review_card(card, rating, when)
        card_row.state = card.to_dict()
        card_row.due = card.due
        card_row.reviews += 1
        card_row.last_rating = rating.name
        card_row.save(update_fields=["state", "due", "reviews", "last_rating"])
    return card_row
