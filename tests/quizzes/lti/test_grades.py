"""Assignment and Grade Services: a launched exam's score reaches the LMS once, through failures."""

from datetime import timedelta

import pytest
import requests
import responses
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from quizzes.lti import grades
from quizzes.lti.models import LtiExamLaunch, LtiGradePost
from quizzes.models import Exam, ExamAttempt
from quizzes.services import exams as exam_services

from .platform import INSTRUCTOR

Status = LtiGradePost.Status


def take_exam(user, *, correct: int | None = None) -> ExamAttempt:
    exam = Exam.objects.get(slug="tiny-exam")
    attempt = exam_services.exam_start(user=user, exam=exam, when=timezone.now())
    for n, item in enumerate(attempt.responses.order_by("position"), start=1):
        choice = item.correct_position if correct is None or n <= correct else (item.correct_position + 1) % 2
        exam_services.exam_answer(attempt_id=attempt.pk, position=n, raw_choice=choice, when=timezone.now())
    return attempt


@pytest.fixture
def learner(platform, client, synced):
    platform.launch(client, sub="learner-1", custom={"exam": "tiny-exam"})
    return get_user_model().objects.get(lti_users__sub="learner-1")


def finish(attempt, capture):
    with capture(execute=True):
        exam_services.exam_finish(attempt_id=attempt.pk, when=timezone.now())
    attempt.refresh_from_db()
    return attempt


def test_graded_exam_posts_the_score_once(platform, learner, django_capture_on_commit_callbacks):
    attempt = finish(take_exam(learner, correct=1), django_capture_on_commit_callbacks)
    assert len(platform.scores) == 1
    score = platform.scores[0]
    assert score["userId"] == "learner-1"
    assert (score["scoreGiven"], score["scoreMaximum"]) == (1, 2)
    assert (score["activityProgress"], score["gradingProgress"]) == ("Completed", "FullyGraded")
    post = LtiGradePost.objects.get()
    assert post.status == Status.SENT and post.attempt == attempt and post.tries == 1
    call_command("send_lti_grades", "--all")
    grades.post_attempt_grade(attempt.pk)
    call_command("send_lti_grades", "--all")
    assert len(platform.scores) == 1 and platform.score_attempts == 1
    assert LtiGradePost.objects.count() == 1


def test_platform_failing_then_recovering_gets_the_grade_once(platform, learner, django_capture_on_commit_callbacks):
    platform.fail_scores = 2
    finish(take_exam(learner), django_capture_on_commit_callbacks)
    post = LtiGradePost.objects.get()
    assert post.status == Status.FAILED and post.tries == 1 and "500" in post.last_error
    assert post.next_try_at > timezone.now()
    call_command("send_lti_grades")  # not due yet: the backoff is respected
    assert platform.score_attempts == 1
    LtiGradePost.objects.update(next_try_at=timezone.now() - timedelta(seconds=1))
    call_command("send_lti_grades")
    post.refresh_from_db()
    assert post.status == Status.FAILED and post.tries == 2
    assert post.next_try_at - timezone.now() > timedelta(seconds=45)  # 30 s, then 60 s ...
    LtiGradePost.objects.update(next_try_at=timezone.now() - timedelta(seconds=1))
    call_command("send_lti_grades")
    call_command("send_lti_grades", "--all")
    post.refresh_from_db()
    assert post.status == Status.SENT and post.tries == 3 and post.last_error == ""
    assert len(platform.scores) == 1 and platform.scores[0]["scoreGiven"] == 2


def test_platform_unreachable_keeps_the_grade(platform, learner, mock_http, django_capture_on_commit_callbacks):
    mock_http.replace(responses.POST, f"{platform.lineitem_url}/scores",
                      body=requests.ConnectionError("connection refused"))
    finish(take_exam(learner), django_capture_on_commit_callbacks)
    post = LtiGradePost.objects.get()
    assert post.status == Status.FAILED and "connection refused" in post.last_error


def test_backoff_doubles_and_is_capped():
    assert [grades.backoff(n).total_seconds() for n in (1, 2, 3)] == [30, 60, 120]
    assert grades.backoff(40) == timedelta(hours=6)


def test_regrade_sends_the_new_score_with_a_later_timestamp(platform, learner, django_capture_on_commit_callbacks):
    attempt = finish(take_exam(learner, correct=1), django_capture_on_commit_callbacks)
    ExamAttempt.objects.filter(pk=attempt.pk).update(score=2)
    with django_capture_on_commit_callbacks(execute=True):
        grades.post_attempt_grade(attempt.pk)
    assert [s["scoreGiven"] for s in platform.scores] == [1, 2]
    assert platform.scores[1]["timestamp"] > platform.scores[0]["timestamp"]
    assert LtiGradePost.objects.get().status == Status.SENT


