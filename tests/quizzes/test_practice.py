"""Practice: filter, one question at a time, graded once, running score, anonymous visitors."""

import re

import pytest
from django.urls import reverse

from quizzes.models import Response, ReviewCard
from quizzes.services.responses import ALREADY_ANSWERED, NO_CHOICE, NOT_A_CHOICE

pytestmark = pytest.mark.django_db


def start(client, topics=(), difficulty=""):
    return client.post(reverse("practice"), {"topics": list(topics), "difficulty": difficulty})


def shown_response(user) -> Response:
    return Response.objects.filter(user=user, answered_at__isnull=True).latest("shown_at")


@pytest.fixture
def signed_in(client, student, synced):
    client.force_login(student)
    return client


def test_filter_page_lists_topics_with_counts(signed_in):
    html = signed_in.get(reverse("practice")).content.decode()
    assert "Convolution arithmetic (3)" in html and "Padding, stride and output size (1)" in html


def test_practice_shows_a_question_without_revealing_the_answer(signed_in, student):
    assert start(signed_in, ["convolution"]).url == reverse("practice_question")
    html = signed_in.get(reverse("practice_question")).content.decode()
    response = shown_response(student)
    assert "What does a convolution add" in html
    main = html.split("<main")[1].split("</main>")[0]
    for secret in ("is-correct", "feedback", "Right: one bias", "The bias is added after", "Explanation",
                   "misconception", "Forgot the bias", "/lab/", "correct_position", 'data-correct'):
        assert secret not in main
    assert set(map(int, re.findall(r'name="choice" value="(\d+)"', html))) == {0, 1}
    assert response.mode == "practice" and response.choice_texts


def test_right_answer_is_graded_scored_and_scheduled_for_review(signed_in, student):
    start(signed_in, ["convolution"])
    signed_in.get(reverse("practice_question"))
    response = shown_response(student)
    result = signed_in.post(reverse("practice_answer"), {"response": response.pk, "choice": response.correct_position})
    assert result.url == reverse("practice_result", args=[response.pk])
    html = signed_in.get(result.url).content.decode()
    assert "Correct!" in html and "Right: one bias per filter" in html
    assert "Score this session: <strong>1 / 1</strong>" in html
    response.refresh_from_db()
    assert response.is_correct and response.is_first_attempt
    assert ReviewCard.objects.get(user=student).last_rating == "Good"


def test_wrong_answer_shows_the_misconception_and_the_correct_answer(signed_in, student):
    start(signed_in, ["convolution"])
    signed_in.get(reverse("practice_question"))
    response = shown_response(student)
    wrong = (response.correct_position + 1) % len(response.choice_texts)
    signed_in.post(reverse("practice_answer"), {"response": response.pk, "choice": wrong})
    html = signed_in.get(reverse("practice_result", args=[response.pk])).content.decode()
    # a wrong choice naming a misconception may be tried again: named, with its feedback as the hint
    assert "Not quite." in html and "Forgot the bias" in html and "The bias is added after" in html
    assert "Correct answer" not in html and "Right: one bias" not in html and "Explanation" not in html
    assert ReviewCard.objects.get(user=student).last_rating == "Again"
    response.refresh_from_db()
    assert response.misconception == "forgot-bias" and response.is_correct is False
    signed_in.post(reverse("practice_reveal"), {"response": response.pk})
    html = signed_in.get(reverse("practice_result", args=[response.pk])).content.decode()
    assert "Not quite." in html and "Forgot the bias" in html and "Correct answer" in html


@pytest.mark.parametrize("choice, message", [("", NO_CHOICE), ("7", NOT_A_CHOICE), ("-1", NOT_A_CHOICE),
                                             ("abc", NOT_A_CHOICE)])
def test_forged_choices_are_refused_and_change_nothing(signed_in, student, choice, message):
    start(signed_in)
    signed_in.get(reverse("practice_question"))
    response = shown_response(student)
    result = signed_in.post(reverse("practice_answer"), {"response": response.pk, "choice": choice})
    assert result.status_code == 400 and message in result.content.decode()
    response.refresh_from_db()
    assert response.answered_at is None and response.chosen_position is None


def test_double_submit_grades_once(signed_in, student):
    start(signed_in)
    signed_in.get(reverse("practice_question"))
    response = shown_response(student)
    signed_in.post(reverse("practice_answer"), {"response": response.pk, "choice": response.correct_position})
    again = signed_in.post(reverse("practice_answer"), {"response": response.pk, "choice": (response.correct_position + 1) % len(response.choice_texts)})
    assert again.status_code == 302 and again.url == reverse("practice_result", args=[response.pk])
    assert ALREADY_ANSWERED in signed_in.get(again.url).content.decode()
    response.refresh_from_db()
    assert response.is_correct and Response.objects.filter(answered_at__isnull=False).count() == 1


def test_another_students_response_is_a_404(signed_in, student, client, django_user_model):
    start(signed_in)
    signed_in.get(reverse("practice_question"))
    response = shown_response(student)
    signed_in.post(reverse("practice_answer"), {"response": response.pk, "choice": 0})
    other = django_user_model.objects.create_user("other", password="pw-long-enough-1")
    client.force_login(other)
    assert client.get(reverse("practice_result", args=[response.pk])).status_code == 404
    start(client)
    assert client.post(reverse("practice_answer"), {"response": response.pk, "choice": 0}).status_code == 404


def test_next_question_prefers_unseen_ones(signed_in, student):
    start(signed_in, ["convolution"])
    seen = []
    for _ in range(3):
        signed_in.get(reverse("practice_question"))
        response = shown_response(student)
        seen.append(response.question_id)
        signed_in.post(reverse("practice_answer"), {"response": response.pk, "choice": 0})
    assert len(set(seen)) == 3


def test_try_another_variant_shows_the_same_question_with_a_new_seed(signed_in, student):
    start(signed_in, ["output-size"])
    signed_in.get(reverse("practice_question"))
    first = shown_response(student)
    signed_in.post(reverse("practice_answer"), {"response": first.pk, "choice": 0})
    assert "Try another variant" in signed_in.get(reverse("practice_result", args=[first.pk])).content.decode()
    signed_in.post(reverse("practice_variant"))
    second = shown_response(student)
    assert second.question_id == first.question_id and second.seed != first.seed


def test_empty_filter_result_says_so(signed_in):
    start(signed_in, ["output-size"], difficulty="3")
    result = signed_in.get(reverse("practice_question"), follow=True)
    assert "No published questions match" in result.content.decode()


def test_anonymous_visitor_practises_and_nothing_is_saved(client, synced):
    start(client, ["convolution"])
    html = client.get(reverse("practice_question")).content.decode()
    assert "What does a convolution add" in html and "Right: one bias" not in html
    state = client.session["anonymous_practice"]
    result = client.post(reverse("practice_answer"), {"choice": state["shown"]["correct_position"]})
    assert result.url == reverse("practice_anonymous_result")
    html = client.get(result.url).content.decode()
    assert "Correct!" in html and "Sign up" in html and "1 / 1" in html
    assert client.post(reverse("practice_answer"), {"choice": 0}).status_code == 409
    assert Response.objects.count() == 0 and ReviewCard.objects.count() == 0
