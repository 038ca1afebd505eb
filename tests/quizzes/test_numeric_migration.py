"""The migration that adds typed answers backfills past answers: shown at once, wrong choices named."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE = [("quizzes", "0005_response_viewed_at")]
AFTER = [("quizzes", "0006_numeric_numeric_answers")]


@pytest.fixture
def migrator():
    """Yield an executor; afterwards the database is migrated to the latest state again."""
    executor = MigrationExecutor(connection)
    yield executor
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_past_answers_are_revealed_and_their_wrong_choices_named_and_questions_list_theirs(migrator):
    executor = migrator
    executor.migrate(BEFORE)
    apps = executor.loader.project_state(BEFORE).apps
    User = apps.get_model("auth", "User")
    Topic, Question = apps.get_model("quizzes", "Topic"), apps.get_model("quizzes", "Question")
    Version, Response = apps.get_model("quizzes", "QuestionVersion"), apps.get_model("quizzes", "Response")
    user = User.objects.create(username="old")
    topic = Topic.objects.create(slug="t", title="T")
    question = Question.objects.create(qid="q", topic=topic, difficulty=1, source_path="q.md")
    data = {"choices": [{"correct": True, "misconception": ""}, {"correct": False, "misconception": "forgot-bias"},
                        {"correct": False, "misconception": ""}]}
    version = Version.objects.create(question=question, number=1, content_hash="h", data=data)
    Question.objects.filter(pk=question.pk).update(current_version=version)
    now = timezone.now()

    def make(chosen, correct, mode="practice", answered=True):
        return Response.objects.create(
            user=user, question=question, version=version, mode=mode, seed=1, choice_order=[2, 0, 1],
            choice_texts=["c", "a", "b"], correct_position=1, chosen_position=chosen, is_correct=correct,
            shown_at=now, answered_at=now if answered else None)

    named, unnamed, right, review = make(2, False), make(0, False), make(1, True), make(2, False, mode="review")
    pending = make(None, None, answered=False)
    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    apps = executor.loader.project_state(AFTER).apps
    Response = apps.get_model("quizzes", "Response")
    rows = {r.pk: r for r in Response.objects.all()}
    assert rows[named.pk].misconception == "forgot-bias" and rows[review.pk].misconception == "forgot-bias"
    assert rows[unnamed.pk].misconception == "" and rows[right.pk].misconception == ""
    assert all(rows[pk].revealed_at == now for pk in (named.pk, unnamed.pk, right.pk, review.pk))
    assert rows[pending.pk].revealed_at is None
    assert apps.get_model("quizzes", "Question").objects.get(pk=question.pk).misconceptions == ["forgot-bias"]
