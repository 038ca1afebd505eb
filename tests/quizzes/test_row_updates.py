"""``update_rows`` stores several rows' fields in one query, as ``save()`` would store them."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from quizzes.models import Question, Response, ReviewCard
from quizzes.services.responses import response_create
from quizzes.services.row_updates import update_rows

pytestmark = pytest.mark.django_db


def test_each_row_gets_its_own_values_in_one_query(synced, student):
    now = timezone.now()
    shown = [response_create(user=student, question=q, mode=Response.Mode.PRACTICE, when=now)
             for q in Question.objects.order_by("pk")[:3]]
    untouched = response_create(user=student, question=shown[0].question, mode=Response.Mode.PRACTICE, when=now)
    for row, (correct, misconception, scored) in zip(shown, [(True, "", True), (False, "sign-flip", False),
                                                             (None, "", True)], strict=True):
        row.is_correct, row.misconception, row.scored = correct, misconception, scored
    with CaptureQueriesContext(connection) as queries:
        assert update_rows(shown, ["is_correct", "misconception", "scored"]) == 3
    assert len(queries) == 1
    stored = {r.pk: (r.is_correct, r.misconception, r.scored) for r in Response.objects.all()}
    assert stored == {shown[0].pk: (True, "", True), shown[1].pk: (False, "sign-flip", False),
                      shown[2].pk: (None, "", True), untouched.pk: (None, "", True)}


def test_json_and_datetime_fields_round_trip(synced, student):
    now = timezone.now().replace(microsecond=123456)
    questions = list(Question.objects.order_by("pk")[:2])
    cards = [ReviewCard.objects.create(user=student, question=q, due=now, state={}) for q in questions]
    cards[0].state, cards[0].due, cards[0].reviews = {"stability": 1.5, "steps": [1, 2], "note": "it's"}, now, 3
    cards[1].state, cards[1].due, cards[1].reviews = {"stability": None}, now + timedelta(days=2), 1
    update_rows(cards, ["state", "due", "reviews"])
    stored = {c.question_id: (c.state, c.due, c.reviews) for c in ReviewCard.objects.all()}
    assert stored == {questions[0].pk: ({"stability": 1.5, "steps": [1, 2], "note": "it's"}, now, 3),
                      questions[1].pk: ({"stability": None}, now + timedelta(days=2), 1)}


def test_no_rows_is_no_query():
    with CaptureQueriesContext(connection) as queries:
        assert update_rows([], ["is_correct"]) == 0
    assert len(queries) == 0
