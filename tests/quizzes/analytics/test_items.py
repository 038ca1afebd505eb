"""Facility, Moodle's discrimination index, median time and flags, against hand computations."""

from datetime import timedelta

import pytest

from quizzes.analytics import items
from quizzes.analytics.scope import Scope
from quizzes.models import Cohort, Question, Response
from tests.quizzes.analytics.data import START, build_hand, make_attempt, make_exam, make_response

pytestmark = pytest.mark.django_db


@pytest.fixture
def hand(synced, django_user_model):
    return build_hand(django_user_model)


def stats_by_qid(scope: Scope | None = None, **kwargs) -> dict:
    return {item.qid: item for item in items.item_stats(scope or Scope(), **kwargs)}


def test_facility_is_the_mean_score(hand):
    stats = stats_by_qid()
    assert (stats["conv-window-bias"].responses, stats["conv-window-bias"].facility) == (5, pytest.approx(0.8))
    assert stats["conv-window-bias-1"].facility == pytest.approx(0.6)
    assert stats["output-size-padded"].facility == pytest.approx(0.4)


def test_discrimination_is_moodles_corrected_item_rest_correlation(hand):
    stats = stats_by_qid()
    assert stats["conv-window-bias"].discrimination == pytest.approx(0.0, abs=1e-9)
    assert stats["conv-window-bias-1"].discrimination == pytest.approx(-100 * 0.6 / 3.36 ** 0.5)
    assert stats["conv-window-bias-1"].discrimination == pytest.approx(-32.733, abs=1e-3)
    assert stats["output-size-padded"].discrimination == pytest.approx(100 / 6)
    assert stats["output-size-padded"].exam_responses == 5


def test_an_unanswered_question_has_no_statistics(hand):
    unanswered = stats_by_qid()["conv-window-bias-2"]
    assert (unanswered.responses, unanswered.facility, unanswered.discrimination, unanswered.median_seconds) == (
        0, None, None, None)


def test_practice_counts_for_facility_but_not_discrimination(hand, django_user_model):
    newcomer = django_user_model.objects.create_user("s6", password="pw-long-enough-1")
    make_response(newcomer, hand.a, right=False)
    stats = stats_by_qid()["conv-window-bias"]
    assert (stats.responses, stats.correct, stats.exam_responses) == (6, 4, 5)
    assert stats.discrimination == pytest.approx(0.0, abs=1e-9)


def test_first_attempts_by_default_and_every_attempt_on_request(hand):
    make_response(hand.users["s1"], hand.a, right=False, first=False, shown=START + timedelta(days=1))
    assert stats_by_qid()["conv-window-bias"].facility == pytest.approx(4 / 5)
    assert stats_by_qid(Scope(first_only=False))["conv-window-bias"].facility == pytest.approx(4 / 6)


def test_a_second_exam_attempt_counts_only_with_all_attempts(hand):
    make_attempt(hand.users["s4"], hand.exam, [(hand.a, True, {}), (hand.b, True, {}), (hand.c, True, {})],
                 started=START + timedelta(days=1), first=False)
    first = stats_by_qid()["conv-window-bias"]
    every = stats_by_qid(Scope(first_only=False))["conv-window-bias"]
    assert (first.exam_responses, every.exam_responses) == (5, 6)
    # All six: x = 1,1,1,0,1,1 and rest = 2,1,1,1,0,2: Sxy = 6 - 5*7/6 = 1/6, Sxx = 5 - 25/6 = 5/6,
    # Srr = 11 - 49/6 = 17/6, so r = (1/6) / sqrt(85/36) = 1/sqrt(85).
    assert every.discrimination == pytest.approx(100 / 85 ** 0.5)


def test_staff_and_other_cohorts_are_left_out(hand, django_user_model):
    teacher = django_user_model.objects.create_user("teacher", password="pw-long-enough-1", is_staff=True)
    make_response(teacher, hand.a, right=False)
    assert stats_by_qid()["conv-window-bias"].responses == 5
    cohort = Cohort.objects.create(name="Pair")
    cohort.members.add(hand.users["s1"], hand.users["s4"])
    stats = stats_by_qid(Scope(cohort=cohort))
    assert stats["conv-window-bias"].facility == pytest.approx(0.5)
    assert stats["conv-window-bias"].discrimination is not None  # s1 rest 2, s4 rest 1: r = 1 over two
    assert stats["conv-window-bias"].discrimination == pytest.approx(100.0)


