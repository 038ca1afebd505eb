"""Exam statistics: distribution, mean, median, SD and Cronbach's alpha against the hand data set."""

from datetime import timedelta

import pytest

from quizzes.analytics.exam_stats import exam_statistics, histogram
from quizzes.analytics.scope import Scope
from quizzes.charts import histogram_svg
from quizzes.models import Cohort, Question
from tests.quizzes.analytics.data import START, build_hand, make_attempt, make_exam

pytestmark = pytest.mark.django_db


@pytest.fixture
def hand(synced, django_user_model):
    return build_hand(django_user_model)


def test_hand_exam_statistics(hand):
    stats = exam_statistics(Scope(), hand.exam)
    assert (stats.attempts, stats.students, stats.passed, stats.pass_percent) == (5, 5, 3, 60)
    assert stats.mean == pytest.approx(60.0)
    assert stats.median == pytest.approx(200 / 3)
    assert stats.sd == pytest.approx(100 / 3 * (2.8 / 4) ** 0.5)
    assert stats.sd == pytest.approx(27.889, abs=1e-3)
    assert stats.alpha == pytest.approx(1.5 * (1 - 0.8 / 0.7))
    assert stats.alpha == pytest.approx(-0.21429, abs=1e-5)
    assert stats.alpha_attempts == 5
    assert dict(stats.histogram) == {"0–10": 0, "10–20": 0, "20–30": 0, "30–40": 2, "40–50": 0, "50–60": 0,
                                     "60–70": 2, "70–80": 0, "80–90": 0, "90–100": 1}


def test_histogram_boundaries_are_exact():
    assert dict(histogram([(7, 10, 1), (69, 100, 2), (0, 3, 1), (3, 3, 4)])) == {
        "0–10": 1, "10–20": 0, "20–30": 0, "30–40": 0, "40–50": 0, "50–60": 0, "60–70": 2, "70–80": 1,
        "80–90": 0, "90–100": 4}


def test_first_attempts_by_default_all_on_request(hand):
    make_attempt(hand.users["s5"], hand.exam, [(hand.a, True, {}), (hand.b, True, {}), (hand.c, True, {})],
                 started=START + timedelta(days=1), first=False)
    assert exam_statistics(Scope(), hand.exam).attempts == 5
    every = exam_statistics(Scope(first_only=False), hand.exam)
    assert (every.attempts, every.students, every.passed) == (6, 5, 4)
    assert every.mean == pytest.approx((100 + 200 / 3 + 200 / 3 + 100 / 3 + 100 / 3 + 100) / 6)


def test_one_attempt_has_a_mean_and_median_but_no_spread(synced, student):
    question = Question.objects.get(qid="conv-window-bias")
    exam = make_exam(count=1)
    make_attempt(student, exam, [(question, True, {})])
    stats = exam_statistics(Scope(), exam)
    assert (stats.attempts, stats.mean, stats.median, stats.sd, stats.alpha) == (1, 100.0, 100.0, None, None)


def test_equal_totals_give_no_alpha(synced, django_user_model):
    questions = list(Question.objects.filter(qid__startswith="conv-window-bias").order_by("qid")[:2])
    exam = make_exam(count=2)
    for n in range(3):
        user = django_user_model.objects.create_user(f"e{n}", password="pw-long-enough-1")
        make_attempt(user, exam, [(questions[0], n == 0, {}), (questions[1], n != 0, {})])
    stats = exam_statistics(Scope(), exam)
    assert (stats.mean, stats.sd, stats.alpha) == (50.0, 0.0, None)


def test_no_attempts(hand):
    empty = make_exam(slug="empty-exam")
    stats = exam_statistics(Scope(), empty)
    assert (stats.attempts, stats.mean, stats.median, stats.sd, stats.alpha, stats.pass_rate) == (
        0, None, None, None, None, None)
    assert sum(count for _, count in stats.histogram) == 0


def test_a_cohort_sees_only_its_members(hand):
    cohort = Cohort.objects.create(name="Top")
    cohort.members.add(hand.users["s1"], hand.users["s2"])
    stats = exam_statistics(Scope(cohort=cohort), hand.exam)
    assert (stats.attempts, stats.mean) == (2, pytest.approx(250 / 3))


