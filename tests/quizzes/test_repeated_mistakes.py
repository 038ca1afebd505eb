"""/progress/ "Your repeated mistakes", and spaced review preferring questions that test them."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from quizzes.content.sync import sync_content
from quizzes.models import ExamAttempt, Question, Response, ReviewCard
from quizzes.selectors.mistakes import repeated_mistakes
from quizzes.services.grading import answer_key
from quizzes.services.spaced import review_current
from tests.conftest import NUMERIC, PARAMETERISED, STATIC
from tests.quizzes.test_numeric_views import TYPED_EXAM

pytestmark = pytest.mark.django_db


@pytest.fixture
def bank(content):
    content.question("conv-window-bias", STATIC)
    content.question("conv-window-typed", NUMERIC)
    content.question("output-size-padded", PARAMETERISED, topic="output-size")
    content.exam("typed-exam", TYPED_EXAM)
    sync_content(root=content.root)
    return content


@pytest.fixture
def signed_in(client, student, bank):
    client.force_login(student)
    return client


def practise_wrong_number(client, user, seed):
    client.get(reverse("practice_permalink", args=["conv-window-typed"]) + f"?seed={seed}")
    response = Response.objects.filter(user=user, answered_at__isnull=True).latest("shown_at")
    wrong = dict(answer_key(response.version, response.seed).misconceptions)["forgot-bias"]
    client.post(reverse("practice_answer"), {"response": response.pk, "answer": repr(wrong)})
    return response


def practise_wrong_choice(client, user, seed):
    client.get(reverse("practice_permalink", args=["conv-window-bias"]) + f"?seed={seed}")
    response = Response.objects.filter(user=user, answered_at__isnull=True).latest("shown_at")
    client.post(reverse("practice_answer"), {"response": response.pk, "choice": 1 - response.correct_position})
    return response


def mistakes_section(client) -> str:
    html = client.get(reverse("progress")).content.decode()
    return html.split('id="mistakes-title"')[1].split("</section>")[0]


def test_one_hit_is_not_a_repeated_mistake(signed_in, student):
    practise_wrong_number(signed_in, student, 3)
    assert repeated_mistakes(student) == []
    assert "None yet" in mistakes_section(signed_in)


def test_a_typed_number_and_a_choice_naming_the_same_mistake_count_together(signed_in, student):
    practise_wrong_number(signed_in, student, 3)
    last = practise_wrong_choice(signed_in, student, 5)
    [mistake] = repeated_mistakes(student)
    assert mistake.slug == "forgot-bias" and mistake.count == 2 and mistake.label == "Forgot the bias"
    last.refresh_from_db()
    assert mistake.last == last.answered_at
    html = mistakes_section(signed_in)
    assert "Forgot the bias" in html and "2 times" in html and "Summed the products" in html
    for qid in ("conv-window-bias", "conv-window-typed"):
        assert reverse("practice_permalink", args=[qid]) in html


def test_later_tries_do_not_count_only_the_first(signed_in, student):
    response = practise_wrong_number(signed_in, student, 3)
    wrong = dict(answer_key(response.version, response.seed).misconceptions)["forgot-bias"]
    signed_in.post(reverse("practice_retry"), {"response": response.pk, "answer": repr(wrong)})
    response.refresh_from_db()
    assert response.tries[-1]["misconception"] == "forgot-bias"
    assert repeated_mistakes(student) == []


def test_nothing_from_an_open_exam_counts(signed_in, student):
    practise_wrong_number(signed_in, student, 3)
    signed_in.post(reverse("exam_start", args=["typed-exam"]))
    attempt = ExamAttempt.objects.get(user=student)
    item = attempt.responses.get(question__qid="conv-window-typed")
    wrong = dict(answer_key(item.version, item.seed).misconceptions)["forgot-bias"]
    signed_in.post(reverse("attempt_answer", args=[attempt.pk, item.position]), {"answer": repr(wrong)})
    # even a misconception written on an open attempt's row (it is not graded before submit) is ignored
    Response.objects.filter(pk=item.pk).update(misconception="forgot-bias", is_correct=False)
    assert repeated_mistakes(student) == []
    assert "Forgot the bias" not in mistakes_section(signed_in)
    Response.objects.filter(pk=item.pk).update(misconception="", is_correct=None)
    signed_in.post(reverse("attempt_submit", args=[attempt.pk]))
    [mistake] = repeated_mistakes(student)
    assert mistake.count == 2


def test_review_prefers_due_questions_that_test_a_repeated_mistake(signed_in, student):
    practise_wrong_number(signed_in, student, 3)
    practise_wrong_choice(signed_in, student, 5)
    output_size = Question.objects.get(qid="output-size-padded")
    now = timezone.now()
    ReviewCard.objects.create(user=student, question=output_size, due=now - timedelta(days=30),
                              state=ReviewCard.objects.first().state)
    ReviewCard.objects.filter(user=student).exclude(question=output_size).update(due=now - timedelta(minutes=5))
    shown = review_current(user=student, now=now)
    assert shown.question.qid in ("conv-window-typed", "conv-window-bias")
    # without the repeated mistake, the most overdue card comes first
    Response.objects.filter(user=student).update(misconception="")
    Response.objects.filter(user=student, mode="review", answered_at__isnull=True).delete()
    assert review_current(user=student, now=now).question == output_size
