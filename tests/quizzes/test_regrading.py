"""Regrading: rules per question version, applied in bulk, idempotent, undoable, audited.

On the hand data set (tests/quizzes/analytics/data.py) question C has three choices
(source 0 right, 1 forgot-padding, 2 forgot-plus-one); the five students picked 0, 1, 0, 2, 1,
and the exam scores are s1 3, s2 2, s3 2, s4 1, s5 1 out of 3 (pass mark 60 %: 3 pass).
"""

import csv
import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from quizzes.analytics.exam_stats import exam_statistics
from quizzes.analytics.scope import Scope
from quizzes.models import ExamAttempt, Regrade, Response
from quizzes.regrade_rules import Answer, Rule, grade, within
from quizzes.services import exams as exam_services
from quizzes.services.regrading import (
    BAD_TOLERANCE,
    NOT_A_WRONG_CHOICE,
    NOT_NUMERIC,
    UNKNOWN_KIND,
    RegradeRefused,
    answer_of,
    clean_params,
    regrade_add,
    regrade_undo,
)
from quizzes.services.responses import response_answer, response_create
from tests.quizzes.analytics.data import build_hand

pytestmark = pytest.mark.django_db
NOW = timezone.now()


@pytest.fixture
def hand(synced, django_user_model):
    return build_hand(django_user_model)


@pytest.fixture
def teacher(django_user_model):
    return django_user_model.objects.create_user("teacher", password="pw-long-enough-1", is_staff=True)


def scores(hand) -> dict:
    return {name: ExamAttempt.objects.values_list("score", "total", "passed").get(pk=a.pk)
            for name, a in hand.attempts.items()}


def add(hand, teacher, kind, **params):
    return regrade_add(version=hand.c.current_version, kind=kind, params=params, by=teacher, when=NOW)


BEFORE = {"s1": (3, 3, True), "s2": (2, 3, True), "s3": (2, 3, True), "s4": (1, 3, False), "s5": (1, 3, False)}


def test_accepting_another_choice_rescores_attempts_and_statistics(hand, teacher):
    assert scores(hand) == BEFORE
    assert exam_statistics(Scope(), hand.exam).mean == pytest.approx(60.0)
    result = add(hand, teacher, "accept_choice", choice=1)
    assert result.created and result.changed_responses == 2
    assert result.attempt_ids == sorted([hand.attempts["s2"].pk, hand.attempts["s5"].pk])
    assert scores(hand) == BEFORE | {"s2": (3, 3, True), "s5": (2, 3, True)}
    stats = exam_statistics(Scope(), hand.exam)
    assert stats.mean == pytest.approx(100 * 11 / 15) and stats.passed == 4
    regrade = result.regrade
    assert regrade.before == {"answers": 5, "right": 2, "dropped": 0, "attempts": 5, "passed": 3}
    assert regrade.after == {"answers": 5, "right": 4, "dropped": 0, "attempts": 5, "passed": 4}
    assert regrade.created_by == teacher and regrade.affected_attempts == 2


def test_regrading_twice_changes_nothing_more(hand, teacher):
    first = add(hand, teacher, "accept_choice", choice=1)
    after = scores(hand)
    again = add(hand, teacher, "accept_choice", choice="1")
    assert not again.created and again.regrade.pk == first.regrade.pk and again.attempt_ids == []
    assert scores(hand) == after and Regrade.objects.count() == 1
    add(hand, teacher, "drop")
    add(hand, teacher, "drop")
    assert Regrade.objects.filter(kind="drop").count() == 1


def test_undo_restores_the_scores_and_keeps_the_log(hand, teacher):
    result = add(hand, teacher, "accept_choice", choice=1)
    undone = regrade_undo(regrade_id=result.regrade.pk, by=teacher, when=NOW + timedelta(minutes=1))
    assert undone.created and undone.attempt_ids == result.attempt_ids
    assert scores(hand) == BEFORE
    regrade = Regrade.objects.get()
    assert regrade.undone_at is not None and regrade.undone_by == teacher
    assert regrade.after_undo["right"] == 2 and regrade.after_undo["passed"] == 3
    again = regrade_undo(regrade_id=result.regrade.pk, by=teacher, when=NOW + timedelta(minutes=2))
    assert not again.created and again.attempt_ids == [] and scores(hand) == BEFORE


