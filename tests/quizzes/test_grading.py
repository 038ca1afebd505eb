"""One grading function: choices and typed numbers; every numeric question of the bank over 50 seeds."""

from pathlib import Path

import pytest
from django.conf import settings

from quizzes.content.bank import load_bank
from quizzes.content.schema import ABSOLUTE, RELATIVE, Tolerance
from quizzes.content.validate import VALIDATION_SEEDS
from quizzes.content.variants import NumericCollision, NumericKey, build_variant
from quizzes.services.grading import (
    NOT_A_NUMBER,
    NOT_FINITE,
    TOO_LONG,
    TYPE_A_NUMBER,
    USE_DECIMAL_POINT,
    BadNumber,
    ChoiceKey,
    Grade,
    grade,
    parse_number,
)


@pytest.mark.parametrize("typed, value", [("0.5", 0.5), (".5", 0.5), ("-1.2e-3", -1.2e-3), ("  7 ", 7.0),
                                          ("+3", 3.0), ("\u22122.5", -2.5), ("1E2", 100.0), ("5.", 5.0)])
def test_what_a_person_types_is_read(typed, value):
    assert parse_number(typed) == value


@pytest.mark.parametrize("typed, message", [
    ("1,5", USE_DECIMAL_POINT), ("-0,25", USE_DECIMAL_POINT), ("", TYPE_A_NUMBER), (None, TYPE_A_NUMBER),
    (" \t", TYPE_A_NUMBER), ("abc", NOT_A_NUMBER), ("1/2", NOT_A_NUMBER), ("0x10", NOT_A_NUMBER),
    ("nan", NOT_FINITE), ("NaN", NOT_FINITE), ("inf", NOT_FINITE), ("-inf", NOT_FINITE), ("1e400", NOT_FINITE),
    ("0." + "1" * 39, TOO_LONG),
])
def test_what_is_not_an_answer_is_refused_with_a_reason(typed, message):
    with pytest.raises(BadNumber) as refused:
        parse_number(typed)
    assert refused.value.message == message


def test_forty_characters_are_still_read():
    assert parse_number("0." + "1" * 38) == pytest.approx(1 / 9)


def test_choices_grade_by_position_and_name_the_chosen_misconception():
    key = ChoiceKey(correct_position=2, misconceptions=("forgot-bias", "", ""))
    assert grade(key, 2) == Grade(True)
    assert grade(key, 0) == Grade(False, "forgot-bias")
    assert grade(key, 1) == Grade(False, "")


def test_numbers_right_within_tolerance_named_near_a_misconception_else_wrong():
    key = NumericKey(10.0, Tolerance(RELATIVE, 0.01), (("a", 20.0), ("b", -10.0)))
    assert grade(key, 10.1) == Grade(True) and grade(key, 9.9) == Grade(True)
    assert grade(key, 10.11) == Grade(False)
    assert grade(key, 20.19) == Grade(False, "a") and grade(key, -9.95) == Grade(False, "b")
    assert grade(key, 15) == Grade(False)
    absolute = NumericKey(0.0, Tolerance(ABSOLUTE, 0.001), ())
    assert grade(absolute, 0.001) == Grade(True) and grade(absolute, -0.0011) == Grade(False)


def test_the_nearest_misconception_is_named_when_two_are_close():
    key = NumericKey(0.0, Tolerance(ABSOLUTE, 1.0), (("far", 5.0), ("near", 5.5)))
    assert grade(key, 5.4) == Grade(False, "near")


def _numeric_questions():
    bank = load_bank(Path(settings.BASE_DIR) / "content")
    return [q for q in bank.questions if q.answer is not None]


NUMERIC_QUESTIONS = _numeric_questions()


def test_the_bank_has_numeric_questions():
    assert len(NUMERIC_QUESTIONS) >= 4


@pytest.mark.parametrize("question", NUMERIC_QUESTIONS, ids=lambda q: q.id)
def test_every_numeric_question_grades_right_edges_mistakes_and_unrelated_values(question):
    seeds = range(VALIDATION_SEEDS) if question.is_parameterised else range(1)
    checked = 0
    for seed in seeds:
        try:
            key = build_variant(question, seed, render=False).answer
        except NumericCollision:  # the validator refuses such a bank; nothing to grade
            pytest.fail(f"{question.id} seed {seed}: answer and a misconception overlap")
        width = key.tolerance.width(key.value) - 1e-9 * max(abs(key.value), 1.0)  # inside the edge
        assert grade(key, key.value).is_correct
        assert grade(key, key.value + width).is_correct and grade(key, key.value - width).is_correct
        assert not grade(key, key.value + 2.5 * key.tolerance.width(key.value) + 1e-6).is_correct
        for slug, wrong in key.misconceptions:
            assert grade(key, wrong) == Grade(False, slug), (question.id, seed, slug)
        unrelated = key.value + 1000.0 * (abs(key.value) + 1.0)
        assert grade(key, unrelated) == Grade(False)
        assert grade(key, -unrelated) == Grade(False)
        checked += 1
    assert checked == len(seeds)
