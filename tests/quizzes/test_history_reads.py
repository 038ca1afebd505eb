"""Reads that grow with a student's history (a term of answers) go through an index, not through every answer.

Each read is run as the site runs it, and the database's plan for the SQL it sent is checked.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from quizzes.models import Exam, Question
from quizzes.selectors.questions import in_open_exams
from quizzes.selectors.variants import seeds_seen
from quizzes.services import exams as exam_services

pytestmark = pytest.mark.django_db


def plan_of(run) -> str:
    """Run ``run()``; return the database's plan for the one query it sent (SQLite's or PostgreSQL's).

    PostgreSQL reads a test's few rows fastest from the table itself whatever the indexes: its
    plan is asked with sequential scans off, which shows the index a term's worth of rows would use.
    """
    with CaptureQueriesContext(connection) as queries:
        run()
    [query] = queries.captured_queries
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("EXPLAIN QUERY PLAN " + query["sql"])
            return "\n".join(str(row[-1]) for row in cursor.fetchall())
        cursor.execute("SET enable_seqscan = off")
        try:
            cursor.execute("EXPLAIN " + query["sql"])
            return "\n".join(row[0] for row in cursor.fetchall())
        finally:
            cursor.execute("RESET enable_seqscan")


def test_the_variants_a_student_was_shown_are_read_by_student_and_question_unsorted(student, synced):
    question_ids = list(Question.objects.values_list("pk", flat=True)[:3])
    plan = plan_of(lambda: seeds_seen(student, question_ids))
    assert "quizzes_res_user_id_57b2bf_idx" in plan, plan  # the (user, question) index
    if connection.vendor == "sqlite":
        assert "TEMP B-TREE" not in plan, plan
    else:
        assert "Sort" not in plan, plan


def test_the_questions_of_open_exams_are_read_from_the_students_open_attempts(student, synced):
    attempt = exam_services.exam_start(user=student, exam=Exam.objects.get(slug="tiny-exam"), when=timezone.now())
    in_exam = set(attempt.responses.values_list("question_id", flat=True))
    for user in (student, student.pk):
        assert set(in_open_exams(user).values_list("question_id", flat=True)) == in_exam
    plan = plan_of(lambda: list(in_open_exams(student)))
    assert "exam_attempt_id" in plan and "quizzes_response_user_id" not in plan, plan
    exam_services.exam_finish(attempt_id=attempt.pk, when=timezone.now())
    assert not in_open_exams(student).exists()
