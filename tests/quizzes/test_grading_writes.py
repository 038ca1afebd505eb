"""The requests a class sends at once write each row once and read nothing twice.

Each statement is a round trip to the database while a class waits: an exam question's first
view, a practice answer and an exam's submit were measured at 20-25 statements each (with the
page they lead to), some of them writing the same row twice or reading back a row already in hand.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from quizzes.models import Exam, Question, Response
from quizzes.services import exams as exam_services
from quizzes.services.responses import response_answer, response_create
from quizzes.services.visits import open_visits

pytestmark = pytest.mark.django_db


def statements(action) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        action()
    return [query["sql"] for query in captured.captured_queries]


def writes_to_responses(sql: list[str]) -> list[str]:
    return [s for s in sql if s.lstrip().upper().startswith("UPDATE") and '"quizzes_response"' in s]


@pytest.fixture
def attempt(synced, student):
    return exam_services.exam_start(user=student, exam=Exam.objects.get(slug="tiny-exam"), when=timezone.now())


def test_the_first_view_of_an_exam_question_records_it_and_starts_its_visit_in_one_write(attempt):
    first = attempt.responses.get(position=1)
    now = timezone.now()
    sql = statements(lambda: exam_services.exam_item_viewed(item=first, when=now, under_way=[]))
    assert len(writes_to_responses(sql)) == 1, sql
    first.refresh_from_db()
    assert first.viewed_at == now and first.visit_started_at == now

    second = attempt.responses.get(position=2)
    later, under_way = timezone.now(), open_visits(attempt.pk)
    sql = statements(lambda: exam_services.exam_item_viewed(item=second, when=later, under_way=under_way))
    assert len(writes_to_responses(sql)) == 2, sql  # the first question's visit ends; the second's starts
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.visit_started_at is None and first.seconds_spent == (later - now).total_seconds()
    assert first.viewed_at == now  # a later view leaves the first view's time alone
    assert second.viewed_at == later and second.visit_started_at == later


def test_a_reload_records_nothing_new(attempt):
    first = attempt.responses.get(position=1)
    now = timezone.now()
    exam_services.exam_item_viewed(item=first, when=now, under_way=[])
    first.refresh_from_db()
    under_way = open_visits(attempt.pk)
    assert statements(lambda: exam_services.exam_item_viewed(item=first, when=timezone.now(),
                                                             under_way=under_way)) == []


@pytest.mark.django_db(transaction=True)  # no test transaction around it: a savepoint seen is the code's own
def test_a_practice_answer_writes_its_response_once_and_reads_no_row_again(synced, student):
    question = Question.objects.select_related("current_version").order_by("pk").first()
    shown = response_create(user=student, question=question, mode=Response.Mode.PRACTICE, when=timezone.now())
    sql = statements(lambda: response_answer(response_id=shown.pk, user=student,
                                             raw_choice=shown.correct_position, when=timezone.now()))
    assert len(writes_to_responses(sql)) == 1, sql
    assert not [s for s in sql if s.startswith("SELECT") and ('FROM "auth_user"' in s
                                                               or 'FROM "quizzes_practicesession"' in s)], sql
    assert not [s for s in sql if "SAVEPOINT" in s.upper()], sql
    answered = Response.objects.get(pk=shown.pk)
    assert answered.is_correct and answered.is_first_attempt and answered.answered_at is not None


@pytest.mark.django_db(transaction=True)
def test_a_submit_writes_each_item_once_with_its_grade_and_whether_it_counts(attempt, student):
    first = attempt.responses.get(position=1)
    exam_services.exam_answer(attempt_id=attempt.pk, position=1, raw_choice=first.correct_position,
                              when=timezone.now())
    sql = statements(lambda: exam_services.exam_finish(attempt_id=attempt.pk, when=timezone.now()))
    bulk_writes = [s for s in writes_to_responses(sql) if "CASE" in s]
    assert len(bulk_writes) == 1, sql
    assert not [s for s in sql if "SAVEPOINT" in s.upper()], sql
    attempt_reads = [s for s in sql if s.startswith("SELECT") and 'FROM "quizzes_examattempt"' in s]
    assert len(attempt_reads) == 1, attempt_reads  # locked and graded; the LMS outbox is given it, not re-reading it
    graded = list(attempt.responses.order_by("position").values_list("is_correct", "is_first_attempt"))
    assert graded == [(True, True), (False, True)]


def test_a_new_practice_question_deletes_skipped_ones_only_when_there_are_some(synced, student):
    """``QuerySet.delete`` takes a transaction (on SQLite, the write lock) even when it finds nothing."""
    from unittest import mock

    from django.db.models.deletion import Collector

    from quizzes.services import practice

    session = practice.practice_start(user=student, topic_slugs=[], difficulty=None)
    with mock.patch.object(Collector, "delete", side_effect=AssertionError("a delete of nothing")):
        first = practice.practice_next(session=session, when=timezone.now())
    second = practice.practice_next(session=session, when=timezone.now())  # the first was skipped
    assert not Response.objects.filter(pk=first.pk).exists()
    assert list(session.responses.values_list("pk", flat=True)) == [second.pk]
