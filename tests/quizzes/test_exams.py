"""Exams: drawn once, saved as you go, deadline enforced on the server, graded once."""


from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from quizzes.models import Exam, ExamAttempt, Response, ReviewCard
from quizzes.services import exams as exam_services
from quizzes.services.responses import ATTEMPT_FINISHED, DEADLINE_PASSED, NOT_A_CHOICE, NOT_IN_ATTEMPT

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(client, student, synced):
    client.force_login(student)
    return client


def start(client) -> ExamAttempt:
    response = client.post(reverse("exam_start", args=["tiny-exam"]))
    attempt = ExamAttempt.objects.latest("started_at")
    assert response.url == reverse("attempt_question", args=[attempt.pk, 1])
    return attempt


def answer(client, attempt, position, choice, **extra):
    return client.post(reverse("attempt_answer", args=[attempt.pk, position]), {"choice": choice}, **extra)


def test_exam_list_and_detail(signed_in):
    assert "Tiny exam" in signed_in.get(reverse("exam_list")).content.decode()
    html = signed_in.get(reverse("exam_detail", args=["tiny-exam"])).content.decode()
    assert "2</dd>" in html and "5 minutes" in html and "Start the exam" in html


def test_start_draws_questions_once_and_resumes_the_open_attempt(signed_in, student):
    attempt = start(signed_in)
    assert attempt.total == 2 and attempt.responses.count() == 2
    drawn = list(attempt.responses.values_list("question_id", "seed"))
    assert start(signed_in).pk == attempt.pk
    assert list(attempt.responses.values_list("question_id", "seed")) == drawn
    assert ExamAttempt.objects.filter(user=student).count() == 1
    assert "resume Tiny exam" in signed_in.get(reverse("home")).content.decode()


def test_question_page_hides_answers_and_shows_navigation_and_countdown(signed_in):
    attempt = start(signed_in)
    html = signed_in.get(reverse("attempt_question", args=[attempt.pk, 1])).content.decode()
    main = html.split("<main")[1]
    assert 'data-countdown="' in main and "Question 1 of 2" in main
    assert reverse("attempt_question", args=[attempt.pk, 2]) in main
    for secret in ("is-correct", "feedback", "Explanation", "misconception", "/lab/"):
        assert secret not in main


def test_answers_save_with_htmx_and_can_change_until_submitted(signed_in):
    attempt = start(signed_in)
    saved = answer(signed_in, attempt, 1, 0, HTTP_HX_REQUEST="true")
    assert saved.status_code == 200 and "Answer saved." in saved.content.decode()
    answer(signed_in, attempt, 1, 1, HTTP_HX_REQUEST="true")
    assert attempt.responses.get(position=1).chosen_position == 1
    plain = answer(signed_in, attempt, 1, 0)
    assert plain.url == reverse("attempt_question", args=[attempt.pk, 2])


@pytest.mark.parametrize("position, choice, message, status", [
    (1, "9", NOT_A_CHOICE, 400), (9, "0", NOT_IN_ATTEMPT, 400), ("1", "x", NOT_A_CHOICE, 400),
])
def test_bad_answers_are_refused_and_change_nothing(signed_in, position, choice, message, status):
    attempt = start(signed_in)
    answer(signed_in, attempt, 1, 0)
    result = answer(signed_in, attempt, position, choice)
    assert result.status_code == status and message in result.content.decode()
    assert attempt.responses.get(position=1).chosen_position == 0


def test_flagging(signed_in):
    attempt = start(signed_in)
    signed_in.post(reverse("attempt_flag", args=[attempt.pk, 2]), {"flagged": "1"})
    assert attempt.responses.get(position=2).flagged
    html = signed_in.get(reverse("attempt_submit", args=[attempt.pk])).content.decode()
    assert "Flagged for review" in html and "2 of 2 questions are still unanswered" in html


def test_submit_grades_once_and_shows_results_with_review(signed_in, student):
    attempt = start(signed_in)
    first = attempt.responses.get(position=1)
    answer(signed_in, attempt, 1, first.correct_position)
    result = signed_in.post(reverse("attempt_submit", args=[attempt.pk]))
    assert result.url == reverse("attempt_result", args=[attempt.pk])
    attempt.refresh_from_db()
    assert (attempt.score, attempt.total, attempt.passed) == (1, 2, True)
    finished_at = attempt.finished_at
    signed_in.post(reverse("attempt_submit", args=[attempt.pk]))
    attempt.refresh_from_db()
    assert attempt.finished_at == finished_at and attempt.score == 1
    html = signed_in.get(result.url).content.decode()
    assert "1 / 2" in html and "Passed" in html and "not answered" in html and "By topic" in html
    assert ReviewCard.objects.filter(user=student).count() == 2
    late = answer(signed_in, attempt, 1, (first.correct_position + 1) % len(first.choice_texts))
    assert late.status_code == 409 and ATTEMPT_FINISHED in late.content.decode()
    assert attempt.responses.get(position=1).chosen_position == first.correct_position


