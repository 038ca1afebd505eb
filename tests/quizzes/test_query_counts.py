"""No N+1: each student page makes the same number of queries as questions and attempts grow."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from quizzes.models import Exam, Question, QuestionVersion, Response
from quizzes.services import exams as exam_services
from quizzes.services.responses import response_answer, response_create

pytestmark = pytest.mark.django_db


def grow_bank(extra: int) -> None:
    """Add ``extra`` copies of the synced static question (same topic, new ids)."""
    template = Question.objects.get(qid="conv-window-bias")
    for n in range(extra):
        question = Question.objects.create(qid=f"clone-{Question.objects.count()}-{n}", topic=template.topic,
                                           difficulty=template.difficulty, source_path="x.md")
        version = QuestionVersion.objects.create(question=question, number=1, content_hash=f"h{n}",
                                                 data=template.current_version.data | {"id": question.qid})
        Question.objects.filter(pk=question.pk).update(current_version=version)


def grow_activity(user, answers: int, exams: int) -> None:
    now = timezone.now()
    questions = list(Question.objects.all())
    for n in range(answers):
        response = response_create(user=user, question=questions[n % len(questions)],
                                   mode=Response.Mode.PRACTICE, when=now - timedelta(hours=n))
        response_answer(response_id=response.pk, user=user, raw_choice=0, when=now - timedelta(hours=n))
    for _ in range(exams):
        attempt = exam_services.exam_start(user=user, exam=Exam.objects.get(), when=now)
        exam_services.exam_finish(attempt_id=attempt.pk, when=now)


def queries(client, url: str) -> int:
    cache.clear()  # the header's cached role would make a second count smaller than the first
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


@pytest.fixture
def student_client(client, student, synced):
    client.force_login(student)
    return client


def test_progress_page_query_count_is_constant(student_client, student):
    grow_activity(student, answers=3, exams=1)
    small = queries(student_client, reverse("progress"))
    grow_bank(10)
    grow_activity(student, answers=30, exams=4)
    assert queries(student_client, reverse("progress")) == small


def test_practice_question_page_query_count_is_constant(student_client):
    student_client.post(reverse("practice"), {"topics": [], "difficulty": ""})
    student_client.get(reverse("practice_question"))
    small = queries(student_client, reverse("practice_question"))
    grow_bank(20)
    assert queries(student_client, reverse("practice_question")) == small


def test_exam_pages_query_count_is_constant(student_client, student):
    grow_activity(student, answers=2, exams=1)
    exam = Exam.objects.get()
    attempt = exam_services.exam_start(user=student, exam=exam, when=timezone.now())
    question_small = queries(student_client, reverse("attempt_question", args=[attempt.pk, 1]))
    list_small = queries(student_client, reverse("exam_list"))
    exam_services.exam_finish(attempt_id=attempt.pk, when=timezone.now())
    result_small = queries(student_client, reverse("attempt_result", args=[attempt.pk]))

    grow_bank(15)
    grow_activity(student, answers=20, exams=5)
    Exam.objects.filter(pk=exam.pk).update(sections=[{"topics": ["convolution"], "count": 12, "difficulty": []}])
    exam.refresh_from_db()
    big = exam_services.exam_start(user=student, exam=exam, when=timezone.now())
    assert big.total == 12
    assert queries(student_client, reverse("attempt_question", args=[big.pk, 1])) == question_small
    assert queries(student_client, reverse("exam_list")) == list_small
    exam_services.exam_finish(attempt_id=big.pk, when=timezone.now())
    assert queries(student_client, reverse("attempt_result", args=[big.pk])) == result_small


def test_review_page_query_count_is_constant(student_client, student):
    grow_activity(student, answers=2, exams=0)
    Response.objects.update(answered_at=timezone.now() - timedelta(days=3))
    from quizzes.models import ReviewCard

    ReviewCard.objects.update(due=timezone.now() - timedelta(days=1))
    student_client.get(reverse("review"))
    small = queries(student_client, reverse("review"))
    grow_bank(10)
    grow_activity(student, answers=25, exams=0)
    ReviewCard.objects.update(due=timezone.now() - timedelta(days=1))
    assert queries(student_client, reverse("review")) == small


def count_queries(action) -> int:
    with CaptureQueriesContext(connection) as captured:
        action()
    return len(captured)


def test_starting_and_submitting_an_exam_take_as_many_queries_for_12_questions_as_for_1(student, synced):
    exam = Exam.objects.get()
    Exam.objects.filter(pk=exam.pk).update(sections=[{"topics": ["convolution"], "count": 1, "difficulty": []}])
    exam.refresh_from_db()
    grow_activity(student, answers=0, exams=1)  # the cards of a first exam exist: later ones update them
    attempt = exam_services.exam_start(user=student, exam=exam, when=timezone.now())
    exam_services.exam_finish(attempt_id=attempt.pk, when=timezone.now())
    now = timezone.now()
    small_start = count_queries(lambda: exam_services.exam_start(user=student, exam=exam, when=now))
    small = exam_services.open_attempt(user=student, exam=exam)
    small_finish = count_queries(lambda: exam_services.exam_finish(attempt_id=small.pk, when=now))

    grow_bank(15)
    Exam.objects.filter(pk=exam.pk).update(sections=[{"topics": ["convolution"], "count": 12, "difficulty": []}])
    exam.refresh_from_db()
    assert count_queries(lambda: exam_services.exam_start(user=student, exam=exam, when=now)) == small_start
    big = exam_services.open_attempt(user=student, exam=exam)
    assert big.total == 12
    assert count_queries(lambda: exam_services.exam_finish(attempt_id=big.pk, when=now)) == small_finish