def test_full_marks_for_everyone(hand, teacher):
    add(hand, teacher, "full_marks")
    assert scores(hand) == {"s1": (3, 3, True), "s2": (3, 3, True), "s3": (2, 3, True), "s4": (2, 3, True),
                            "s5": (2, 3, True)}
    assert Response.objects.filter(question=hand.c, is_correct=False).count() == 0


def test_dropping_from_scoring_lowers_every_total(hand, teacher):
    add(hand, teacher, "drop")
    assert scores(hand) == {"s1": (2, 2, True), "s2": (2, 2, True), "s3": (1, 2, False), "s4": (1, 2, False),
                            "s5": (1, 2, False)}
    assert Response.objects.filter(question=hand.c, scored=False).count() == 5
    assert Regrade.objects.get().after["dropped"] == 5


def test_rules_combine_and_undoing_one_keeps_the_other(hand, teacher):
    accept = add(hand, teacher, "accept_choice", choice=1)
    add(hand, teacher, "drop")
    regrade_undo(regrade_id=accept.regrade.pk, by=teacher, when=NOW)
    assert scores(hand)["s2"] == (2, 2, True)
    assert Response.objects.get(question=hand.c, user=hand.users["s2"]).is_correct is False


@pytest.mark.parametrize("kind, params, message", [
    ("accept_choice", {"choice": 0}, NOT_A_WRONG_CHOICE),  # already the key
    ("accept_choice", {"choice": 7}, NOT_A_WRONG_CHOICE),
    ("accept_choice", {"choice": "x"}, NOT_A_WRONG_CHOICE),
    ("accept_choice", {}, NOT_A_WRONG_CHOICE),
    ("widen_tolerance", {"tolerance": {"kind": "relative", "amount": 0.1}}, NOT_NUMERIC),
    ("rewrite", {}, UNKNOWN_KIND),
])
def test_bad_regrades_are_refused_and_change_nothing(hand, teacher, kind, params, message):
    with pytest.raises(RegradeRefused) as refused:
        regrade_add(version=hand.c.current_version, kind=kind, params=params, by=teacher, when=NOW)
    assert refused.value.message == message
    assert scores(hand) == BEFORE and not Regrade.objects.exists()


def test_the_exports_follow_a_regrade(hand, teacher, client):
    client.force_login(teacher)
    add(hand, teacher, "accept_choice", choice=1)
    response = client.get(reverse("instructor_export_exam_results"))
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert {row["username"]: (row["score"], row["passed"]) for row in rows}["s5"] == ("2", "yes")


def test_a_rule_applies_to_exams_finished_and_practice_answered_after_it(synced, student, teacher):
    exam = synced and exam_services.Exam.objects.get(slug="tiny-exam")
    attempt = exam_services.exam_start(user=student, exam=exam, when=NOW)
    item = attempt.responses.get(position=1)
    wrong = next(p for p in range(len(item.choice_texts)) if p != item.correct_position)
    exam_services.exam_answer(attempt_id=attempt.pk, position=1, raw_choice=wrong, when=NOW)
    regrade_add(version=item.version, kind="accept_choice", params={"choice": item.choice_order[wrong]},
                by=teacher, when=NOW)
    finished = exam_services.exam_finish(attempt_id=attempt.pk, when=NOW + timedelta(minutes=1))
    assert Response.objects.get(pk=item.pk).is_correct is True and finished.score == 1
    practice = response_create(user=student, question=item.question, mode=Response.Mode.PRACTICE, when=NOW)
    if practice.version_id == item.version_id:
        position = practice.choice_order.index(item.choice_order[wrong])
        assert response_answer(response_id=practice.pk, user=student, raw_choice=position, when=NOW).is_correct


def test_a_dropped_question_is_left_out_of_an_exam_finished_later(synced, student, teacher):
    exam = exam_services.Exam.objects.get(slug="tiny-exam")
    attempt = exam_services.exam_start(user=student, exam=exam, when=NOW)
    item = attempt.responses.get(position=2)
    regrade_add(version=item.version, kind="drop", params={}, by=teacher, when=NOW)
    finished = exam_services.exam_finish(attempt_id=attempt.pk, when=NOW + timedelta(minutes=1))
    assert (finished.score, finished.total) == (0, 1)
    assert Response.objects.get(pk=item.pk).scored is False


