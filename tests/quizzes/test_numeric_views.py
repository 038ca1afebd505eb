"""Typed numbers in practice (tries, hints, named mistakes), review, exams, and practice permalinks."""

import re

import pytest
from django.urls import reverse

from quizzes.content.sync import sync_content
from quizzes.content.templating import display
from quizzes.models import ExamAttempt, Question, Response
from quizzes.services.grading import NOT_A_NUMBER, NOT_FINITE, TOO_LONG, TYPE_A_NUMBER, USE_DECIMAL_POINT, answer_key
from quizzes.services.practice import IN_OPEN_EXAM
from quizzes.services.responses import ALREADY_REVEALED, ATTEMPT_FINISHED, NOT_IN_ATTEMPT
from quizzes.views.practice import BAD_SEED
from tests.conftest import NUMERIC, PARAMETERISED, STATIC

pytestmark = pytest.mark.django_db

TYPED_EXAM = """\
---
id: typed-exam
title: Typed exam
time_limit_minutes: 5
pass_mark: 50
sections:
  - topics: [convolution]
    count: 2
---
A choice and a typed number.
"""


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


def open_variant(client, seed=11) -> str:
    """Open the numeric question's variant ``seed`` through its permalink; return the question page."""
    answer = client.get(reverse("practice_permalink", args=["conv-window-typed"]) + f"?seed={seed}")
    assert answer.status_code == 302 and answer.url == reverse("practice_question")
    return client.get(answer.url).content.decode()


def shown(user) -> Response:
    return Response.objects.filter(user=user, answered_at__isnull=True).latest("shown_at")


def key_of(response: Response):
    return answer_key(response.version, response.seed)


def post_answer(client, response, text):
    return client.post(reverse("practice_answer"), {"response": response.pk, "answer": text})


def post_retry(client, response, text):
    return client.post(reverse("practice_retry"), {"response": response.pk, "answer": text})


def main_of(html: str) -> str:
    return html.split("<main")[1].split("</main>")[0]


def secrets_of(response: Response) -> list[str]:
    """Return what must not reach the page before an answer: the value, tolerance, mistakes, hints."""
    key = key_of(response)
    values = [display(key.value), repr(key.value), key.tolerance.shown(key.value)] + [display(v) for _, v in key.misconceptions]
    return values + ["0.001", "Forgot the bias", "forgot-bias", "The forward step", "add up to",
                     "Explanation", "/lab/", "plus the bias"]


def test_the_numeric_question_page_shows_a_field_and_no_answer(signed_in, student):
    html = open_variant(signed_in)
    response = shown(student)
    assert response.seed == 11 and response.choice_texts == []
    assert 'name="answer"' in html and 'inputmode="decimal"' in html and 'name="choice"' not in html
    main = main_of(html).replace(reverse("practice_permalink", args=["conv-window-typed"]), "")
    for secret in secrets_of(response):
        assert secret not in main, secret


def test_a_misconception_value_is_named_with_the_first_hint_and_nothing_revealed(signed_in, student):
    open_variant(signed_in)
    response = shown(student)
    key = key_of(response)
    wrong = dict(key.misconceptions)["forgot-bias"]
    assert post_answer(signed_in, response, f" {wrong:.4f} ").url == reverse("practice_result", args=[response.pk])
    response.refresh_from_db()
    assert response.is_correct is False and response.misconception == "forgot-bias"
    assert response.answer_text == f"{wrong:.4f}" and response.answer_value == pytest.approx(wrong, abs=1e-4)
    assert response.revealed_at is None and response.is_first_attempt
    html = main_of(signed_in.get(reverse("practice_result", args=[response.pk])).content.decode())
    assert "Forgot the bias" in html and "Summed the products but did not add the bias" in html
    assert "Hint 1" in html and "The forward step" in html and "add up to" not in html
    assert "Try 2 of 3" in html
    for secret in (display(key.value), key.tolerance.shown(key.value), "Explanation", "plus the bias", "0.001"):
        assert secret not in html
    # the lab link shows the step with other numbers, not this variant's
    link = re.search(r'href="(/lab/conv-window/[^"]*)"', html).group(1)
    assert "#step-" in link and "row=" not in link


