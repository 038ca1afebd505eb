"""Attempts abandoned past their deadline are finished and graded without their student."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from quizzes.models import Exam, ExamAttempt
from quizzes.services import exams as exam_services
from quizzes.services.overdue import grade_overdue_attempts

pytestmark = pytest.mark.django_db


def abandoned(student, *, minutes_ago: int = 10, answer_first: bool = True) -> ExamAttempt:
    """Start an attempt long enough ago that its deadline has passed, answering question 1 right."""
    exam = Exam.objects.get(slug="tiny-exam")
    started = timezone.now() - timedelta(minutes=exam.time_limit_minutes + minutes_ago)
    attempt = exam_services.exam_start(user=student, exam=exam, when=started)
    if answer_first:
        item = attempt.responses.get(position=1)
        exam_services.exam_answer(attempt_id=attempt.pk, position=1, raw_choice=item.correct_position,
                                  when=started + timedelta(minutes=1))
    return attempt


def test_command_grades_overdue_attempts_once(synced, student, capsys):
    attempt = abandoned(student)
    call_command("grade_overdue_attempts")
    assert "1 overdue attempt(s) graded" in capsys.readouterr().out
    attempt.refresh_from_db()
    assert attempt.finished_at == attempt.deadline and attempt.timed_out
    assert attempt.score == 1 and attempt.passed is True  # 1 of 2, pass mark 50
    assert attempt.responses.filter(is_correct__isnull=True).count() == 0
    call_command("grade_overdue_attempts")
    assert capsys.readouterr().out == ""
    again = ExamAttempt.objects.get(pk=attempt.pk)
    assert (again.finished_at, again.score) == (attempt.finished_at, attempt.score)


def test_dry_run_lists_and_changes_nothing(synced, student, capsys):
    attempt = abandoned(student)
    call_command("grade_overdue_attempts", "--dry-run")
    assert f"1 overdue attempt(s) would be graded: [{attempt.pk}]" in capsys.readouterr().out
    assert ExamAttempt.objects.get(pk=attempt.pk).finished_at is None


def test_open_attempts_before_their_deadline_are_left_alone(synced, student):
    exam = Exam.objects.get(slug="tiny-exam")
    attempt = exam_services.exam_start(user=student, exam=exam, when=timezone.now())
    assert grade_overdue_attempts(when=timezone.now()) == []
    assert ExamAttempt.objects.get(pk=attempt.pk).finished_at is None


def test_an_attempt_the_student_finished_is_not_graded_again(synced, student):
    attempt = abandoned(student)
    exam_services.exam_finish(attempt_id=attempt.pk, when=timezone.now())
    assert grade_overdue_attempts(when=timezone.now()) == []


def test_every_instructor_page_load_grades_overdue_attempts(client, synced, student, django_user_model):
    attempt = abandoned(student, answer_first=False)
    client.force_login(django_user_model.objects.create_user("teach", password="pw-long-enough-1", is_staff=True))
    assert client.get(reverse("instructor_exams")).status_code == 200
    attempt.refresh_from_db()
    assert attempt.finished_at == attempt.deadline and attempt.score == 0
