"""Answers by choice (display position mapped to source choice) and facility by parameter value."""

import pytest

from quizzes.analytics.distractors import CORRECT, NO_ANSWER, NO_MISCONCEPTION, distractor_table
from quizzes.analytics.parameters import MAX_VALUES, facility_by_parameter, varying_parameters
from quizzes.analytics.scope import Scope
from quizzes.models import Response
from tests.quizzes.analytics.data import build_hand, make_response

pytestmark = pytest.mark.django_db


@pytest.fixture
def hand(synced, django_user_model):
    return build_hand(django_user_model)


def test_shares_follow_the_source_choice_not_the_display_position(hand):
    [version] = distractor_table(Scope(), hand.c)
    rows = [(c.source_index, c.label, c.count, c.share) for c in version.choices]
    assert version.responses == 5
    assert rows == [(0, CORRECT, 2, 0.4), (1, "Forgot the padding", 2, 0.4), (2, "Forgot the +1", 1, 0.2)]
    assert version.choices[1].text == "{{ misconceptions.out_h.forgot_padding }}"


def test_a_static_question_names_its_misconception(hand):
    [version] = distractor_table(Scope(), hand.a)
    assert [(c.label, c.count) for c in version.choices] == [(CORRECT, 4), ("Forgot the bias", 1)]


def test_a_blank_exam_answer_is_its_own_row(hand, student):
    make_response(student, hand.d, right=False, answered=False, mode=Response.Mode.EXAM)
    [version] = distractor_table(Scope(), hand.d)
    assert [(c.label, c.count) for c in version.choices] == [(CORRECT, 0), ("Forgot the bias", 0), (NO_ANSWER, 1)]


def test_a_wrong_choice_without_a_misconception_says_so(hand):
    data = hand.d.current_version.data
    data["choices"][1]["misconception"] = data["choices"][1]["misconception_label"] = ""
    hand.d.current_version.save()
    make_response(hand.users["s1"], hand.d, right=False)
    [version] = distractor_table(Scope(), hand.d)
    assert version.choices[1].label == NO_MISCONCEPTION and version.choices[1].share == 1.0


def test_no_responses_no_tables(hand):
    assert distractor_table(Scope(), hand.d) == []


def test_facility_by_parameter_value(hand):
    assert varying_parameters(hand.c) == ["input_height"]
    [table] = facility_by_parameter(Scope(), hand.c)
    assert table.name == "input_height"
    assert [(row.label, row.responses, row.correct, row.facility) for row in table.rows] == [
        ("6", 2, 1, 0.5), ("8", 2, 1, 0.5), ("10", 1, 0, 0.0)]


def test_many_values_are_binned(hand, django_user_model):
    for height in range(11, 11 + 2 * MAX_VALUES):
        user = django_user_model.objects.create_user(f"h{height}", password="pw-long-enough-1")
        make_response(user, hand.c, right=height % 2 == 0, params={"input_height": height})
    [table] = facility_by_parameter(Scope(), hand.c)
    assert len(table.rows) == MAX_VALUES
    assert sum(row.responses for row in table.rows) == 5 + 2 * MAX_VALUES
    assert table.rows[0].label.startswith("[6, ") and table.rows[-1].label.endswith("26]")


def test_a_static_question_has_no_varying_parameter(hand):
    assert varying_parameters(hand.a) == [] and facility_by_parameter(Scope(), hand.a) == []