def test_second_wrong_try_gives_the_intermediate_number_third_reveals(signed_in, student):
    open_variant(signed_in)
    response = shown(student)
    key = key_of(response)
    post_answer(signed_in, response, "1234.5")
    response.refresh_from_db()
    assert response.misconception == "" and response.is_correct is False
    post_retry(signed_in, response, "2345.5")
    html = main_of(signed_in.get(reverse("practice_result", args=[response.pk])).content.decode())
    assert "Hint 2" in html and "add up to" in html and "Try 3 of 3" in html
    assert display(key.value) not in html
    post_retry(signed_in, response, "3456.5")
    response.refresh_from_db()
    assert response.revealed_at is not None and len(response.tries) == 2
    html = main_of(signed_in.get(reverse("practice_result", args=[response.pk])).content.decode())
    assert "Not quite." in html and key.tolerance.shown(key.value) in html and "Explanation" in html
    assert post_retry(signed_in, response, "1").status_code == 409
    assert ALREADY_REVEALED in post_retry(signed_in, response, "1").content.decode()


def test_a_right_later_try_reveals_but_only_the_first_try_counts(signed_in, student):
    open_variant(signed_in)
    response = shown(student)
    key = key_of(response)
    post_answer(signed_in, response, str(dict(key.misconceptions)["forgot-bias"]))
    post_retry(signed_in, response, repr(key.value))
    response.refresh_from_db()
    assert response.is_correct is False and response.misconception == "forgot-bias"
    assert response.tries[-1]["correct"] is True and response.revealed_at is not None
    html = signed_in.get(reverse("practice_result", args=[response.pk])).content.decode()
    assert "Right on try 2." in html and "Score this session: <strong>0 / 1</strong>" in html
    assert "(this one counts)" in html


def test_a_right_first_try_is_correct_at_the_tolerance_edge(signed_in, student):
    open_variant(signed_in)
    response = shown(student)
    key = key_of(response)
    post_answer(signed_in, response, repr(key.value + 0.001))
    response.refresh_from_db()
    assert response.is_correct is True and response.misconception == "" and response.revealed_at
    html = signed_in.get(reverse("practice_result", args=[response.pk])).content.decode()
    assert "Correct!" in html and key.tolerance.shown(key.value) in html


@pytest.mark.parametrize("typed, message", [
    ("1,5", USE_DECIMAL_POINT), ("", TYPE_A_NUMBER), ("   ", TYPE_A_NUMBER), ("twelve", NOT_A_NUMBER),
    ("nan", NOT_FINITE), ("inf", NOT_FINITE), ("-Infinity", NOT_FINITE), ("1e999", NOT_FINITE),
    ("1" * 41, TOO_LONG), ("1.2.3", NOT_A_NUMBER),
])
def test_input_that_is_not_a_number_is_refused_beside_the_field_and_kept(signed_in, student, typed, message):
    open_variant(signed_in)
    response = shown(student)
    page = post_answer(signed_in, response, typed)
    assert page.status_code == 400
    html = page.content.decode()
    assert message.replace("'", "&#x27;") in html
    assert f'value="{typed}"' in html and 'aria-invalid="true"' in html
    response.refresh_from_db()
    assert response.answered_at is None and response.answer_text == "" and response.tries == []


def test_refused_input_on_a_retry_counts_no_try(signed_in, student):
    open_variant(signed_in)
    response = shown(student)
    post_answer(signed_in, response, "1234.5")
    page = post_retry(signed_in, response, "0,5")
    assert page.status_code == 400 and USE_DECIMAL_POINT in page.content.decode()
    assert 'value="0,5"' in page.content.decode()
    response.refresh_from_db()
    assert response.tries == [] and response.revealed_at is None