def test_time_limit_is_enforced_on_the_server(signed_in):
    attempt = start(signed_in)
    answer(signed_in, attempt, 1, 0)
    ExamAttempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() - timedelta(seconds=1))
    with pytest.raises(exam_services.AnswerRefused):  # the service refuses directly, too
        exam_services.exam_answer(attempt_id=attempt.pk, position=2, raw_choice=0, when=timezone.now())
    late = answer(signed_in, attempt, 2, 0)
    assert late.status_code == 409 and ATTEMPT_FINISHED in late.content.decode()
    attempt.refresh_from_db()
    assert attempt.timed_out and attempt.finished_at == attempt.deadline
    assert attempt.responses.get(position=2).answered_at is None
    assert signed_in.get(reverse("attempt_question", args=[attempt.pk, 1])).url == reverse("attempt_result", args=[attempt.pk])


def test_deadline_message_when_the_attempt_is_not_yet_expired_by_a_request(synced, student):
    attempt = exam_services.exam_start(user=student, exam=Exam.objects.get(), when=timezone.now())
    with pytest.raises(exam_services.AnswerRefused) as refused:
        exam_services.exam_answer(attempt_id=attempt.pk, position=1, raw_choice=0,
                                  when=attempt.deadline + timedelta(seconds=1))
    assert refused.value.message == DEADLINE_PASSED


def test_another_students_attempt_is_a_404(signed_in, client, django_user_model):
    attempt = start(signed_in)
    client.force_login(django_user_model.objects.create_user("other", password="pw-long-enough-1"))
    for url in (reverse("attempt_question", args=[attempt.pk, 1]), reverse("attempt_result", args=[attempt.pk]),
                reverse("attempt_submit", args=[attempt.pk])):
        assert client.get(url).status_code == 404
    assert answer(client, attempt, 1, 0).status_code == 404
    assert Response.objects.filter(answered_at__isnull=False).count() == 0


def test_starting_requires_login_and_post(client, synced):
    assert client.get(reverse("exam_start", args=["tiny-exam"])).status_code in (302, 405)
    assert client.post(reverse("exam_start", args=["tiny-exam"])).url.startswith(reverse("login"))


def test_review_shows_what_was_shown_even_after_the_question_file_changes(signed_in, synced):
    from quizzes.content.sync import sync_content
    from tests.conftest import STATIC

    attempt = start(signed_in)
    for position in (1, 2):
        answer(signed_in, attempt, position, 0)
    signed_in.post(reverse("attempt_submit", args=[attempt.pk]))
    before = signed_in.get(reverse("attempt_result", args=[attempt.pk])).content.decode()
    for qid in ("conv-window-bias", "conv-window-bias-1", "conv-window-bias-2"):
        text = STATIC.replace("id: conv-window-bias", f"id: {qid}").replace("What does", "REWRITTEN: what does")
        synced.question(qid, text)
    sync_content(root=synced.root)
    after = signed_in.get(reverse("attempt_result", args=[attempt.pk])).content.decode()
    assert "REWRITTEN" not in after
    assert before.split("<main")[1] == after.split("<main")[1]


def test_a_tampered_seed_or_position_in_the_form_changes_nothing(signed_in):
    attempt = start(signed_in)
    item = attempt.responses.get(position=1)
    signed_in.post(reverse("attempt_answer", args=[attempt.pk, 1]),
                   {"choice": item.correct_position, "seed": "1", "correct_position": "0", "position": "2"})
    item.refresh_from_db()
    stored = attempt.responses.get(position=1)
    assert (stored.seed, stored.correct_position) == (item.seed, item.correct_position)
    assert attempt.responses.get(position=2).answered_at is None


def test_htmx_save_marks_the_question_answered_in_the_navigation(signed_in):
    attempt = start(signed_in)
    saved = answer(signed_in, attempt, 2, 0, HTTP_HX_REQUEST="true").content.decode()
    assert 'id="exam-nav-2"' in saved and 'hx-swap-oob="true"' in saved and 'class="answered' in saved
    refused = answer(signed_in, attempt, 2, 9, HTTP_HX_REQUEST="true")
    assert refused.status_code == 400 and NOT_A_CHOICE in refused.content.decode()
    assert "exam-nav-2" not in refused.content.decode()


def test_opening_an_exam_question_records_when_it_was_first_viewed(signed_in):
    attempt = start(signed_in)
    assert attempt.responses.get(position=2).viewed_at is None
    signed_in.get(reverse("attempt_question", args=[attempt.pk, 2]))
    first = attempt.responses.get(position=2).viewed_at
    assert first is not None
    signed_in.get(reverse("attempt_question", args=[attempt.pk, 2]))
    assert attempt.responses.get(position=2).viewed_at == first