def test_only_the_latest_attempt_is_the_course_grade(platform, learner, django_capture_on_commit_callbacks):
    platform.fail_scores = 1
    first = finish(take_exam(learner, correct=0), django_capture_on_commit_callbacks)
    second = finish(take_exam(learner, correct=2), django_capture_on_commit_callbacks)
    assert LtiGradePost.objects.get(attempt=first).status == Status.SUPERSEDED
    assert LtiGradePost.objects.get(attempt=second).status == Status.SENT
    call_command("send_lti_grades", "--all")
    assert [s["scoreGiven"] for s in platform.scores] == [2]
    with django_capture_on_commit_callbacks(execute=True):  # a regrade of the older attempt changes nothing
        assert grades.post_attempt_grade(first.pk) == []


def test_a_leased_row_is_not_posted_twice(platform, learner):
    attempt = take_exam(learner)
    exam_services.exam_finish(attempt_id=attempt.pk, when=timezone.now())  # on_commit not run: queued only
    post = LtiGradePost.objects.get()
    assert post.status == Status.PENDING
    LtiGradePost.objects.update(lease_until=timezone.now() + timedelta(minutes=1))  # another sender has it
    assert grades.send_one(post.pk) == Status.PENDING
    assert platform.score_attempts == 0


def test_grade_column_is_created_when_the_link_has_none(platform, client, synced, django_capture_on_commit_callbacks):
    platform.launch(client, sub="learner-2", custom={"exam": "tiny-exam"},
                    mutate=lambda c: c["https://purl.imsglobal.org/spec/lti-ags/claim/endpoint"].pop("lineitem"))
    user = get_user_model().objects.get(lti_users__sub="learner-2")
    assert LtiExamLaunch.objects.get().lineitem_url == ""
    finish(take_exam(user), django_capture_on_commit_callbacks)
    assert platform.lineitems[0]["tag"] == "exam:tiny-exam" and platform.lineitems[0]["scoreMaximum"] == 2
    assert len(platform.scores) == 1
    assert LtiExamLaunch.objects.get().lineitem_url == platform.lineitem_url


def test_exam_taken_outside_the_lms_sends_nothing(platform, synced, student, django_capture_on_commit_callbacks):
    finish(take_exam(student), django_capture_on_commit_callbacks)
    assert LtiGradePost.objects.count() == 0 and platform.score_attempts == 0


def test_instructor_sees_failed_posts_and_can_retry_them(platform, client, learner, django_capture_on_commit_callbacks):
    platform.fail_scores = 1
    finish(take_exam(learner), django_capture_on_commit_callbacks)
    client.logout()
    platform.launch(client, sub="teacher-1", roles=[INSTRUCTOR])
    course_url = reverse("lti_course", args=[LtiExamLaunch.objects.get().resource_link.context.course.pk])
    page = client.get(course_url).content.decode()
    assert "unsent-grades" in page and "Failed (will retry)" in page and "500" in page
    response = client.post(course_url + "retry-grades/", follow=True)
    assert "Grades sent: 1; still failing: 0." in response.content.decode()
    assert "Every grade has reached the LMS." in response.content.decode()
    assert len(platform.scores) == 1


def test_send_lti_grades_dry_run_sends_nothing(platform, learner, capsys):
    attempt = take_exam(learner)
    exam_services.exam_finish(attempt_id=attempt.pk, when=timezone.now())
    call_command("send_lti_grades", "--dry-run")
    assert "would send 2/2 for tiny-exam to learner-1" in capsys.readouterr().out
    assert platform.score_attempts == 0


def test_an_instructor_regrade_sends_the_new_score_to_the_lms(platform, learner, django_capture_on_commit_callbacks):
    from quizzes.services.regrading import regrade_add

    attempt = finish(take_exam(learner, correct=1), django_capture_on_commit_callbacks)
    wrong = attempt.responses.filter(is_correct=False).select_related("version").first()
    teacher = get_user_model().objects.create_user("teacher", is_staff=True)
    with django_capture_on_commit_callbacks(execute=True):
        regrade_add(version=wrong.version, kind="full_marks", params={}, by=teacher, when=timezone.now())
    attempt.refresh_from_db()
    assert attempt.score == 2
    assert [s["scoreGiven"] for s in platform.scores] == [1, 2]