def test_an_exam_in_progress_does_not_count(hand):
    attempt = make_attempt(hand.users["s2"], hand.exam, [(hand.a, False, {}), (hand.b, False, {}), (hand.c, False, {})],
                           started=START + timedelta(days=1), first=False)
    attempt.finished_at = None
    attempt.save()
    assert stats_by_qid(Scope(first_only=False))["conv-window-bias"].responses == 5


def test_one_response_shows_facility_and_no_discrimination(synced, student):
    question = Question.objects.get(qid="conv-window-bias")
    make_attempt(student, make_exam(count=1), [(question, True, {})])
    stats = stats_by_qid()["conv-window-bias"]
    assert (stats.responses, stats.facility, stats.discrimination, stats.flags) == (1, 1.0, None, [])


def test_everyone_right_has_zero_variance_so_no_discrimination(synced, django_user_model):
    questions = list(Question.objects.filter(qid__startswith="conv-window-bias").order_by("qid")[:2])
    exam = make_exam(count=2)
    for n in range(4):
        user = django_user_model.objects.create_user(f"u{n}", password="pw-long-enough-1")
        make_attempt(user, exam, [(questions[0], True, {}), (questions[1], n % 2 == 0, {})])
    stats = stats_by_qid()
    assert stats[questions[0].qid].facility == 1.0
    assert stats[questions[0].qid].discrimination is None  # var(item) = 0
    assert stats[questions[1].qid].discrimination is None  # var(rest) = 0: the other item is always right


def test_a_one_question_exam_has_no_rest_to_correlate(synced, student):
    question = Question.objects.get(qid="conv-window-bias")
    make_attempt(student, make_exam(count=1), [(question, False, {})])
    assert stats_by_qid()["conv-window-bias"].exam_responses == 0


def test_median_time_to_answer_uses_practice_review_and_opened_exam_questions(hand, django_user_model):
    for n, seconds in enumerate([10, 20, 30, 60]):
        user = django_user_model.objects.create_user(f"p{n}", password="pw-long-enough-1")
        make_response(user, hand.d, right=True, seconds=seconds,
                      mode=Response.Mode.REVIEW if n == 3 else Response.Mode.PRACTICE)
    stats = stats_by_qid()
    assert (stats["conv-window-bias-2"].median_seconds, stats["conv-window-bias-2"].timed) == (25, 4)
    assert stats["conv-window-bias"].median_seconds is None  # exam answers never opened: not timed
    make_response(django_user_model.objects.create_user("p9", password="pw-long-enough-1"), hand.d, right=True,
                  seconds=100)
    assert stats_by_qid()["conv-window-bias-2"].median_seconds == 30
    exam_answers = Response.objects.filter(question__qid="conv-window-bias", mode=Response.Mode.EXAM,
                                           answered_at__isnull=False)
    for n, answer in enumerate(exam_answers.order_by("pk")):
        Response.objects.filter(pk=answer.pk).update(seconds_spent=40 + n)
    timed = stats_by_qid()["conv-window-bias"]
    assert timed.timed == exam_answers.count() > 0 and 40 <= timed.median_seconds <= 40 + exam_answers.count()


def test_small_samples_get_provisional_flags_with_n_and_the_interval(hand):
    stats = stats_by_qid()  # 5 answers each: judged, provisionally
    negative = stats["conv-window-bias-1"].flags
    assert [(f.code, f.provisional) for f in negative] == [("negative-discrimination", True)]
    assert "only 5 answers" in negative[0].detail and "95% interval" in negative[0].detail
    assert [f.code for f in stats["conv-window-bias"].flags] == ["low-discrimination"]
    assert stats["output-size-padded"].flags == []
    assert all(item.is_provisional for item in items.needs_attention(list(stats.values())))


def test_fewer_than_five_answers_are_not_judged(hand):
    cohort = Cohort.objects.create(name="Four")
    cohort.members.add(*[hand.users[name] for name in ("s1", "s2", "s4", "s5")])
    assert all(not item.flags for item in items.item_stats(Scope(cohort=cohort)))