def test_histogram_svg_labels_every_bin_and_gives_exact_counts():
    svg = histogram_svg([("0–10", 0), ("10–20", 3), ("20–30", 12)], title="Scores <all>", axis_label="score (%)")
    assert svg.startswith('<svg class="chart"') and 'aria-label="Scores &lt;all&gt;"' in svg
    assert "<title>10–20: 3 attempts</title>" in svg and "<title>0–10: 0 attempts</title>" in svg
    assert svg.count('class="bar-part"') == 3 and ">score (%)</text>" in svg
    assert ">12</text>" in svg and ">0–10</text>" in svg


def test_histogram_svg_of_nothing_does_not_divide_by_zero():
    assert 'height="0.0"' in histogram_svg([("0–10", 0)], title="empty")
    assert histogram_svg([], title="none").endswith("</svg>")


# A shuffled exam: the same three questions for every student, each shown in its own order.
#
#   student  order  A  B  C  total   scores by position (1, 2, 3)
#   t1       ABC    1  1  1    3        1 1 1
#   t2       CAB    1  1  0    2        0 1 1
#   t3       BCA    1  0  1    2        0 1 1
#   t4       CBA    1  0  0    1        0 0 1
#   t5       ABC    0  0  0    0        0 0 0
#   t6       BAC    1  1  1    3        1 1 1
#
# Per question (n - 1 = 5): var A = (5 - 25/6) / 5 = 1/6, var B = var C = (3 - 9/6) / 5 = 0.3;
# totals 3, 2, 2, 1, 0, 3: var = (27 - 121/6) / 5 = 41/30; alpha = 3/2 (1 - (23/30) / (41/30)) = 27/41.
# Per position (the wrong items): variances 4/15, 4/15, 1/6 -> 3/2 (1 - 0.7 / (41/30)) = 30/41.
SHUFFLED = {"t1": ("ABC", (1, 1, 1)), "t2": ("CAB", (1, 1, 0)), "t3": ("BCA", (1, 0, 1)),
            "t4": ("CBA", (1, 0, 0)), "t5": ("ABC", (0, 0, 0)), "t6": ("BAC", (1, 1, 1))}


def test_alpha_of_a_shuffled_exam_is_computed_per_question_not_per_position(synced, django_user_model):
    questions = {letter: Question.objects.select_related("current_version").get(qid=qid) for letter, qid in
                 (("A", "conv-window-bias"), ("B", "conv-window-bias-1"), ("C", "conv-window-bias-2"))}
    exam = make_exam(slug="shuffled", count=3)
    for n, (name, (order, scores)) in enumerate(SHUFFLED.items()):
        user = django_user_model.objects.create_user(name, password="pw-long-enough-1")
        right = dict(zip("ABC", scores, strict=True))
        make_attempt(user, exam, [(questions[letter], bool(right[letter]), {}) for letter in order],
                     started=START + timedelta(minutes=n))
    stats = exam_statistics(Scope(), exam)
    assert stats.alpha == pytest.approx(27 / 41)
    assert stats.alpha == pytest.approx(0.65854, abs=1e-5)
    assert stats.alpha != pytest.approx(30 / 41)


def test_alpha_of_randomly_drawn_questions_uses_the_drawn_slots(synced, django_user_model):
    """Questions not in every attempt are exchangeable draws: each attempt's k-th such question is a slot."""
    a, b, c = (Question.objects.get(qid=qid) for qid in ("conv-window-bias", "conv-window-bias-1",
                                                              "conv-window-bias-2"))
    exam = make_exam(slug="drawn", count=2)
    # A is in every attempt (an item of its own); the second question is drawn from B or C (one slot).
    rows = [(1, (b, 1)), (1, (c, 1)), (0, (b, 0)), (1, (c, 0)), (0, (b, 0))]
    for n, (first, (other, second)) in enumerate(rows):
        user = django_user_model.objects.create_user(f"d{n}", password="pw-long-enough-1")
        items = [(a, bool(first), {}), (other, bool(second), {})]
        make_attempt(user, exam, items if n % 2 else items[::-1], started=START + timedelta(minutes=n))
    # A: 1 1 0 1 0 (var 0.3); slot: 1 1 0 0 0 (var 0.3); totals 2 2 0 1 0 (var (9 - 25/5) / 4 = 1).
    stats = exam_statistics(Scope(), exam)
    assert stats.alpha == pytest.approx(2 * (1 - 0.6 / 1.0))