def test_a_wrong_choice_with_a_misconception_may_be_retried_with_its_feedback_as_hint(signed_in, student):
    signed_in.get(reverse("practice_permalink", args=["conv-window-bias"]) + "?seed=3")
    response = shown(student)
    wrong = 1 - response.correct_position
    signed_in.post(reverse("practice_answer"), {"response": response.pk, "choice": wrong})
    html = main_of(signed_in.get(reverse("practice_result", args=[response.pk])).content.decode())
    assert "Forgot the bias" in html and "The bias is added after" in html and "you tried this" in html
    assert "Right: one bias" not in html
    signed_in.post(reverse("practice_retry"), {"response": response.pk, "choice": response.correct_position})
    response.refresh_from_db()
    assert response.is_correct is False and response.misconception == "forgot-bias"
    html = signed_in.get(reverse("practice_result", args=[response.pk])).content.decode()
    assert "Right on try 2." in html and "Right: one bias" in html


def test_permalink_opens_exactly_that_variant_for_anyone(signed_in, student, client, django_user_model):
    html = open_variant(signed_in, seed=4242)
    other = django_user_model.objects.create_user("tutor", password="pw-long-enough-2")
    from django.test import Client

    tutor = Client()
    tutor.force_login(other)
    tutor_html = open_variant(tutor, seed=4242)
    stem = re.search(r'<div class="stem prose">(.*?)</div>', html, re.S).group(1)
    assert stem in tutor_html
    assert Response.objects.get(user=other, answered_at__isnull=True).seed == 4242
    anonymous = Client()
    assert stem in open_variant(anonymous, seed=4242)


def test_permalink_without_a_seed_redirects_to_a_fresh_one(signed_in):
    answer = signed_in.get(reverse("practice_permalink", args=["conv-window-typed"]))
    assert answer.status_code == 302 and re.search(r"\?seed=\d+$", answer.url)


@pytest.mark.parametrize("seed", ["abc", "-1", "4294967296", "1e3", "", "99999999999999"])
def test_permalink_refuses_a_bad_seed(signed_in, student, seed):
    answer = signed_in.get(reverse("practice_permalink", args=["conv-window-typed"]) + f"?seed={seed}")
    assert answer.status_code == 400 and BAD_SEED in answer.content.decode()
    assert not Response.objects.filter(user=student).exists()


def test_permalink_to_an_unknown_or_retired_question_is_404(signed_in):
    assert signed_in.get(reverse("practice_permalink", args=["no-such-question"]) + "?seed=1").status_code == 404
    Question.objects.filter(qid="conv-window-typed").update(retired_at="2026-01-01T00:00:00Z")
    assert signed_in.get(reverse("practice_permalink", args=["conv-window-typed"]) + "?seed=1").status_code == 404


def test_permalink_never_opens_a_question_of_the_open_exam(signed_in, student):
    signed_in.post(reverse("exam_start", args=["typed-exam"]))
    answer = signed_in.get(reverse("practice_permalink", args=["conv-window-typed"]) + "?seed=1")
    assert answer.status_code == 409 and IN_OPEN_EXAM in answer.content.decode()
    assert not Response.objects.filter(user=student, mode="practice").exists()


def test_anonymous_visitors_get_tries_and_hints_too(client, bank):
    open_variant(client, seed=11)
    state = client.session["anonymous_practice"]
    from quizzes.models import QuestionVersion

    version = QuestionVersion.objects.get(pk=state["shown"]["version_id"])
    key = answer_key(version, 11)
    wrong = dict(key.misconceptions)["forgot-bias"]
    assert client.post(reverse("practice_answer"), {"answer": repr(wrong)}).url == reverse("practice_anonymous_result")
    html = main_of(client.get(reverse("practice_anonymous_result")).content.decode())
    assert "Forgot the bias" in html and "Hint 1" in html and display(key.value) not in html
    assert client.post(reverse("practice_retry"), {"answer": "1,5"}).status_code == 400
    client.post(reverse("practice_retry"), {"answer": repr(key.value)})
    html = client.get(reverse("practice_anonymous_result")).content.decode()
    assert "Right on try 2." in html and "Score this session: <strong>0 / 1</strong>" in html


# -- exams ---------------------------------------------------------------------------------------


