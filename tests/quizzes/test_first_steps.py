"""A new student's first steps: the greeting, the review hand-off, Back after answering, the favicon."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from quizzes.models import PracticeSession, Question, Response
from quizzes.services.responses import response_answer, response_create

pytestmark = pytest.mark.django_db


def answer(user, question, *, correct: bool, when=None) -> Response:
    when = when or timezone.now()
    response = response_create(user=user, question=question, mode=Response.Mode.PRACTICE, when=when)
    choice = response.correct_position if correct else (response.correct_position + 1) % len(response.choice_texts)
    return response_answer(response_id=response.pk, user=user, raw_choice=choice, when=when)


def test_a_brand_new_account_is_welcomed_not_welcomed_back(client, student, synced):
    client.force_login(student)
    html = client.get(reverse("home")).content.decode()
    assert "Welcome back" not in html and "Welcome, <strong>stu</strong>" in html
    answer(student, Question.objects.first(), correct=True)
    assert "Welcome back, <strong>stu</strong>" in client.get(reverse("home")).content.decode()


def test_review_after_the_first_mistakes_says_when_and_offers_the_mistakes_now(client, student, synced):
    wrong = Question.objects.order_by("qid")[0]
    answer(student, wrong, correct=False)
    client.force_login(student)
    html = client.get(reverse("review")).content.decode()
    assert "Your first review is due" in html and "minutes" in html
    assert "Practise your recent mistakes now" in html
    started = client.post(reverse("practice_mistakes"))
    assert started.url == reverse("practice_question")
    session = PracticeSession.objects.get(user=student)
    assert session.focus_question_ids == [wrong.pk]
    client.get(reverse("practice_question"))
    shown = Response.objects.filter(user=student, answered_at__isnull=True).get()
    assert shown.question_id == wrong.pk and shown.mode == Response.Mode.PRACTICE


def test_mistakes_practice_without_mistakes_says_so(client, student, synced):
    client.force_login(student)
    html = client.get(reverse("review")).content.decode()
    assert "Practise your recent mistakes now" not in html
    refused = client.post(reverse("practice_mistakes"), follow=True)
    assert "no recent mistakes" in refused.content.decode().lower()
    assert not PracticeSession.objects.filter(user=student).exists()


def test_mistakes_practice_leaves_reviews_alone(client, student, synced):
    wrong = Question.objects.order_by("qid")[0]
    answer(student, wrong, correct=False, when=timezone.now() - timedelta(minutes=1))
    card = student.review_cards.get()
    client.force_login(student)
    client.post(reverse("practice_mistakes"))
    client.get(reverse("practice_question"))
    shown = Response.objects.get(user=student, answered_at__isnull=True)
    client.post(reverse("practice_answer"), {"response": shown.pk, "choice": shown.correct_position})
    assert not Response.objects.filter(user=student, mode=Response.Mode.REVIEW).exists()
    card.refresh_from_db()
    assert card.reviews == 1  # practice is recorded as practice, never as a review


def test_back_then_resubmit_in_practice_shows_the_result_not_a_bare_409(client, student, synced):
    client.force_login(student)
    client.post(reverse("practice"), {"topics": ["convolution"], "difficulty": ""})
    client.get(reverse("practice_question"))
    shown = Response.objects.get(user=student, answered_at__isnull=True)
    first = client.post(reverse("practice_answer"), {"response": shown.pk, "choice": shown.correct_position})
    again = client.post(reverse("practice_answer"), {"response": shown.pk, "choice": 0})
    assert again.status_code == 302 and again.url == first.url
    html = client.get(again.url).content.decode()
    assert "your first answer stands" in html.lower()
    shown.refresh_from_db()
    assert shown.chosen_position == shown.correct_position


def test_favicon_ico_is_served(client):
    response = client.get("/favicon.ico")
    assert response.status_code in (301, 302)
    assert client.get(response.url).status_code == 200
