"""Item analysis of a typed-number question: answers counted right, per named mistake, or otherwise wrong."""

import pytest
from django.urls import reverse

from quizzes.analytics.distractors import CORRECT, OTHER_NUMBER, distractor_table
from quizzes.analytics.scope import Scope
from quizzes.models import Question, Response
from quizzes.services.grading import answer_key
from tests.quizzes.test_numeric_views import bank  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db


def answer_typed(client, user, text_of):
    client.force_login(user)
    client.get(reverse("practice_permalink", args=["conv-window-typed"]) + "?seed=5")
    response = Response.objects.get(user=user, answered_at__isnull=True)
    key = answer_key(response.version, response.seed)
    client.post(reverse("practice_answer"), {"response": response.pk, "answer": text_of(key)})


def test_typed_answers_are_counted_by_named_mistake(client, bank, django_user_model):  # noqa: F811
    makers = [lambda k: repr(k.value), lambda k: repr(k.value),
              lambda k: repr(dict(k.misconceptions)["forgot-bias"]), lambda k: "12345"]
    for number, text_of in enumerate(makers):
        answer_typed(client, django_user_model.objects.create_user(f"s{number}", password="pw-long-enough-9"), text_of)
    [table] = distractor_table(Scope(), Question.objects.get(qid="conv-window-typed"))
    rows = {share.label: (share.count, share.correct) for share in table.choices}
    assert table.responses == 4
    assert rows == {CORRECT: (2, True), "Forgot the bias": (1, False), OTHER_NUMBER: (1, False)}