def test_the_result_page_says_how_the_question_was_regraded(hand, teacher, client):
    add(hand, teacher, "accept_choice", choice=1)
    client.force_login(hand.users["s2"])
    html = client.get(reverse("attempt_result", args=[hand.attempts["s2"].pk])).content.decode()
    assert "This question was regraded" in html and "is now accepted as correct too" in html
    assert "3 / 3" in html
    add(hand, teacher, "drop")
    html = client.get(reverse("attempt_result", args=[hand.attempts["s2"].pk])).content.decode()
    assert "not counted in your score" in html and "2 / 2" in html


# Typed numbers: a hand-made version of kind "numeric" (shape of the numeric questions' data).
NUMERIC = {"kind": "numeric", "answer": {"value": 2.0, "tolerance": {"kind": "relative", "amount": 0.01},
                                         "misconceptions": [], "hints": []}}


@pytest.mark.parametrize("typed, wider, right", [
    (2.01, None, True), (2.05, None, False), (2.05, {"kind": "relative", "amount": 0.05}, True),
    (2.2, {"kind": "relative", "amount": 0.05}, False), (2.2, {"kind": "absolute", "amount": 0.25}, True),
    (None, {"kind": "absolute", "amount": 9}, False),
])
def test_widening_the_tolerance_of_a_typed_number(typed, wider, right):
    row = {"answered_at": NOW if typed is not None else None, "answer_value": typed}
    rules = [Rule("widen_tolerance", {"tolerance": wider})] if wider else []
    assert grade(answer_of(row, NUMERIC), rules).is_correct is right


def test_a_stored_expected_value_wins_over_the_versions_value():
    row = {"answered_at": NOW, "answer_value": 10.4, "expected_value": 10.0}
    assert not grade(answer_of(row, NUMERIC), []).is_correct
    assert grade(answer_of(row, NUMERIC), [Rule("widen_tolerance", {"tolerance": {"kind": "absolute",
                                                                                   "amount": 0.5}})]).is_correct


def test_tolerance_must_widen(hand):
    version = hand.c.current_version
    version.data = NUMERIC
    assert clean_params(version, "widen_tolerance", {"tolerance": {"kind": "relative", "amount": "0.05"}}) == {
        "tolerance": {"kind": "relative", "amount": 0.05}}
    for bad in ({"kind": "relative", "amount": 0.005}, {"kind": "relative", "amount": -1},
                {"kind": "sideways", "amount": 1}, {"kind": "absolute", "amount": "nan"}, {}):
        with pytest.raises(RegradeRefused) as refused:
            clean_params(version, "widen_tolerance", {"tolerance": bad})
        assert refused.value.message == BAD_TOLERANCE
    with pytest.raises(RegradeRefused):
        clean_params(version, "accept_choice", {"choice": 0})


def test_within_is_symmetric_and_rejects_non_numbers():
    assert within(-2.02, -2.0, {"kind": "relative", "amount": 0.01})
    assert not within(float("inf"), 2.0, {"kind": "absolute", "amount": 1e9})
    assert grade(Answer(answered=False, key_correct=False), [Rule("full_marks")]).is_correct


def test_many_attempts_are_rescored_by_one_aggregate_over_the_version(hand, teacher, monkeypatch):
    from quizzes.services import regrading

    monkeypatch.setattr(regrading, "CHUNK", 1)  # every regrade now takes the many-attempts path
    result = add(hand, teacher, "accept_choice", choice=1)
    assert result.attempt_ids == sorted([hand.attempts["s2"].pk, hand.attempts["s5"].pk])
    assert scores(hand) == BEFORE | {"s2": (3, 3, True), "s5": (2, 3, True)}


def test_the_expected_value_is_the_stored_one_then_the_versions_fixed_one(hand):
    from quizzes.services.regrading import expected_value

    version = hand.c.current_version
    version.data = NUMERIC
    assert expected_value({"expected_value": 3.5, "seed": 1}, version) == 3.5
    assert expected_value({"seed": 1}, version) == 2.0
    assert expected_value({"seed": 1}, None) is None