def test_flags_with_a_lower_minimum(hand):
    stats = stats_by_qid(min_responses=5)
    assert [f.code for f in stats["conv-window-bias"].flags] == ["low-discrimination"]
    # DI -32.7 over 5 answers: its interval (-93 to 83) reaches 0, so it is low, not a wrong key.
    assert [(f.code, f.provisional) for f in stats["conv-window-bias-1"].flags] == [("low-discrimination", False)]
    flagged = items.needs_attention(list(stats.values()))
    assert [item.qid for item in flagged] == ["conv-window-bias", "conv-window-bias-1"]


@pytest.mark.parametrize("right, code", [(20, "too-easy"), (19, None), (3, "below-chance"), (9, "too-hard"),
                                         (10, None)])
def test_facility_flags_at_the_thresholds(synced, django_user_model, right, code):
    question = Question.objects.get(qid="conv-window-bias-2")  # two choices: chance is 0.5
    for n in range(20):
        user = django_user_model.objects.create_user(f"f{n}", password="pw-long-enough-1")
        make_response(user, question, right=n < right)
    flags = stats_by_qid()["conv-window-bias-2"].flags
    # 19/20 = 0.95 is not above 0.95; 3/20: Wilson 0.05 to 0.36, under 0.5; 9/20: 0.26 to 0.66 reaches 0.5.
    assert [f.code for f in flags] == ([code] if code else [])
    assert not any(f.provisional for f in flags)


def item(**fields) -> items.ItemStats:
    return items.ItemStats(question_id=1, qid="q", topic="t", difficulty=1, is_parameterised=False, **fields)


@pytest.mark.parametrize("di, n", [(-68.0, 6), (-49.7, 11)])
def test_a_strongly_negative_discrimination_over_few_answers_is_flagged_provisionally(di, n):
    flags = items.flags_for(item(discrimination=di, exam_responses=n, choice_count=4))
    assert [(f.code, f.provisional) for f in flags] == [("negative-discrimination", True)]
    assert f"only {n} answers" in flags[0].detail


def test_the_provisional_detail_gives_fishers_interval():
    flag = items.flags_for(item(discrimination=-68.0, exam_responses=6))[0]
    assert "95% interval −96.1 to 29.4" in flag.detail  # tanh(atanh(-0.68) -+ 1.96 / sqrt(3))


def test_a_slightly_negative_discrimination_over_many_answers_is_low_not_a_wrong_key():
    flags = items.flags_for(item(discrimination=-4.8, exam_responses=200))
    assert [(f.code, f.provisional) for f in flags] == [("low-discrimination", False)]
    lo, hi = item(discrimination=-4.8, exam_responses=200).discrimination_interval
    assert (round(lo, 1), round(hi, 1)) == (-18.6, 9.1)


def test_a_clearly_negative_discrimination_over_many_answers_is_a_wrong_key():
    assert [f.code for f in items.flags_for(item(discrimination=-30.0, exam_responses=200))] == [
        "negative-discrimination"]


@pytest.mark.parametrize("right, k, code", [
    (44, 4, "too-hard"),       # 0.22 < 1/4: no better than guessing (interval 0.17 to 0.28 reaches 0.25)
    (30, 4, "below-chance"),   # 0.15: interval 0.11 to 0.21, all under 0.25
    (60, 4, None),             # 0.30
    (44, None, None),          # a typed number has no chance level: 0.22 is not below 0.20
    (30, None, "too-hard"),    # 0.15 < 0.20
    (30, 8, "too-hard"),       # 1/8 is below 0.20: the 0.20 threshold applies
])
def test_too_hard_is_judged_against_the_chance_level(right, k, code):
    flags = items.flags_for(item(responses=200, correct=right, choice_count=k))
    assert [f.code for f in flags] == ([code] if code else [])


def test_a_typed_number_question_has_no_chance_level(synced):
    version = Question.objects.get(qid="conv-window-bias").current_version
    version.data = {**version.data, "kind": "numeric", "choices": []}
    assert items.choice_count(version) is None
    assert items.choice_count(Question.objects.get(qid="output-size-padded").current_version) == 3
