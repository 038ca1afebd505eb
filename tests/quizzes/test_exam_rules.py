"""Exam rules, enforced on the server: windows per cohort, attempts, extra time, one way, end/extend.

Each rule has a tamper test: the request a student could forge, refused whatever it says.
"""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from quizzes.models import Accommodation, Cohort, Exam, ExamAttempt, ExamRules, ExamWindow, Response
from quizzes.services import exams as exam_services
from quizzes.services.attempt_control import (
    ATTEMPT_NOT_OPEN,
    BAD_EXTENSION,
    ControlRefused,
    attempt_end,
    attempt_extend,
)
from quizzes.services.exam_rules import ONE_WAY_BACK, ExamRefused, choose_window, rules_for
from quizzes.services.responses import AnswerRefused

pytestmark = pytest.mark.django_db


@pytest.fixture
def exam(synced) -> Exam:
    return Exam.objects.get(slug="tiny-exam")


@pytest.fixture
def signed_in(client, student, synced):
    client.force_login(student)
    return client


def start_url():
    return reverse("exam_start", args=["tiny-exam"])


def test_no_rules_means_open_any_time_unlimited_and_the_exams_time(exam, student):
    now = timezone.now()
    rules = rules_for(user=student, exam=exam, when=now)
    assert rules.refusal(now) is None and rules.max_attempts is None and not rules.one_way
    assert rules.time_limit_minutes == 5 and rules.deadline(now) == now + timedelta(minutes=5)


def test_starting_before_the_window_opens_is_refused(signed_in, exam, student):
    opens = timezone.now() + timedelta(hours=2)
    ExamWindow.objects.create(exam=exam, opens_at=opens, closes_at=opens + timedelta(hours=1))
    response = signed_in.post(start_url())
    assert response.status_code == 403 and "it cannot be started before then" in response.content.decode()
    assert not ExamAttempt.objects.exists()
    with pytest.raises(ExamRefused):
        exam_services.exam_start(user=student, exam=exam, when=timezone.now())
    page = signed_in.get(reverse("exam_detail", args=["tiny-exam"])).content.decode()
    assert "Opens" in page and "Start the exam</button>" not in page


def test_starting_after_the_window_closes_is_refused(signed_in, exam):
    ExamWindow.objects.create(exam=exam, closes_at=timezone.now() - timedelta(minutes=1))
    response = signed_in.post(start_url())
    assert response.status_code == 403 and "it can no longer be started" in response.content.decode()
    assert not ExamAttempt.objects.exists()


def test_a_cohorts_window_wins_over_the_window_for_everyone(signed_in, exam, student):
    now = timezone.now()
    ExamWindow.objects.create(exam=exam, closes_at=now - timedelta(days=1))
    cohort = Cohort.objects.create(name="Late group")
    cohort.members.add(student)
    ExamWindow.objects.create(exam=exam, cohort=cohort, opens_at=now - timedelta(hours=1),
                              closes_at=now + timedelta(minutes=3))
    assert signed_in.post(start_url()).status_code == 302
    attempt = ExamAttempt.objects.get()
    assert attempt.deadline <= now + timedelta(minutes=3)  # cut at the window's close, not 5 minutes
    other = Cohort.objects.create(name="Other")
    ExamWindow.objects.create(exam=exam, cohort=other, opens_at=now + timedelta(days=3))


def test_choose_window_prefers_open_then_upcoming_then_last_closed(exam):
    now = timezone.now()
    past = ExamWindow(exam=exam, closes_at=now - timedelta(days=1))
    later = ExamWindow(exam=exam, opens_at=now + timedelta(days=1))
    current = ExamWindow(exam=exam, opens_at=now - timedelta(hours=1))
    assert choose_window([past, later, current], now) is current
    assert choose_window([past, later], now) is later
    assert choose_window([past], now) is past and choose_window([], now) is None


def test_beyond_the_maximum_attempts_is_refused(signed_in, exam, student):
    ExamRules.objects.create(exam=exam, max_attempts=1)
    assert signed_in.post(start_url()).status_code == 302
    attempt = ExamAttempt.objects.get()
    assert signed_in.post(start_url()).url == reverse("attempt_question", args=[attempt.pk, 1])  # resumes
    signed_in.post(reverse("attempt_submit", args=[attempt.pk]))
    refused = signed_in.post(start_url())
    assert refused.status_code == 403 and "all 1 of your attempts" in refused.content.decode()
    assert ExamAttempt.objects.count() == 1
    assert "0 left" in signed_in.get(reverse("exam_detail", args=["tiny-exam"])).content.decode()


