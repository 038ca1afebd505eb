"""Practice: filter, one question at a time, graded once, running score, anonymous visitors."""


import re

import pytest
from django.urls import reverse
from django.utils import timezone

from quizzes.models import ExamAttempt, Question, Response, ReviewCard
from quizzes.services.practice import NO_QUESTIONS, AnonymousPractice
from quizzes.services.responses import ALREADY_ANSWERED, NO_CHOICE, NOT_A_CHOICE, response_answer

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


# Hardening: hostile or out-of-order requests change nothing (test_hardening_practice).
# Practice survives session state it did not write (an older deployment's, or a stale one).
#
# Sessions outlive deployments and questions: whatever ``request.session`` holds, practice pages
# answer a redirect or a page, never a 500, and a visitor whose state is unusable starts afresh.
#

KEY = AnonymousPractice.SESSION_KEY
SHOWN = {"version_id": 1, "seed": 0, "params": {}, "choice_order": [0, 1], "choice_texts": ["a", "b"],
         "correct_position": 0}
MALFORMED_STATES = [
    {},
    "not a dict",
    {"shown": "not a dict"},
    {"shown": {"version_id": 1}},                              # a Shown of an older shape
    {"shown": SHOWN | {"seed": "7"}},
    {"shown": SHOWN | {"seed": -1}},
    {"shown": SHOWN | {"correct_position": 5}},
    {"shown": SHOWN | {"choice_texts": "ab"}},
    {"chosen_position": 1},                                    # answered, but nothing shown
    {"shown": SHOWN, "chosen_position": 9},
    {"seen": None},
    {"seen": "1,2"},
    {"topic_slugs": None},
    {"difficulty": "2"},
    {"question_id": "x"},
    {"answered": "1"},
    {"renamed_field": 1},
    {"shown": SHOWN, "tries": "x"},                            # typed tries (issue 11) of a wrong shape
    {"shown": SHOWN, "tries": [{"text": "1"}]},
    {"shown": SHOWN, "tries": [{"position": None, "text": "1", "value": "1", "correct": False,
                                "misconception": "", "at": ""}]},
    {"shown": SHOWN, "tries": [{"position": 0, "text": "", "value": None, "correct": False,
                                "misconception": "", "at": ""}] * 4},
    {"shown": SHOWN, "revealed": "yes"},
    {"shown": SHOWN | {"choice_texts": [], "choice_order": [], "correct_position": 1}},
]


def put(client, value, key=KEY):
    session = client.session
    session[key] = value
    session.save()


def start_convolution(client, topics=("convolution",), difficulty=""):
    return client.post(reverse("practice"), {"topics": list(topics), "difficulty": difficulty})


@pytest.mark.parametrize("state", MALFORMED_STATES, ids=[str(s)[:40] for s in MALFORMED_STATES])
def test_malformed_anonymous_state_restarts_practice_instead_of_failing(client, synced, state):
    client.get(reverse("home"))
    put(client, state)
    assert client.get(reverse("practice_question")).url == reverse("practice")
    put(client, state)
    assert client.post(reverse("practice_answer"), {"choice": "0"}).url == reverse("practice")
    put(client, state)
    assert client.get(reverse("practice_anonymous_result")).url == reverse("practice")
    put(client, state)
    assert client.post(reverse("practice_variant")).url == reverse("practice")
    put(client, state)
    assert client.post(reverse("practice_retry"), {"answer": "1.5"}).url == reverse("practice")
    put(client, state)
    assert client.post(reverse("practice_reveal")).url == reverse("practice")
    assert client.get(reverse("practice")).status_code == 200


def test_a_saved_state_loads_back_unchanged(client, synced):
    start_convolution(client)
    client.get(reverse("practice_question"))
    state = client.session[KEY]
    assert AnonymousPractice.load(client.session) == AnonymousPractice(**state)


def test_a_shown_question_whose_version_is_gone_is_replaced_by_another(client, synced):
    start_convolution(client)
    client.get(reverse("practice_question"))
    state = client.session[KEY]
    state["shown"]["version_id"] = 987654
    put(client, state)
    page = client.get(reverse("practice_question"))
    assert page.status_code == 200 and "What does a convolution add" in page.content.decode()
    assert client.session[KEY]["shown"]["version_id"] != 987654


def test_the_result_of_a_question_whose_version_is_gone_moves_on(client, synced):
    start_convolution(client)
    client.get(reverse("practice_question"))
    state = client.session[KEY]
    state["shown"]["version_id"], state["chosen_position"] = 987654, 0
    put(client, state)
    assert client.get(reverse("practice_anonymous_result")).url == reverse("practice_question")


def test_another_variant_when_the_question_is_gone_and_nothing_else_matches_says_so(client, synced):
    start_convolution(client, ["output-size"], difficulty="3")  # matches nothing
    client.get(reverse("practice_question"))
    put(client, {"topic_slugs": ["output-size"], "difficulty": 3, "question_id": 987654, "shown": None,
                 "chosen_position": None, "answered": 1, "correct": 0, "seen": [987654]})
    response = client.post(reverse("practice_variant"), follow=True)
    assert response.status_code == 200 and NO_QUESTIONS in response.content.decode()


def test_another_variant_of_a_retired_question_is_a_different_question_for_a_visitor(client, synced):
    start_convolution(client)
    client.get(reverse("practice_question"))
    retired = client.session[KEY]["question_id"]
    client.post(reverse("practice_answer"), {"choice": 0})
    Question.objects.filter(pk=retired).update(retired_at=timezone.now())
    assert client.post(reverse("practice_variant")).url == reverse("practice_question")
    assert client.session[KEY]["question_id"] != retired


def test_another_variant_of_a_retired_question_is_a_different_question_for_a_student(client, synced, student):
    client.force_login(student)
    start_convolution(client)
    client.get(reverse("practice_question"))
    shown = Response.objects.get(user=student)
    client.post(reverse("practice_answer"), {"response": shown.pk, "choice": 0})
    Question.objects.filter(pk=shown.question_id).update(retired_at=timezone.now())
    client.post(reverse("practice_variant"))
    assert Response.objects.get(user=student, answered_at__isnull=True).question_id != shown.question_id


@pytest.mark.parametrize("session_id", ["7", [1], {"pk": 1}, 1.5, None])
def test_a_malformed_practice_session_id_sends_a_student_to_the_practice_page(client, synced, student, session_id):
    client.force_login(student)
    put(client, session_id, key="practice_session_id")
    assert client.get(reverse("practice_question")).url == reverse("practice")
    assert client.post(reverse("practice_answer"), {"response": "1", "choice": "0"}).url == reverse("practice")
    assert client.post(reverse("practice_variant")).url == reverse("practice")


# Hardening: hostile or out-of-order requests change nothing (test_hardening_answers).
# An exam's questions are answered and revealed only through the exam.
#
# Response ids are sequential and a practice page shows its own, so a student can guess the ids
# of their exam's questions: the practice and review endpoints must not take them.
#

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
