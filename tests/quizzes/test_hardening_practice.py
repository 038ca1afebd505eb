"""Practice survives session state it did not write (an older deployment's, or a stale one).

Sessions outlive deployments and questions: whatever ``request.session`` holds, practice pages
answer a redirect or a page, never a 500, and a visitor whose state is unusable starts afresh.
"""

import pytest
from django.urls import reverse
from django.utils import timezone

from quizzes.models import Question, Response
from quizzes.services.practice import NO_QUESTIONS, AnonymousPractice

pytestmark = pytest.mark.django_db

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


def start(client, topics=("convolution",), difficulty=""):
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
    start(client)
    client.get(reverse("practice_question"))
    state = client.session[KEY]
    assert AnonymousPractice.load(client.session) == AnonymousPractice(**state)


def test_a_shown_question_whose_version_is_gone_is_replaced_by_another(client, synced):
    start(client)
    client.get(reverse("practice_question"))
    state = client.session[KEY]
    state["shown"]["version_id"] = 987654
    put(client, state)
    page = client.get(reverse("practice_question"))
    assert page.status_code == 200 and "What does a convolution add" in page.content.decode()
    assert client.session[KEY]["shown"]["version_id"] != 987654


def test_the_result_of_a_question_whose_version_is_gone_moves_on(client, synced):
    start(client)
    client.get(reverse("practice_question"))
    state = client.session[KEY]
    state["shown"]["version_id"], state["chosen_position"] = 987654, 0
    put(client, state)
    assert client.get(reverse("practice_anonymous_result")).url == reverse("practice_question")


def test_another_variant_when_the_question_is_gone_and_nothing_else_matches_says_so(client, synced):
    start(client, ["output-size"], difficulty="3")  # matches nothing
    client.get(reverse("practice_question"))
    put(client, {"topic_slugs": ["output-size"], "difficulty": 3, "question_id": 987654, "shown": None,
                 "chosen_position": None, "answered": 1, "correct": 0, "seen": [987654]})
    response = client.post(reverse("practice_variant"), follow=True)
    assert response.status_code == 200 and NO_QUESTIONS in response.content.decode()


def test_another_variant_of_a_retired_question_is_a_different_question_for_a_visitor(client, synced):
    start(client)
    client.get(reverse("practice_question"))
    retired = client.session[KEY]["question_id"]
    client.post(reverse("practice_answer"), {"choice": 0})
    Question.objects.filter(pk=retired).update(retired_at=timezone.now())
    assert client.post(reverse("practice_variant")).url == reverse("practice_question")
    assert client.session[KEY]["question_id"] != retired


def test_another_variant_of_a_retired_question_is_a_different_question_for_a_student(client, synced, student):
    client.force_login(student)
    start(client)
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
