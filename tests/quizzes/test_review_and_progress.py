"""Spaced review (FSRS: wrong -> Again, right -> Good) and the progress page."""

from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.urls import reverse
from django.utils import timezone

from quizzes.models import Question, Response, ReviewCard
from quizzes.selectors import progress
from quizzes.services.responses import response_answer, response_create
from quizzes.services.review import cards_record

pytestmark = pytest.mark.django_db


def answered(user, question, correct: bool, when):
    response = response_create(user=user, question=question, mode=Response.Mode.PRACTICE, when=when)
    choice = response.correct_position if correct else (response.correct_position + 1) % len(response.choice_texts)
    return response_answer(response_id=response.pk, user=user, raw_choice=choice, when=when)


def test_wrong_comes_back_sooner_than_right(synced, student):
    now = timezone.now()
    wrong_q, right_q = Question.objects.order_by("qid")[:2]
    answered(student, wrong_q, False, now)
    answered(student, right_q, True, now)
    wrong = ReviewCard.objects.get(question=wrong_q)
    right = ReviewCard.objects.get(question=right_q)
    assert wrong.last_rating == "Again" and right.last_rating == "Good"
    assert now < wrong.due < right.due


def test_scheduling_a_card_never_sleeps(synced, student, monkeypatch):
    """fsrs's ``Card()`` without an id sleeps 1 ms (to keep its ids apart): 20 per exam submit, under a lock."""
    import fsrs.card

    monkeypatch.setattr(fsrs.card, "time", SimpleNamespace(sleep=lambda seconds: pytest.fail(f"slept {seconds} s")))
    now = timezone.now()
    question = Question.objects.order_by("qid").first()
    cards_record(user=student, answers=[(question.pk, False)], when=now)
    cards_record(user=student, answers=[(question.pk, True)], when=now + timedelta(minutes=11))
    card = ReviewCard.objects.get(user=student, question=question)
    assert card.reviews == 2 and card.last_rating == "Good"


def test_due_count_on_the_home_page_and_review_shows_a_fresh_variant(client, synced, student):
    question = Question.objects.get(qid="output-size-padded")
    first = answered(student, question, False, timezone.now() - timedelta(days=2))
    client.force_login(student)
    assert "1 question due for review" in client.get(reverse("home")).content.decode()
    html = client.get(reverse("review")).content.decode()
    shown = Response.objects.get(mode="review")
    assert shown.question == question and shown.seed != first.seed
    assert "Spaced review" in html and "feedback" not in html.split("<main")[1]


def test_review_answer_reschedules_and_refuses_double_submit(client, synced, student):
    question = Question.objects.get(qid="conv-window-bias")
    answered(student, question, False, timezone.now() - timedelta(days=2))
    client.force_login(student)
    client.get(reverse("review"))
    shown = Response.objects.get(mode="review")
    result = client.post(reverse("review_answer"), {"response": shown.pk, "choice": shown.correct_position})
    assert result.url == reverse("review_result", args=[shown.pk])
    card = ReviewCard.objects.get(question=question)
    assert card.reviews == 2 and card.due > timezone.now()
    again = client.post(reverse("review_answer"), {"response": shown.pk, "choice": 0})
    assert again.status_code == 302 and again.url == result.url  # Back + resubmit shows the answer given
    shown.refresh_from_db()
    assert shown.chosen_position == shown.correct_position
    assert "Nothing to review right now" in client.get(reverse("review")).content.decode()


def test_retired_questions_leave_the_review_queue(synced, student):
    from quizzes.services.spaced import review_current

    question = Question.objects.get(qid="conv-window-bias")
    cards_record(user=student, answers=[(question.pk, False)], when=timezone.now() - timedelta(days=1))
    Question.objects.filter(pk=question.pk).update(retired_at=timezone.now())
    assert review_current(user=student, now=timezone.now()) is None
    assert not ReviewCard.objects.filter(question=question).exists()


def test_mastery_uses_recent_answers_per_topic(synced, student):
    now = timezone.now()
    conv = list(Question.objects.filter(topic__slug="convolution"))
    for n in range(25):
        answered(student, conv[n % 3], n >= 5, now - timedelta(minutes=100 - n))  # first 5 wrong
    mastery = {m.slug: m for m in progress.mastery_by_topic(student)}
    assert mastery["convolution"].answered == 20 and mastery["convolution"].percent == 100
    assert mastery["output-size"].percent is None
    assert [m.slug for m in progress.weakest_topics(list(mastery.values()))] == ["convolution"]


def test_activity_by_day_counts_answers_and_correct_ones(synced, student):
    now = timezone.now()
    question = Question.objects.get(qid="conv-window-bias")
    answered(student, question, True, now)
    answered(student, question, False, now)
    answered(student, question, True, now - timedelta(days=3))
    days = progress.activity_by_day(student, today=timezone.localdate(now), days=7)
    assert len(days) == 7 and days[-1][1:] == (2, 1) and days[-4][1:] == (1, 1) and days[0][1:] == (0, 0)


def test_progress_page_shows_mastery_chart_history_and_weak_topics(client, synced, student):
    question = Question.objects.get(qid="conv-window-bias")
    answered(student, question, False, timezone.now())
    client.force_login(student)
    html = client.get(reverse("progress")).content.decode()
    assert "Mastery by topic" in html and "<svg" in html and 'role="img"' in html
    assert "Work on these next" in html and "practise it" in html and "?topics=convolution" in html
    assert "not practised yet" in html
    form = client.get(reverse("practice") + "?topics=convolution").content.decode()
    assert 'value="convolution" id="id_topics_1" checked' in form or 'value="convolution"' in form


def test_progress_needs_login(client):
    assert client.get(reverse("progress")).url.startswith(reverse("login"))