def test_practice_and_review_never_show_a_question_of_an_open_exam(signed_in, student):
    from quizzes.services.review import cards_record
    from quizzes.services.spaced import review_current

    attempt = start(signed_in)
    in_exam = set(attempt.responses.values_list("question_id", flat=True))
    signed_in.post(reverse("practice"), {"topics": ["convolution", "output-size"], "difficulty": ""})
    for _ in range(4):
        signed_in.get(reverse("practice_question"))
        shown = Response.objects.filter(user=student, mode="practice", answered_at__isnull=True).get()
        assert shown.question_id not in in_exam
        signed_in.post(reverse("practice_answer"), {"response": shown.pk, "choice": 0})
    cards_record(user=student, answers=[(pk, False) for pk in in_exam], when=timezone.now() - timedelta(days=2))
    due = review_current(user=student, now=timezone.now())
    assert due is None or due.question_id not in in_exam
    signed_in.post(reverse("attempt_submit", args=[attempt.pk]))  # grading reschedules the cards
    ReviewCard.objects.filter(user=student).update(due=timezone.now() + timedelta(days=9))
    ReviewCard.objects.filter(user=student, question_id__in=in_exam).update(due=timezone.now() - timedelta(minutes=1))
    Response.objects.filter(user=student, mode="review", answered_at__isnull=True).delete()
    assert review_current(user=student, now=timezone.now()).question_id in in_exam


# Hardening: hostile or out-of-order requests change nothing (test_hardening_exams).
# Exams under pressure: answers saved by htmx after the time is up, two starts at once.

@pytest.fixture
def attempt(client, student, synced) -> ExamAttempt:
    client.force_login(student)
    client.post(reverse("exam_start", args=["tiny-exam"]))
    return ExamAttempt.objects.get()


def htmx_answer(client, attempt, position=1, choice=0):
    return client.post(reverse("attempt_answer", args=[attempt.pk, position]), {"choice": choice},
                       HTTP_HX_REQUEST="true")


def test_an_htmx_answer_after_the_deadline_sends_the_page_to_the_results(client, attempt):
    ExamAttempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() - timedelta(seconds=1))
    late = htmx_answer(client, attempt)
    # htmx does not swap a 4xx body into the page, so the message alone would never be seen
    assert late.status_code == 409 and ATTEMPT_FINISHED in late.content.decode()
    assert late["HX-Redirect"] == reverse("attempt_result", args=[attempt.pk])
    assert attempt.responses.get(position=1).answered_at is None


def test_an_htmx_answer_to_a_submitted_exam_sends_the_page_to_the_results(client, attempt):
    client.post(reverse("attempt_submit", args=[attempt.pk]))
    late = htmx_answer(client, attempt)
    assert late.status_code == 409 and late["HX-Redirect"] == reverse("attempt_result", args=[attempt.pk])


def test_an_htmx_answer_that_races_the_deadline_sends_the_page_to_the_results(client, attempt, monkeypatch):
    def refuse(**kwargs):
        raise exam_services.AnswerRefused(DEADLINE_PASSED, status=409)

    monkeypatch.setattr(exam_services, "exam_answer", refuse)  # the deadline passed inside the request
    late = htmx_answer(client, attempt)
    assert late.status_code == 409 and late["HX-Redirect"] == reverse("attempt_result", args=[attempt.pk])


def test_an_htmx_answer_that_is_not_a_choice_stays_on_the_question(client, attempt):
    bad = htmx_answer(client, attempt, choice=9)
    assert bad.status_code == 400 and NOT_A_CHOICE in bad.content.decode()
    assert "HX-Redirect" not in bad


def test_a_typed_number_to_a_choice_question_is_not_a_choice(client, attempt):
    item = attempt.responses.get(position=1)
    bad = client.post(reverse("attempt_answer", args=[attempt.pk, 1]), {"answer": "0.5"}, HTTP_HX_REQUEST="true")
    assert bad.status_code == 400 and "HX-Redirect" not in bad
    item.refresh_from_db()
    assert item.answered_at is None and item.answer_text == ""


def test_a_start_that_loses_the_race_for_the_open_attempt_resumes_the_winner(synced, student, monkeypatch):
    exam = Exam.objects.get()
    winner = exam_services.exam_start(user=student, exam=exam, when=timezone.now())
    seen = []
    real_open_attempt = exam_services.open_attempt

    def not_yet_committed(**kwargs):  # the first look happens before the winner commits
        seen.append(kwargs)
        return None if len(seen) == 1 else real_open_attempt(**kwargs)

    monkeypatch.setattr(exam_services, "open_attempt", not_yet_committed)
    loser = exam_services.exam_start(user=student, exam=exam, when=timezone.now())
    assert loser.pk == winner.pk
    assert ExamAttempt.objects.filter(user=student).count() == 1 and winner.responses.count() == 2
