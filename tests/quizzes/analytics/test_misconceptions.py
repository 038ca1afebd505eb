"""Misconceptions across a class, against the hand data set (tests/quizzes/analytics/data.py).

Wrong answers and the misconception each names:
- A (conv-window-bias, wrong choice "Nothing" = forgot-bias): s4;
- B (conv-window-bias-1, same choices): s3, s5;
- C (output-size-padded): s2 and s5 picked forgot-padding, s4 forgot-plus-one.
So forgot-bias: 3 students (s3, s4, s5) over A and B; forgot-padding: 2; forgot-plus-one: 1. Every
student answered A, B and C: on C, 2 of 5 forgot the padding.
"""

import csv
import io

import pytest
from django.db.models import Case, CharField, Value, When
from django.urls import reverse

from quizzes.analytics import misconceptions
from quizzes.analytics.exports import BOM
from quizzes.analytics.scope import Scope
from quizzes.models import Cohort, Question
from tests.quizzes.analytics.data import build_hand, make_response

pytestmark = pytest.mark.django_db


@pytest.fixture
def hand(synced, django_user_model):
    return build_hand(django_user_model)


def test_misconceptions_are_ranked_by_students_with_the_questions_revealing_them(hand):
    rows = misconceptions.class_misconceptions(Scope())
    assert [(r.slug, r.label, r.students, r.answers) for r in rows] == [
        ("forgot-bias", "Forgot the bias", 3, 3),
        ("forgot-padding", "Forgot the padding", 2, 2),
        ("forgot-plus-one", "Forgot the +1", 1, 1),
    ]
    assert [(hit.qid, hit.students, hit.answered) for hit in rows[0].questions] == [
        ("conv-window-bias-1", 2, 5), ("conv-window-bias", 1, 5)]
    assert rows[1].questions[0].share == pytest.approx(0.4)


def test_a_student_hitting_one_misconception_twice_counts_once(hand):
    make_response(hand.users["s4"], hand.b, right=False, first=False)  # s4 now also wrong on B
    rows = {r.slug: r for r in misconceptions.class_misconceptions(Scope(first_only=False))}
    assert (rows["forgot-bias"].students, rows["forgot-bias"].answers) == (3, 4)
    assert rows["forgot-bias"].students == misconceptions.class_misconceptions(Scope())[0].students


def test_a_cohort_sees_its_own_students_only(hand):
    cohort = Cohort.objects.create(name="Pair")
    cohort.members.add(hand.users["s1"], hand.users["s2"])
    rows = misconceptions.class_misconceptions(Scope(cohort=cohort))
    assert [(r.slug, r.students, r.questions[0].answered) for r in rows] == [("forgot-padding", 1, 2)]


def test_no_wrong_answers_no_rows(synced, student):
    make_response(student, Question.objects.get(qid="conv-window-bias"), right=True)
    assert misconceptions.class_misconceptions(Scope()) == []


def test_a_misconception_recorded_on_the_response_wins_over_the_choice(hand, monkeypatch):
    """Typed-number answers record their misconception on the response (a ``misconception`` field)."""
    own = Case(When(user__username="s2", then=Value("typed-slip")), default=Value(None), output_field=CharField())
    monkeypatch.setattr(misconceptions, "from_response_field", lambda: own)
    rows = {r.slug: r for r in misconceptions.class_misconceptions(Scope())}
    assert (rows["typed-slip"].students, rows["typed-slip"].questions[0].answered) == (1, 5)
    assert [hit.qid for hit in rows["typed-slip"].questions] == ["output-size-padded"]
    assert rows["forgot-padding"].students == 1  # s5 only: s2's answer names its own
    assert rows["forgot-bias"].students == 3


def test_without_a_response_field_the_chosen_choice_decides(hand):
    assert misconceptions.from_response_field() is None or any(
        f.name == "misconception" for f in hand.a.responses.model._meta.get_fields())


def test_the_page_and_its_csv(client, django_user_model, hand):
    client.force_login(django_user_model.objects.create_user("teacher", password="pw-long-enough-1", is_staff=True))
    html = client.get(reverse("instructor_misconceptions")).content.decode()
    table = html.split('id="misconceptions"')[1]
    assert table.index("Forgot the bias") < table.index("Forgot the padding") < table.index("Forgot the +1")
    assert 'id="m-forgot-padding"' in html and reverse("instructor_item", args=["output-size-padded"]) in table
    version = hand.c.current_version
    version.data["choices"][1]["misconception_label"] = "=HYPERLINK(\"http://evil\")"
    version.save()
    response = client.get(reverse("instructor_export_misconceptions"))
    text = response.content.decode("utf-8")
    assert text.startswith(BOM) and response["Content-Disposition"].startswith('attachment; filename="misconceptions-')
    rows = list(csv.reader(io.StringIO(text[len(BOM):])))
    assert rows[0] == misconceptions.MISCONCEPTIONS_HEADER
    assert rows[1][:4] == ["forgot-bias", "Forgot the bias", "3", "3"]
    assert rows[2][1] == "'=HYPERLINK(\"http://evil\")"
    assert rows[1][4] == "conv-window-bias-1 (2/5); conv-window-bias (1/5)"


def test_the_item_page_links_its_distractors_here(client, django_user_model, hand):
    client.force_login(django_user_model.objects.create_user("teacher", password="pw-long-enough-1", is_staff=True))
    html = client.get(reverse("instructor_item", args=["output-size-padded"])).content.decode()
    assert f'href="{reverse("instructor_misconceptions")}#m-forgot-padding"' in html


def test_the_page_takes_four_queries_whatever_the_class_size(hand, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        misconceptions.class_misconceptions(Scope())
