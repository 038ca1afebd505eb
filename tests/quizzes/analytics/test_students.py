"""The student table: totals, recent mastery (as on the student's own page), exams, server-side sorting."""

from datetime import timedelta

import pytest

from quizzes.analytics.scope import Scope
from quizzes.analytics.students import student_rows
from quizzes.selectors.progress import RECENT_ANSWERS_PER_TOPIC, mastery_by_topic
from tests.quizzes.analytics.data import START, build_hand, make_response

pytestmark = pytest.mark.django_db


@pytest.fixture
def hand(synced, django_user_model):
    return build_hand(django_user_model)


def rows_by_name(scope: Scope | None = None, sort: str = "username"):
    rows, used = student_rows(scope or Scope(), sort=sort)
    return {row.username: row for row in rows}, [row.username for row in rows], used


def test_rows_of_the_hand_data_set(hand):
    rows, order, used = rows_by_name()
    assert order == ["s1", "s2", "s3", "s4", "s5"] and used == "username"
    s2 = rows["s2"]
    assert (s2.answered, s2.correct, s2.exams_taken, s2.exams_passed) == (3, 2, 1, 1)
    assert s2.best_percent == pytest.approx(200 / 3)
    assert s2.mastery_of("convolution") == 100 and s2.mastery_of("output-size") == 0
    assert s2.last_active == hand.attempts["s2"].started_at + timedelta(seconds=180)


def test_mastery_matches_the_students_own_progress_page(hand):
    user = hand.users["s3"]
    for n in range(RECENT_ANSWERS_PER_TOPIC + 5):  # older answers beyond the last 20 no longer count
        make_response(user, hand.d, right=n >= 5, first=False, shown=START + timedelta(hours=1, minutes=n))
    rows, _, _ = rows_by_name()
    own = {m.slug: (m.answered, m.correct, m.percent) for m in mastery_by_topic(user)}
    table = {m.slug: (m.answered, m.correct, m.percent) for m in rows["s3"].mastery}
    assert table == own
    assert table["convolution"] == (20, 20, 100)


@pytest.mark.parametrize("sort, expected", [
    ("-right", ["s1", "s2", "s3", "s4", "s5"]),
    ("right", ["s4", "s5", "s2", "s3", "s1"]),
    ("topic-output-size", ["s2", "s4", "s5", "s1", "s3"]),
    ("-best", ["s1", "s2", "s3", "s4", "s5"]),
    ("nonsense", ["s1", "s2", "s3", "s4", "s5"]),
    ("topic-no-such-topic", ["s1", "s2", "s3", "s4", "s5"]),
])
def test_server_side_sorting(hand, sort, expected):
    _, order, used = rows_by_name(sort=sort)
    assert order == expected
    assert used == (sort if sort in ("-right", "right", "topic-output-size", "-best") else "username")


def test_students_without_a_value_come_last_either_way(hand, django_user_model):
    django_user_model.objects.create_user("aaa-idle", password="pw-long-enough-1")
    for sort in ("last_active", "-last_active", "best", "-best"):
        assert rows_by_name(sort=sort)[1][-1] == "aaa-idle"
    assert rows_by_name(sort="answered")[1][0] == "aaa-idle"  # 0 answers is a value
