"""seed_demo_activity: demo students in two cohorts, activity through the services, plausible mistakes."""

import random
import re
from collections import Counter
from io import StringIO
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.utils import timezone

from quizzes.management.commands.seed_demo_activity import (
    ALREADY_SEEDED,
    NO_QUESTIONS,
    NOT_ALLOWED,
    Simulation,
    Student,
)
from quizzes.models import Cohort, ExamAttempt, Response

pytestmark = pytest.mark.django_db


def seed(**options) -> str:
    out = StringIO()
    call_command("seed_demo_activity", stdout=out, **options)
    return out.getvalue()


def test_seeds_students_in_two_cohorts_with_activity_through_the_services(synced):
    started = timezone.now()
    output = seed(students=4, seed=3, days=10)
    assert "Added 4 demo students (demo-001 .. demo-004)" in output
    users = get_user_model().objects.filter(username__startswith="demo-")
    assert users.count() == 4 and not any(user.has_usable_password() for user in users)
    assert sorted(Cohort.objects.values_list("name", flat=True)) == ["Demo cohort A", "Demo cohort B"]
    assert [c.members.count() for c in Cohort.objects.order_by("name")] == [2, 2]
    answered = Response.objects.filter(user__in=users, answered_at__isnull=False)
    assert answered.filter(mode=Response.Mode.PRACTICE).count() >= 4 * 3 * 5
    for response in answered:
        assert response.is_correct == (response.chosen_position == response.correct_position)
        assert started - timezone.timedelta(days=11) < response.shown_at <= response.answered_at <= started
    assert not ExamAttempt.objects.filter(user__in=users, finished_at__isnull=True).exists()
    firsts = Counter(answered.filter(is_first_attempt=True).values_list("user_id", "question_id"))
    assert set(firsts.values()) == {1}


def test_rerunning_adds_another_batch(synced):
    seed(students=2, seed=1, days=5)
    output = seed(students=3, seed=2, days=5)
    assert "demo-003 .. demo-005" in output
    assert get_user_model().objects.filter(username__startswith="demo-").count() == 5
    assert Cohort.objects.count() == 2 and sum(c.members.count() for c in Cohort.objects.all()) == 5


def test_if_none_seeds_only_the_first_time(synced):
    assert "Added 2 demo students" in seed(students=2, seed=1, days=5, if_none=True)
    assert ALREADY_SEEDED in seed(students=2, if_none=True)
    assert get_user_model().objects.filter(username__startswith="demo-").count() == 2


def test_dry_run_changes_nothing(synced):
    assert "Would add 3 students (demo-001 .. demo-003)" in seed(students=3, dry_run=True)
    assert not get_user_model().objects.filter(username__startswith="demo-").exists()
    assert not Cohort.objects.exists()


def test_refused_outside_development(synced, settings):
    settings.DEMO_ACCOUNTS_ALLOWED = False
    with pytest.raises(CommandError, match=re.escape(NOT_ALLOWED)):
        seed(students=1)


def test_refused_without_questions(db):
    with pytest.raises(CommandError, match="sync_content"):
        seed(students=1)
    assert "sync_content" in NO_QUESTIONS


def fake_response(choices, order, correct_position):
    return SimpleNamespace(question_id=1, choice_texts=["x"] * len(choices), choice_order=order,
                           correct_position=correct_position, version=SimpleNamespace(data={"choices": choices}))


def test_mistakes_pick_misconceptions_more_often_than_chance():
    choices = [{"correct": True}, {"correct": False, "misconception": "forgot-bias"}, {"correct": False}]
    sim = Simulation(random.Random(5), [], flawed=False)
    weak = Student(user=None, ability=-50.0)
    picks = Counter(sim.choose(weak, fake_response(choices, [2, 0, 1], 1)) for _ in range(4000))
    # Right only by a lucky guess (1 / (2 * 3 choices)); among the mistakes display 2 (source 1, a
    # misconception) is picked three times as often as display 0 (source 2, none).
    assert 0.12 < picks[1] / 4000 < 0.22
    assert 2.5 < picks[2] / picks[0] < 3.6


def test_stronger_students_are_right_more_often():
    choices = [{"correct": True}, {"correct": False, "misconception": "m"}, {"correct": False, "misconception": "n"}]
    sim = Simulation(random.Random(7), [], flawed=False)
    right = {ability: sum(sim.choose(Student(None, ability), fake_response(choices, [0, 1, 2], 0)) == 0
                          for _ in range(2000)) for ability in (-2.0, 0.0, 2.0)}
    assert right[-2.0] < right[0.0] < right[2.0]


def test_works_on_the_real_bank(db, settings):
    settings.CONTENT_DIR = Path(django_settings.BASE_DIR) / "content"
    call_command("sync_content", stdout=StringIO())
    output = seed(students=2, seed=11, days=14)
    assert "Added 2 demo students" in output and "flawed on purpose" in output
    assert Response.objects.filter(mode=Response.Mode.PRACTICE, answered_at__isnull=False).exists()


def test_prints_a_progress_line_per_student(synced):
    output = seed(students=3, seed=5, days=4)
    lines = [line for line in output.splitlines() if line.strip().startswith("[")]
    assert [line.split("]")[1].split(",")[0].strip() for line in lines] == [
        "1/3 students", "2/3 students", "3/3 students"]
    assert lines[-1].strip().startswith("[" + "#" * 20 + "]")