def start_exam(client) -> tuple[ExamAttempt, Response]:
    client.post(reverse("exam_start", args=["typed-exam"]))
    attempt = ExamAttempt.objects.latest("started_at")
    typed = attempt.responses.get(question__qid="conv-window-typed")
    return attempt, typed


def exam_answer(client, attempt, item, text, **extra):
    return client.post(reverse("attempt_answer", args=[attempt.pk, item.position]), {"answer": text}, **extra)


def test_exam_question_shows_a_field_and_never_hints_or_tries(signed_in):
    attempt, item = start_exam(signed_in)
    html = main_of(signed_in.get(reverse("attempt_question", args=[attempt.pk, item.position])).content.decode())
    assert 'name="answer"' in html and 'hx-post="' in html
    for secret in secrets_of(item) + ["Hint", "Try 2", "tries"]:
        assert secret not in html, secret


def test_exam_typed_answers_autosave_and_are_graded_only_at_submit(signed_in, student):
    attempt, item = start_exam(signed_in)
    key = key_of(item)
    wrong = dict(key.misconceptions)["forgot-bias"]
    saved = exam_answer(signed_in, attempt, item, repr(wrong), HTTP_HX_REQUEST="true")
    assert saved.status_code == 200 and "Answer saved." in saved.content.decode()
    item.refresh_from_db()
    assert item.answer_text == repr(wrong) and item.answered_at is not None
    assert item.is_correct is None and item.misconception == ""  # nothing graded while the exam is open
    page = main_of(signed_in.get(reverse("attempt_question", args=[attempt.pk, item.position])).content.decode())
    assert f'value="{repr(wrong)}"' in page and "Forgot the bias" not in page
    signed_in.post(reverse("attempt_submit", args=[attempt.pk]))
    item.refresh_from_db()
    assert item.is_correct is False and item.misconception == "forgot-bias"
    html = signed_in.get(reverse("attempt_result", args=[attempt.pk])).content.decode()
    assert repr(wrong) in html and key.tolerance.shown(key.value) in html and "Forgot the bias" in html


def test_exam_refuses_bad_typed_input_and_keeps_it(signed_in):
    attempt, item = start_exam(signed_in)
    htmx = exam_answer(signed_in, attempt, item, "1,5", HTTP_HX_REQUEST="true")
    assert htmx.status_code == 400 and USE_DECIMAL_POINT in htmx.content.decode()
    plain = exam_answer(signed_in, attempt, item, "1,5")
    assert plain.status_code == 400 and 'value="1,5"' in plain.content.decode()
    assert USE_DECIMAL_POINT in plain.content.decode()
    item.refresh_from_db()
    assert item.answered_at is None and item.answer_text == ""


def test_typed_answers_to_finished_attempts_or_other_positions_change_nothing(signed_in):
    attempt, item = start_exam(signed_in)
    outside = signed_in.post(reverse("attempt_answer", args=[attempt.pk, 9]), {"answer": "1.5"})
    assert outside.status_code == 400 and NOT_IN_ATTEMPT in outside.content.decode()
    signed_in.post(reverse("attempt_submit", args=[attempt.pk]))
    late = exam_answer(signed_in, attempt, item, "1.5")
    assert late.status_code == 409 and ATTEMPT_FINISHED in late.content.decode()
    item.refresh_from_db()
    assert item.answer_text == "" and item.is_correct is False


def test_review_brings_numeric_questions_back_as_fresh_variants(signed_in, student):
    open_variant(signed_in)
    response = shown(student)
    post_answer(signed_in, response, "1234.5")
    from datetime import timedelta

    from django.utils import timezone

    from quizzes.models import ReviewCard

    ReviewCard.objects.filter(user=student).update(due=timezone.now() - timedelta(minutes=1))
    html = signed_in.get(reverse("review")).content.decode()
    again = Response.objects.get(user=student, mode="review")
    assert again.question_id == response.question_id and 'name="answer"' in html
    key = key_of(again)
    signed_in.post(reverse("review_answer"), {"response": again.pk, "answer": repr(key.value)})
    again.refresh_from_db()
    assert again.is_correct is True and again.revealed_at is not None
