"""Compiled reads (``quizzes.selectors.compiled``) give exactly what the ORM gives, for any parameters.

Run on SQLite by ``make test`` and on PostgreSQL by ``.ci/run`` (``DATABASE_URL``): the SQL is
compiled per connection, so each backend's own SQL and converters are checked.
"""

from datetime import timedelta
from unittest import mock

import pytest
from django.db import connection, transaction
from django.db.backends.utils import CursorWrapper
from django.db.models.expressions import RawSQL
from django.db.models.sql.compiler import SQLCompiler
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from quizzes.models import Exam, ExamAttempt, Response
from quizzes.selectors import exams as exam_selectors
from quizzes.selectors import practice as practice_selectors
from quizzes.selectors.compiled import CompiledRead, Shape, named_placeholders
from quizzes.services import exams as exam_services

pytestmark = pytest.mark.django_db

NAV_COLUMNS = ("pk", "position", "answered_at", "flagged", "visit_started_at", "choice_texts", "answer_value")


@pytest.fixture
def attempt(client, student, synced) -> ExamAttempt:
    client.force_login(student)
    client.post(reverse("exam_start", args=["tiny-exam"]))
    attempt = ExamAttempt.objects.get(user=student)
    exam_services.exam_answer(attempt_id=attempt.pk, position=1, raw_choice="0", when=timezone.now())
    exam_services.exam_flag(attempt_id=attempt.pk, position=2, flagged=True, when=timezone.now())
    return attempt


def test_rows_are_the_orms_rows_with_datetimes_booleans_json_and_nulls_converted(attempt):
    read = CompiledRead(lambda p: Response.objects.filter(exam_attempt_id=p.attempt_id).order_by("position")
                        .values_list(*NAV_COLUMNS), params=("attempt_id",))
    expected = list(Response.objects.filter(exam_attempt_id=attempt.pk).order_by("position").values_list(*NAV_COLUMNS))
    assert read.rows(attempt_id=attempt.pk) == expected
    assert read.rows(attempt_id=attempt.pk) == expected  # the second run sends the compiled SQL
    assert expected[0][2] is not None and expected[0][2].tzinfo is not None and expected[1][3] is True
    assert read.rows(attempt_id=attempt.pk + 1000) == []


def test_the_sql_is_compiled_once_per_connection(attempt):
    read = CompiledRead(lambda p: Response.objects.filter(exam_attempt_id=p.attempt_id).values_list("pk"),
                        params=("attempt_id",))
    read.rows(attempt_id=attempt.pk)
    with mock.patch.object(SQLCompiler, "as_sql", side_effect=AssertionError("compiled again")):
        with CaptureQueriesContext(connection) as queries:
            assert len(read.rows(attempt_id=attempt.pk)) == 2
    assert len(queries) == 1


def test_shaped_instances_equal_the_orms_with_their_joins_attached(attempt):
    read = CompiledRead(lambda p: ExamAttempt.objects.filter(pk=p.attempt_id, user_id=p.user_id),
                        params=("attempt_id", "user_id"), shape=Shape(ExamAttempt, joins=(("exam", Shape(Exam, ("id", "title"))),)))
    loaded = read.instance(attempt_id=attempt.pk, user_id=attempt.user_id)
    fresh = ExamAttempt.objects.select_related("exam").get(pk=attempt.pk)
    with CaptureQueriesContext(connection) as queries:
        assert [getattr(loaded, f.attname) for f in ExamAttempt._meta.concrete_fields] == \
            [getattr(fresh, f.attname) for f in ExamAttempt._meta.concrete_fields]
        assert loaded.exam.title == fresh.exam.title and loaded.is_open
    assert len(queries) == 0
    assert read.instance(attempt_id=attempt.pk, user_id=attempt.user_id + 1) is None  # not theirs


def test_a_field_left_out_is_deferred_and_read_on_access_never_wrong(attempt):
    item = exam_selectors.attempt_item(attempt, 1)
    assert "choice_texts" in item.get_deferred_fields() and "data" in item.version.get_deferred_fields()
    with CaptureQueriesContext(connection) as queries:
        assert item.choice_texts == Response.objects.get(pk=item.pk).choice_texts
    assert len(queries) == 2  # the deferred load, and the comparison's own query
    assert item.question.topic.title and item.answered_at is not None


def test_an_attempts_items_match_the_orm_with_their_versions_questions_and_topics(attempt):
    items = exam_selectors.attempt_items(attempt)
    expected = list(attempt.responses.select_related("version", "question__topic").order_by("position"))
    assert items == expected
    for item, orm in zip(items, expected, strict=True):
        assert [getattr(item, f.attname) for f in Response._meta.concrete_fields] == \
            [getattr(orm, f.attname) for f in Response._meta.concrete_fields]
        assert (item.version.pk, item.version.content_hash) == (orm.version.pk, orm.version.content_hash)
        assert item.question.topic.title == orm.question.topic.title
        assert item.version.data == orm.version.data  # the source is deferred, read on access


def test_values_no_column_can_hold_match_nothing_without_asking_the_database(attempt):
    with CaptureQueriesContext(connection) as queries:
        assert exam_selectors.attempt_item(attempt, 2**70) is None
        assert exam_selectors.student_attempt(attempt_id=-(2**64), user_id=attempt.user_id) is None
    assert len(queries) == 0


