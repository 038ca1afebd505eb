"""Mean score by fifth of the class (ranked by exam total), against the hand data set."""

from datetime import timedelta

import pytest

from quizzes.analytics.quintiles import quintile_means
from quizzes.analytics.scope import Scope
from quizzes.models import Question
from tests.quizzes.analytics.data import START, build_hand, make_attempt, make_exam

pytestmark = pytest.mark.django_db


@pytest.fixture
def hand(synced, django_user_model):
    return build_hand(django_user_model)


def test_fifths_rank_attempts_by_total_weakest_first(hand):
    fifths = quintile_means(Scope())
    assert fifths[hand.a.pk] == [0, 1, 1, 1, 1]
    assert fifths[hand.b.pk] == [1, 0, 1, 0, 1]
    assert fifths[hand.c.pk] == [0, 0, 0, 1, 1]


def test_fifths_of_one_question(hand):
    assert quintile_means(Scope(), [hand.c.pk]) == {hand.c.pk: [0, 0, 0, 1, 1]}


def test_ten_attempts_make_fifths_of_two(synced, django_user_model):
    questions = list(Question.objects.filter(qid__startswith="conv-window-bias").order_by("qid"))
    exam = make_exam(count=2)
    # Totals 0, 0, 1, 1, 1, 1, 1, 2, 2, 2 out of 2; the first question is right in attempts 3, 4, 8, 9, 10.
    pattern = [(0, 0), (0, 0), (1, 0), (1, 0), (0, 1), (0, 1), (0, 1), (1, 1), (1, 1), (1, 1)]
    for n, (first, second) in enumerate(pattern):
        user = django_user_model.objects.create_user(f"t{n}", password="pw-long-enough-1")
        make_attempt(user, exam, [(questions[0], bool(first), {}), (questions[1], bool(second), {})],
                     started=START + timedelta(minutes=n))
    # Ranked by total then attempt id: (t0 t1) (t2 t3) (t4 t5) (t6 t7) (t8 t9).
    assert quintile_means(Scope())[questions[0].pk] == [0, 1, 0, 0.5, 1]


def test_fewer_than_five_attempts_have_no_fifths(synced, student):
    question = Question.objects.get(qid="conv-window-bias")
    make_attempt(student, make_exam(count=1), [(question, True, {})])
    assert quintile_means(Scope())[question.pk] == [None] * 5


def test_practice_answers_have_no_fifths(hand):
    assert hand.d.pk not in quintile_means(Scope())
