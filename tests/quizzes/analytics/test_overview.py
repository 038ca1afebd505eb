"""The overview: active students, answers per day, topics weakest first, exams and pass rates."""

from datetime import timedelta

import pytest
from django.utils import timezone

from quizzes.analytics.overview import answers_per_day, overview
from quizzes.analytics.scope import Scope
from quizzes.models import Cohort
from tests.quizzes.analytics.data import build_hand, make_response

pytestmark = pytest.mark.django_db


@pytest.fixture
def hand(synced, django_user_model):
    return build_hand(django_user_model)


def test_overview_of_the_hand_data_set(hand, django_user_model):
    now = timezone.now()
    django_user_model.objects.create_user("idle", password="pw-long-enough-1")
    summary = overview(Scope(first_only=False), now=now, today=timezone.localdate(now))
    assert (summary.students, summary.active) == (6, 5)  # the exams were 3 days ago
    topics = {t.slug: t for t in summary.topics}
    # convolution: A (4 of 5) + B (3 of 5) = 7 of 10; output-size: C, 2 of 5.
    assert (topics["convolution"].answers, topics["convolution"].correct, topics["convolution"].percent) == (10, 7, 70)
    assert (topics["output-size"].percent, topics["output-size"].students) == (40, 5)
    assert [t.slug for t in summary.topics] == ["output-size", "convolution"]  # weakest first
    [exam] = [e for e in summary.exams if e.exam == hand.exam]
    assert (exam.attempts, exam.students, exam.passed, exam.pass_percent) == (5, 5, 3, 60)
    assert exam.mean == pytest.approx(60.0)
    assert (summary.exam_attempts, summary.exam_pass_percent) == (5, 60)


def test_answers_per_day_counts_each_day_and_the_right_ones(hand, student):
    now = timezone.now()
    today = timezone.localdate(now)
    midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)
    make_response(student, hand.d, right=True, shown=midnight + timedelta(seconds=1), seconds=1)
    make_response(student, hand.a, right=False, shown=midnight - timedelta(seconds=30), seconds=25, first=False)
    days = answers_per_day(Scope(), today=today, days=5)
    assert [d for d, _, _ in days] == [today - timedelta(n) for n in (4, 3, 2, 1, 0)]
    assert days[-1][1:] == (1, 1) and days[-2][1:] == (1, 0)
    assert days[-4][1:] == (15, 9)  # the hand exams: 15 answers, 9 right, three days ago


def test_a_cohort_overview(hand):
    cohort = Cohort.objects.create(name="Weak")
    cohort.members.add(hand.users["s4"], hand.users["s5"])
    now = timezone.now()
    summary = overview(Scope(cohort=cohort, first_only=False), now=now, today=timezone.localdate(now))
    assert summary.students == 2
    assert {t.slug: t.correct for t in summary.topics if t.answers} == {"convolution": 2, "output-size": 0}


def test_an_empty_site(db):
    now = timezone.now()
    summary = overview(Scope(), now=now, today=timezone.localdate(now))
    assert (summary.students, summary.active, summary.topics, summary.exam_pass_percent) == (0, 0, [], None)
    assert all(n == 0 for _, n, _ in summary.answers_per_day)