def test_a_huge_position_in_an_autosave_is_refused_not_a_crash(client, attempt):
    response = client.post(reverse("attempt_answer", args=[attempt.pk, 2**70]), {"choice": "0"}, HTTP_HX_REQUEST="true")
    assert response.status_code in (400, 404)


def test_values_are_sent_by_name_so_the_backend_never_rescans_the_sql_for_placeholders(attempt):
    """With ``%s`` placeholders Django's SQLite backend runs a regular expression over the whole SQL
    on every query (50 us for the exam page's item read, more than SQLite's answer); named ones it
    formats in one step. PostgreSQL's driver takes either."""
    read = CompiledRead(lambda p: Response.objects.filter(exam_attempt_id=p.attempt_id, position=p.position)
                        .values_list("pk"), params=("attempt_id", "position"))
    read.rows(attempt_id=attempt.pk, position=1)
    sent, execute = [], CursorWrapper.execute

    def spy(cursor, sql, params=None):
        sent.append((sql, params))
        return execute(cursor, sql, params)

    with mock.patch.object(CursorWrapper, "execute", spy):
        rows = read.rows(attempt_id=attempt.pk, position=1)
    assert rows == list(Response.objects.filter(exam_attempt=attempt, position=1).values_list("pk"))
    [(sql, params)] = sent
    assert params == {"p0": attempt.pk, "p1": 1} and "%(p0)s" in sql and "%(p1)s" in sql and "%s" not in sql


def test_a_literal_percent_sign_in_the_sql_survives_the_named_placeholders(attempt):
    read = CompiledRead(lambda p: Response.objects.filter(exam_attempt_id=p.attempt_id, position=1)
                        .annotate(mark=RawSQL("'100%%'", ())).values_list("pk", "mark"), params=("attempt_id",))
    assert read.rows(attempt_id=attempt.pk) == read.rows(attempt_id=attempt.pk) == [
        (Response.objects.get(exam_attempt=attempt, position=1).pk, "100%")]


def test_placeholders_are_numbered_in_order_and_escaped_percent_signs_kept():
    assert named_placeholders("a = %s AND b LIKE '%%' AND c = %s") == "a = %(p0)s AND b LIKE '%%' AND c = %(p1)s"
    assert named_placeholders("x = '%%s' OR y = %s") == "x = '%%s' OR y = %(p0)s"
    assert named_placeholders("SELECT 1") == "SELECT 1"


def test_a_parameter_that_does_not_reach_the_sql_is_refused():
    read = CompiledRead(lambda p: Response.objects.filter(pk=1).values_list("pk"), params=("attempt_id",))
    with pytest.raises(ValueError, match="attempt_id"):
        read.rows(attempt_id=1)


def test_a_query_whose_sql_depends_on_the_values_is_refused():
    read = CompiledRead(lambda p: (Response.objects.filter(pk=p.pk) if p.pk % 2 else
                                   Response.objects.filter(pk=p.pk, flagged=True)).values_list("pk"), params=("pk",))
    with pytest.raises(ValueError, match="depends on its parameters"):
        read.rows(pk=1)


def test_a_locking_read_locks_where_the_database_can(attempt):
    read = CompiledRead(lambda p: ExamAttempt.objects.select_for_update().filter(pk=p.attempt_id).values_list("pk"),
                        params=("attempt_id",))
    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        assert read.rows(attempt_id=attempt.pk) == [(attempt.pk,)]
    sql = next(q["sql"] for q in queries.captured_queries if "quizzes_examattempt" in q["sql"])
    assert ("FOR UPDATE" in sql) == connection.features.has_select_for_update


def test_open_attempts_and_the_practice_reads_match_the_orm(client, student, synced, attempt, django_user_model):
    assert [a.pk for a in exam_selectors.open_attempts(student)] == \
        list(ExamAttempt.objects.filter(user=student, finished_at__isnull=True).values_list("pk", flat=True))
    client.post(reverse("practice"), {"topics": [], "difficulty": ""})
    client.get(reverse("practice_question"))
    session = student.practice_sessions.get()
    assert practice_selectors.student_session(session_id=session.pk, user=student) == session
    pending = practice_selectors.pending_response(session)
    assert pending == session.responses.get(answered_at__isnull=True)
    assert practice_selectors.session_score(session.pk) == {"answered": 0, "correct": 0}
    Response.objects.filter(pk=pending.pk).update(answered_at=timezone.now() - timedelta(seconds=1), is_correct=True)
    assert practice_selectors.session_score(session.pk) == {"answered": 1, "correct": 1}
    assert practice_selectors.pending_response(session) is None
    answered = practice_selectors.answered_response(response_id=pending.pk, user=student)
    assert answered == pending and answered.question.topic == pending.question.topic
    assert answered.version.pk == pending.version_id
    other = django_user_model.objects.create_user("other", password="pw-long-enough-3")
    assert practice_selectors.answered_response(response_id=pending.pk, user=other) is None  # not theirs
    Response.objects.filter(pk=pending.pk).update(answered_at=None)
    assert practice_selectors.answered_response(response_id=pending.pk, user=student) is None  # not answered
