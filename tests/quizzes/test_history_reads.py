"""Reads that grow with a student's history (a term of answers) go through an index, not through every answer.

Each read is run as the site runs it, and the database's plan for the SQL it sent is checked.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from quizzes.content.sync import sync_content
from quizzes.models import Exam, Question, Response
from quizzes.selectors.questions import in_open_exams
from quizzes.selectors.variants import seeds_seen
from quizzes.services import exams as exam_services
from tests.conftest import STATIC

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


def answer_a_term(student, content, questions: int = 40, others: int = 4, per_question: int = 8) -> None:
    """Give ``student`` and ``others`` classmates a term of practice: ``per_question`` answers to each of ``questions``.

    The content folder is grown to ``questions`` questions first. The answers are stored as a class
    gives them, the classmates' interleaved, and half of the wrong ones name a misconception. On a
    table of a few rows PostgreSQL costs every index that starts with ``user`` the same and picks one
    by chance; on a student's answers stored one after another it reads them all in heap order.
    After ``ANALYZE`` of a term it knows that a few questions are a small part of a student's answers.
    """
    for n in range(Question.objects.count(), questions):
        content.question(f"term-question-{n}", STATIC.replace("id: conv-window-bias", f"id: term-question-{n}")
                         .replace("What does", f"(term {n}) What does"))
    sync_content(root=content.root)
    users = [student, *(type(student).objects.create_user(f"classmate-{n}", password="!") for n in range(others))]
    now = timezone.now()
    Response.objects.bulk_create([
        Response(user=user, question=question, version_id=question.current_version_id, mode=Response.Mode.PRACTICE,
                 seed=n, choice_order=[0, 1], choice_texts=["a", "b"], correct_position=0, chosen_position=n % 2,
                 is_correct=n % 2 == 0, misconception=f"misconception-{n % 3}" if n % 4 == 1 else "",
                 shown_at=now, answered_at=now)
        for n in range(per_question) for question in Question.objects.published() for user in users])
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE quizzes_response")


def test_the_variants_a_student_was_shown_are_read_by_student_and_question_unsorted(student, synced):
    answer_a_term(student, synced)
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
