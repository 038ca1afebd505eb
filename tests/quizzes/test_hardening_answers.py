"""An exam's questions are answered and revealed only through the exam.

Response ids are sequential and a practice page shows its own, so a student can guess the ids
of their exam's questions: the practice and review endpoints must not take them.
"""

import pytest
from django.urls import reverse

from quizzes.models import ExamAttempt, Response, ReviewCard
from quizzes.services.responses import response_answer

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(client, student, synced):
    client.force_login(student)
    return client


@pytest.fixture
def attempt(signed_in) -> ExamAttempt:
    signed_in.post(reverse("exam_start", args=["tiny-exam"]))
    return ExamAttempt.objects.get()


def test_an_answered_question_of_an_open_exam_is_not_revealed_by_the_practice_result_page(signed_in, attempt):
    signed_in.post(reverse("attempt_answer", args=[attempt.pk, 1]), {"choice": 0})
    item = attempt.responses.get(position=1)
    assert item.answered_at is not None
    response = signed_in.get(reverse("practice_result", args=[item.pk]))
    assert response.status_code == 404
    assert "Explanation" not in response.content.decode()


def test_a_finished_exams_question_is_reviewed_on_the_exam_result_page_only(signed_in, attempt):
    signed_in.post(reverse("attempt_answer", args=[attempt.pk, 1]), {"choice": 0})
    signed_in.post(reverse("attempt_submit", args=[attempt.pk]))
    item = attempt.responses.get(position=1)
    assert signed_in.get(reverse("practice_result", args=[item.pk])).status_code == 404
    assert signed_in.get(reverse("attempt_result", args=[attempt.pk])).status_code == 200


@pytest.mark.parametrize("finish", [False, True], ids=["open", "finished"])
def test_the_review_answer_endpoint_does_not_grade_an_exam_question(signed_in, attempt, finish):
    if finish:
        signed_in.post(reverse("attempt_submit", args=[attempt.pk]))
    item = attempt.responses.get(position=2)
    before = (item.chosen_position, item.is_correct, item.answered_at)
    response = signed_in.post(reverse("review_answer"), {"response": item.pk, "choice": item.correct_position})
    assert response.status_code == 404
    item.refresh_from_db()
    assert (item.chosen_position, item.is_correct, item.answered_at) == before
    attempt.refresh_from_db()
    assert attempt.is_open is not finish


def test_the_review_answer_endpoint_does_not_grade_a_practice_question(signed_in, student):
    signed_in.post(reverse("practice"), {"topics": [], "difficulty": ""})
    signed_in.get(reverse("practice_question"))
    shown = Response.objects.get(user=student, mode=Response.Mode.PRACTICE)
    response = signed_in.post(reverse("review_answer"), {"response": shown.pk, "choice": 0})
    assert response.status_code == 404
    shown.refresh_from_db()
    assert shown.answered_at is None and not ReviewCard.objects.exists()


def test_response_answer_refuses_exam_responses_and_other_modes(synced, student, attempt):
    item = attempt.responses.get(position=1)
    with pytest.raises(Response.DoesNotExist):
        response_answer(response_id=item.pk, user=student, raw_choice=0, when=item.shown_at)
    with pytest.raises(Response.DoesNotExist):
        response_answer(response_id=item.pk, user=student, raw_choice=0, when=item.shown_at,
                        mode=Response.Mode.EXAM)
    item.refresh_from_db()
    assert item.answered_at is None


@pytest.mark.parametrize("finish", [False, True], ids=["open", "finished"])
def test_the_practice_retry_and_reveal_endpoints_do_not_touch_an_exam_question(signed_in, attempt, finish):
    signed_in.post(reverse("practice"), {"topics": [], "difficulty": ""})
    signed_in.get(reverse("practice_question"))
    signed_in.post(reverse("attempt_answer", args=[attempt.pk, 1]), {"choice": 0})
    if finish:
        signed_in.post(reverse("attempt_submit", args=[attempt.pk]))
    item = attempt.responses.get(position=1)
    before = (item.chosen_position, item.is_correct, item.answered_at, item.tries, item.revealed_at)
    retry = signed_in.post(reverse("practice_retry"), {"response": item.pk, "choice": item.correct_position})
    reveal = signed_in.post(reverse("practice_reveal"), {"response": item.pk})
    assert retry.status_code == 404 and reveal.status_code == 404
    assert "Explanation" not in retry.content.decode() + reveal.content.decode()
    item.refresh_from_db()
    assert (item.chosen_position, item.is_correct, item.answered_at, item.tries, item.revealed_at) == before


def test_a_retry_before_any_answer_or_of_another_students_question_changes_nothing(signed_in, student,
                                                                                   django_user_model):
    signed_in.post(reverse("practice"), {"topics": [], "difficulty": ""})
    signed_in.get(reverse("practice_question"))
    mine = Response.objects.get(user=student, answered_at__isnull=True)
    early = signed_in.post(reverse("practice_retry"), {"response": mine.pk, "choice": 0})
    assert early.status_code == 409
    mine.refresh_from_db()
    assert mine.answered_at is None and mine.tries == []
    other = django_user_model.objects.create_user("other", password="pw-long-enough-3")
    theirs = Response.objects.create(user=other, question=mine.question, version=mine.version, mode="practice",
                                     seed=mine.seed, choice_order=mine.choice_order, choice_texts=mine.choice_texts,
                                     correct_position=mine.correct_position, shown_at=mine.shown_at)
    assert signed_in.post(reverse("practice_retry"), {"response": theirs.pk, "choice": 0}).status_code == 404
    assert signed_in.post(reverse("practice_reveal"), {"response": theirs.pk}).status_code == 404