def test_extra_time_multiplies_then_adds(signed_in, exam, student):
    Accommodation.objects.create(user=student, time_multiplier=Decimal("1.5"), extra_minutes=2)
    before = timezone.now()
    signed_in.post(start_url())
    attempt = ExamAttempt.objects.get()
    assert attempt.deadline - attempt.started_at == timedelta(minutes=10)  # ceil(5 * 1.5) + 2
    assert attempt.started_at >= before
    assert "10 minutes" in signed_in.get(reverse("exam_detail", args=["tiny-exam"])).content.decode()


def test_an_accommodation_for_this_exam_wins_over_one_for_every_exam(exam, student):
    Accommodation.objects.create(user=student, extra_minutes=30)
    Accommodation.objects.create(user=student, exam=exam, extra_minutes=5)
    assert rules_for(user=student, exam=exam, when=timezone.now()).time_limit_minutes == 10


def test_all_the_rules_are_read_in_two_queries_and_mean_the_same(exam, student, django_user_model):
    """Starting an exam reads its rules while the class waits: the settings in one query, the windows in another."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    now = timezone.now()
    cohort = Cohort.objects.create(name="Monday group")
    cohort.members.add(student)
    ExamWindow.objects.create(exam=exam, closes_at=now + timedelta(hours=1))
    ExamWindow.objects.create(exam=exam, cohort=cohort, closes_at=now + timedelta(hours=3))
    ExamRules.objects.create(exam=exam, max_attempts=3, one_way=True)
    Accommodation.objects.create(user=student, time_multiplier=Decimal("2"), extra_minutes=30)
    Accommodation.objects.create(user=student, exam=exam, time_multiplier=Decimal("1.5"), extra_minutes=1)
    exam_services.exam_start(user=student, exam=exam, when=now)
    with CaptureQueriesContext(connection) as captured:
        rules = rules_for(user=student, exam=exam, when=now)
    assert len(captured) == 2, [query["sql"] for query in captured.captured_queries]
    assert (rules.max_attempts, rules.attempts_used, rules.one_way) == (3, 1, True)
    assert rules.time_multiplier == Decimal("1.5") and rules.time_limit_minutes == 9  # ceil(5 * 1.5) + 1
    assert rules.window.cohort_id == cohort.pk

    classmate = django_user_model.objects.create_user("classmate", password="pw-long-enough-2")
    theirs = rules_for(user=classmate, exam=exam, when=now)
    assert (theirs.attempts_used, theirs.time_limit_minutes, theirs.window.cohort_id) == (0, 5, None)


def test_forged_extra_time_is_ignored(signed_in, student):
    signed_in.post(start_url(), {"extra_minutes": "120", "time_multiplier": "4", "deadline": "2099-01-01T00:00"})
    attempt = ExamAttempt.objects.get()
    assert attempt.deadline - attempt.started_at == timedelta(minutes=5)
    assert not Accommodation.objects.exists()
    forged = signed_in.post(reverse("instructor_attempt_extend", args=[attempt.pk]), {"minutes": "60"})
    assert forged.status_code == 403
    assert ExamAttempt.objects.get().deadline == attempt.deadline


def one_way_attempt(signed_in, exam) -> ExamAttempt:
    ExamRules.objects.create(exam=exam, one_way=True)
    signed_in.post(start_url())
    attempt = ExamAttempt.objects.get()
    assert attempt.one_way
    return attempt


def test_one_way_refuses_going_back(signed_in, exam):
    attempt = one_way_attempt(signed_in, exam)
    assert signed_in.get(reverse("attempt_question", args=[attempt.pk, 1])).status_code == 200
    page = signed_in.get(reverse("attempt_question", args=[attempt.pk, 2])).content.decode()
    assert ">Previous<" not in page and "One way: once you move on" in page and 'href="' + reverse("attempt_question", args=[attempt.pk, 1]) not in page
    back = signed_in.get(reverse("attempt_question", args=[attempt.pk, 1]), follow=True)
    assert back.redirect_chain[-1][0] == reverse("attempt_question", args=[attempt.pk, 2])
    assert ONE_WAY_BACK in back.content.decode()
    answer = signed_in.post(reverse("attempt_answer", args=[attempt.pk, 1]), {"choice": "0"})
    assert answer.status_code == 409 and ONE_WAY_BACK in answer.content.decode()
    flag = signed_in.post(reverse("attempt_flag", args=[attempt.pk, 1]), {"flagged": "1"})
    assert flag.status_code == 409
    first = Response.objects.get(exam_attempt=attempt, position=1)
    assert first.answered_at is None and not first.flagged
    assert signed_in.post(reverse("attempt_answer", args=[attempt.pk, 2]), {"choice": "0"}).status_code == 302


def test_one_way_service_refuses_answers_before_the_furthest(signed_in, exam):
    attempt = one_way_attempt(signed_in, exam)
    exam_services.exam_answer(attempt_id=attempt.pk, position=2, raw_choice=0, when=timezone.now())
    with pytest.raises(AnswerRefused) as refused:
        exam_services.exam_answer(attempt_id=attempt.pk, position=1, raw_choice=0, when=timezone.now())
    assert refused.value.message == ONE_WAY_BACK


def test_free_navigation_still_goes_back(signed_in, exam):
    signed_in.post(start_url())
    attempt = ExamAttempt.objects.get()
    signed_in.get(reverse("attempt_question", args=[attempt.pk, 2]))
    assert signed_in.get(reverse("attempt_question", args=[attempt.pk, 1])).status_code == 200
    assert signed_in.post(reverse("attempt_answer", args=[attempt.pk, 1]), {"choice": "0"}).status_code == 302


def test_an_instructor_extends_and_ends_an_open_attempt(exam, student, django_user_model):
    teacher = django_user_model.objects.create_user("teacher", password="pw-long-enough-1", is_staff=True)
    now = timezone.now()
    attempt = exam_services.exam_start(user=student, exam=exam, when=now)
    extended = attempt_extend(attempt_id=attempt.pk, minutes="15", by=teacher, when=now)
    assert extended.deadline == attempt.deadline + timedelta(minutes=15) and extended.extended_minutes == 15
    for bad in ("0", "601", "x", None):
        with pytest.raises(ControlRefused) as refused:
            attempt_extend(attempt_id=attempt.pk, minutes=bad, by=teacher, when=now)
        assert refused.value.message == BAD_EXTENSION.format(most=600)
    ended = attempt_end(attempt_id=attempt.pk, by=teacher, when=now + timedelta(minutes=1))
    assert ended.finished_at is not None and ended.ended_by == teacher and ended.score == 0
    for action in (lambda: attempt_end(attempt_id=attempt.pk, by=teacher, when=now),
                   lambda: attempt_extend(attempt_id=attempt.pk, minutes=5, by=teacher, when=now)):
        with pytest.raises(ControlRefused) as refused:
            action()
        assert refused.value.message == ATTEMPT_NOT_OPEN


def test_an_attempt_past_its_deadline_cannot_be_extended(exam, student, django_user_model):
    teacher = django_user_model.objects.create_user("teacher", password="pw-long-enough-1", is_staff=True)
    attempt = exam_services.exam_start(user=student, exam=exam, when=timezone.now())
    with pytest.raises(ControlRefused):
        attempt_extend(attempt_id=attempt.pk, minutes=5, by=teacher, when=attempt.deadline + timedelta(seconds=1))
    assert ExamAttempt.objects.get().timed_out


def test_rules_survive_sync_content(synced, exam, student):
    from quizzes.content.sync import sync_content

    ExamRules.objects.create(exam=exam, max_attempts=2, one_way=True)
    ExamWindow.objects.create(exam=exam, closes_at=timezone.now() + timedelta(days=1))
    Accommodation.objects.create(user=student, exam=exam, extra_minutes=5)
    (synced.root / "exams" / "tiny-exam.md").write_text(
        (synced.root / "exams" / "tiny-exam.md").read_text().replace("time_limit_minutes: 5", "time_limit_minutes: 7"))
    report = sync_content(root=synced.root)
    assert report.exams_changed == ["tiny-exam"]
    rules = rules_for(user=student, exam=Exam.objects.get(slug="tiny-exam"), when=timezone.now())
    assert (rules.max_attempts, rules.one_way, rules.time_limit_minutes) == (2, True, 12)
    assert rules.closes_at is not None


def test_the_rules_page_lists_students_open_attempts_but_never_offers_the_instructor_to_resume_them(
        client, exam, student, django_user_model):
    """The page's list of open attempts once reached the site's "You have an exam in progress" banner."""
    teacher = django_user_model.objects.create_user("teacher", password="pw-long-enough-1", is_staff=True)
    attempt = exam_services.exam_start(user=student, exam=exam, when=timezone.now())
    client.force_login(teacher)
    html = client.get(reverse("instructor_exam_rules", args=[exam.slug])).content.decode()
    assert student.username in html  # the list of open attempts
    assert "You have an exam in progress" not in html
    assert reverse("attempt_question", args=[attempt.pk, 1]) not in html
    mine = exam_services.exam_start(user=teacher, exam=exam, when=timezone.now())
    html = client.get(reverse("instructor_exam_rules", args=[exam.slug])).content.decode()
    assert html.count("You have an exam in progress") == 1
    assert reverse("attempt_question", args=[mine.pk, 1]) in html
    assert reverse("attempt_question", args=[attempt.pk, 1]) not in html
