"""Two identical requests at once (a double click) give no 500 and change the data once.

Runs on the suite's database: a SQLite file (WAL, busy timeout, IMMEDIATE transactions) by
default, PostgreSQL when DATABASE_URL points at one. Each request runs in its own thread with
its own connection.
"""

from datetime import timedelta
from functools import partial

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from quizzes.models import Exam, ExamAttempt, Question, Response, ReviewCard
from quizzes.services import exams as exam_services
from quizzes.services.overdue import grade_overdue_attempts
from quizzes.services.review import cards_record
from tests.quizzes.concurrency import at_once

pytestmark = pytest.mark.django_db(transaction=True)
COPIES = 4


def clients(user, count: int = COPIES) -> list[Client]:
    """Return ``count`` clients signed in as ``user`` (one browser double-clicking)."""
    first = Client(raise_request_exception=False)
    first.force_login(user)
    others = []
    for _ in range(count - 1):
        other = Client(raise_request_exception=False)
        other.cookies = first.cookies
        others.append(other)
    return [first, *others]


def no_errors(results) -> list[int]:
    assert not [r for r in results if isinstance(r, BaseException)], results
    codes = [r.status_code for r in results]
    assert all(code < 500 for code in codes), codes
    return codes


def test_double_exam_submit_grades_once(synced, student):
    attempt = exam_services.exam_start(user=student, exam=Exam.objects.get(slug="tiny-exam"), when=timezone.now())
    first = attempt.responses.get(position=1)
    exam_services.exam_answer(attempt_id=attempt.pk, position=1, raw_choice=first.correct_position,
                              when=timezone.now())
    url = reverse("attempt_submit", args=[attempt.pk])
    codes = no_errors(at_once([lambda c=c: c.post(url) for c in clients(student)]))
    assert codes == [302] * COPIES
    attempt.refresh_from_db()
    assert attempt.finished_at is not None and attempt.score == 1
    assert ReviewCard.objects.filter(user=student).count() == attempt.total
    assert all(card.reviews == 1 for card in ReviewCard.objects.filter(user=student))


def test_double_exam_autosave_saves_one_choice(synced, student):
    attempt = exam_services.exam_start(user=student, exam=Exam.objects.get(slug="tiny-exam"), when=timezone.now())
    url = reverse("attempt_answer", args=[attempt.pk, 1])
    results = at_once([lambda c=c: c.post(url, {"choice": 1}, headers={"HX-Request": "true"})
                       for c in clients(student)])
    assert no_errors(results) == [200] * COPIES
    assert attempt.responses.get(position=1).chosen_position == 1


def test_double_practice_answer_grades_once(client, synced, student):
    client.force_login(student)
    client.post(reverse("practice"), {"topics": ["convolution"], "difficulty": ""})
    client.get(reverse("practice_question"))
    shown = Response.objects.get(user=student, answered_at__isnull=True)
    copies = clients(student)
    for copy in copies:
        copy.cookies = client.cookies
    data = {"response": shown.pk, "choice": shown.correct_position}
    answers = at_once([lambda c=c: c.post(reverse("practice_answer"), data) for c in copies])
    codes = no_errors(answers)
    # One grades it; the others (answered already) are sent to that same result, as Back + resubmit is.
    assert codes == [302] * COPIES
    assert {answer.url for answer in answers} == {reverse("practice_result", args=[shown.pk])}
    card = ReviewCard.objects.get(user=student)
    assert card.reviews == 1
    assert Response.objects.filter(user=student, is_first_attempt=True).count() == 1


def test_grading_overdue_attempts_from_two_processes_grades_each_once(synced, student, django_user_model):
    exam = Exam.objects.get(slug="tiny-exam")
    started = timezone.now() - timedelta(minutes=exam.time_limit_minutes + 5)
    attempts = [exam_services.exam_start(user=user, exam=exam, when=started) for user in
                [student, *[django_user_model.objects.create_user(f"s{n}") for n in range(3)]]]
    now = timezone.now()
    results = at_once([lambda: grade_overdue_attempts(when=now) for _ in range(COPIES)])
    assert not [r for r in results if isinstance(r, BaseException)], results
    graded = sorted(pk for ids in results for pk in ids)
    assert graded == sorted(a.pk for a in attempts)
    assert ExamAttempt.objects.filter(finished_at__isnull=True).count() == 0
    assert ReviewCard.objects.filter(reviews__gt=1).count() == 0


def test_answers_to_the_same_new_questions_finishing_at_once_each_move_the_cards_once(synced, student):
    """Exams submitted and practice graded at once: the missing cards are made once, every answer
    moves its card, in whatever order the questions come (no deadlock)."""
    first, second, third = Question.objects.order_by("pk").values_list("pk", flat=True)[:3]
    orders = [[(first, True), (second, False), (third, True)], [(third, False)],
              [(second, True)], [(second, False), (first, False), (third, False)]]
    now = timezone.now()
    results = at_once([lambda answers=answers: cards_record(user=student, answers=answers, when=now)
                       for answers in orders])
    assert not [r for r in results if isinstance(r, BaseException)], results
    reviews = dict(ReviewCard.objects.filter(user=student).values_list("question_id", "reviews"))
    assert reviews == {first: 2, second: 3, third: 3}


def test_an_autosave_racing_the_submit_is_either_graded_or_refused(synced, student):
    """The answer an autosave acknowledged (200) is the one graded; an autosave that lost the race
    to the submit is refused (409) and the earlier answer is graded. Ten races, each both ways."""
    exam = Exam.objects.get(slug="tiny-exam")
    for race in range(10):
        attempt = exam_services.exam_start(user=student, exam=exam, when=timezone.now())
        item = attempt.responses.filter(position=1).select_related("version").get()
        exam_services.exam_answer(attempt_id=attempt.pk, position=1, raw_choice=0, when=timezone.now())
        answer, submit = clients(student, 2)
        calls = {"save": partial(answer.post, reverse("attempt_answer", args=[attempt.pk, 1]), {"choice": 1},
                                 headers={"HX-Request": "true"}),
                 "submit": partial(submit.post, reverse("attempt_submit", args=[attempt.pk]))}
        order = ["save", "submit"] if race % 2 else ["submit", "save"]
        saved = dict(zip(order, at_once([calls[name] for name in order]), strict=True))["save"]
        assert not isinstance(saved, BaseException), saved
        assert saved.status_code in (200, 409), saved.status_code
        item.refresh_from_db()
        assert item.chosen_position == (1 if saved.status_code == 200 else 0), (race, saved.status_code)
        assert item.is_correct == (item.chosen_position == item.correct_position)  # graded what is stored
        assert ExamAttempt.objects.get(pk=attempt.pk).finished_at is not None
