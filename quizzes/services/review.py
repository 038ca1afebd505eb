"""Spaced review with FSRS: a wrong answer rates the question Again, a right one Good."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from fsrs import Card, Rating, Scheduler

from ..models import ReviewCard
from .row_updates import update_rows

SCHEDULER = Scheduler(
    learning_steps=(timedelta(minutes=10), timedelta(days=1)),
    relearning_steps=(timedelta(minutes=10),),
    enable_fuzzing=False,
)
"""Practice questions are slower to redo than flashcards: steps of 10 minutes, then a day."""


def cards_record(*, user, answers: list[tuple[int, bool]], when: datetime) -> None:
    """Schedule the next review of each question ``user`` answered finally at ``when``.

    ``answers``: (question id, correct) pairs, taken in order (a question twice moves its card
    twice). The card rows are created if missing and locked, in question order, while they are
    updated, so two answers finishing at once (an exam submitted while a practice answer is
    graded) both count and neither fails. One query each to create, lock and update
    (``update_rows``), however many answers. fsrs's card id is the question's (fsrs sleeps 1 ms
    to invent one).
    """
    if not answers:
        return
    question_ids = sorted({question_id for question_id, _ in answers})
    with transaction.atomic(savepoint=False):  # inside a grading's transaction, no savepoint is needed
        ReviewCard.objects.bulk_create(
            [ReviewCard(user=user, question_id=question_id, due=when,
                        state=Card(card_id=question_id, due=when).to_dict()) for question_id in question_ids],
            ignore_conflicts=True)  # a card that exists stays as it is
        cards = {card.question_id: card for card in ReviewCard.objects.select_for_update()
                 .filter(user=user, question_id__in=question_ids).order_by("question_id")}
        for question_id, correct in answers:
            card_row = cards[question_id]
            rating = Rating.Good if correct else Rating.Again
            card, _ = SCHEDULER.review_card(Card.from_dict(card_row.state), rating, when)
            card_row.state, card_row.due = card.to_dict(), card.due
            card_row.reviews += 1
            card_row.last_rating = rating.name
        update_rows(list(cards.values()), ["state", "due", "reviews", "last_rating"])
