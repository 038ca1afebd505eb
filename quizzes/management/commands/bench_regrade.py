"""Benchmark: regrade a question answered ``--answers`` times, in a throwaway database.

Why: a regrade rewrites every answer to a question version and rescores every finished exam
attempt that contains it; the target is under 5 s for a question answered 10,000 times. This
syncs the real bank (``settings.CONTENT_DIR``), bulk-creates ``--answers`` finished attempts of
one exam, each containing the same question version at position 1 (and the exam's other
questions after it), then times each step: accept another choice, the same again (idempotent:
nothing changes), drop from scoring, full marks, and the undo of each. Prints figures; asserts
nothing. The throwaway database is a temporary SQLite file, or ``test_<NAME>_bench_regrade`` on
PostgreSQL (run with ``DATABASE_URL``); the real database is never touched.
"""

from __future__ import annotations

import random
import shutil
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import connection
from django.test import override_settings
from django.utils import timezone

from quizzes.content.sync import sync_content
from quizzes.models import Exam, ExamAttempt, Response
from quizzes.selectors.questions import published_questions
from quizzes.services.regrading import regrade_add, regrade_undo
from quizzes.services.responses import show_question

TARGET_SECONDS = 5.0
BATCH = 5000
STUDENTS = 500


class Command(BaseCommand):
    help = "Time regrading a question answered 10,000 times (and undoing it) in a throwaway database."

    def add_arguments(self, parser):
        parser.add_argument("--answers", type=int, default=10_000, help="finished attempts containing the question")

    def handle(self, *args, **options):
        old_name = connection.settings_dict["NAME"]
        workdir = Path(tempfile.mkdtemp(prefix="bench-regrade-"))
        test_settings = connection.settings_dict.setdefault("TEST", {})
        if connection.vendor == "sqlite":
            test_settings["NAME"] = str(workdir / "bench.sqlite3")
        else:
            test_settings["NAME"] = f"test_{old_name}_bench_regrade"
        test_db = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
        try:
            with override_settings(DEBUG=False):
                sync_content(root=Path(settings.CONTENT_DIR))
                made = generate(options["answers"], random.Random(1))
                if connection.vendor == "postgresql":
                    with connection.cursor() as cursor:
                        cursor.execute("ANALYZE")
                timings = time_regrades(made["version"])
        finally:
            connection.creation.destroy_test_db(old_name, verbosity=0)
            shutil.rmtree(workdir, ignore_errors=True)
        self.stdout.write(f"database: {connection.vendor} (throwaway {test_db})")
        self.stdout.write(f"question {made['qid']} answered {made['answers']} times in {made['answers']} finished "
                          f"attempts ({made['responses']} responses in all)")
        for name, seconds, changed, attempts in timings:
            self.stdout.write(f"{name:<34} {seconds * 1000:7.0f} ms  {changed:6d} answers changed, "
                              f"{attempts:6d} attempts rescored  (target < {TARGET_SECONDS:.0f} s, "
                              f"{seconds / TARGET_SECONDS:.2f}x of target)")


def generate(answers: int, rng: random.Random) -> dict:
    """Bulk-create ``answers`` finished attempts of one exam, each with the same question first."""
    User = get_user_model()
    now = timezone.now()
    exam = Exam.objects.active().order_by("pk").first()
    pool = [q for q in published_questions().select_related("current_version", "topic").order_by("pk")
            if q.topic.slug in exam.sections[0]["topics"]]
    target, others = pool[0], [q for q in published_questions().select_related("current_version")
                               if q.pk != pool[0].pk][:exam.question_count - 1]
    shown = {q.pk: [show_question(q) for _ in range(6)] for q in [target, *others]}
    users = User.objects.bulk_create([User(username=f"bench-{n:05d}", password="!") for n in range(STUDENTS)])
    attempts, items = [], []
    for n in range(answers):
        start = now - timedelta(days=rng.uniform(0, 28))
        drawn = []
        for position, question in enumerate([target, *others], start=1):
            fields = rng.choice(shown[question.pk]).as_fields()
            chosen = rng.randrange(len(fields["choice_texts"]))
            drawn.append((position, question.pk, fields, chosen, chosen == fields["correct_position"]))
        score = sum(1 for item in drawn if item[4])
        attempts.append(ExamAttempt(user=users[n % STUDENTS], exam=exam, started_at=start, total=len(drawn),
                                    score=score, deadline=start + timedelta(minutes=exam.time_limit_minutes),
                                    finished_at=start + timedelta(minutes=8),
                                    passed=100 * score >= exam.pass_mark * len(drawn)))
        items.append(drawn)
    ExamAttempt.objects.bulk_create(attempts, batch_size=BATCH)
    rows = [Response(user_id=attempt.user_id, question_id=qid, mode=Response.Mode.EXAM, exam_attempt=attempt,
                     position=position, shown_at=attempt.started_at, answered_at=attempt.started_at,
                     is_correct=right, chosen_position=chosen, **fields)
            for attempt, drawn in zip(attempts, items, strict=True)
            for position, qid, fields, chosen, right in drawn]
    for start in range(0, len(rows), BATCH):
        Response.objects.bulk_create(rows[start:start + BATCH])
    return {"qid": target.qid, "version": target.current_version, "answers": answers, "responses": len(rows)}


def time_regrades(version) -> list[tuple[str, float, int, int]]:
    """Return (step, seconds, answers changed, attempts rescored) for each regrade and undo."""
    teacher = get_user_model().objects.create_user("bench-instructor", password="!", is_staff=True)
    wrong = next(i for i, choice in enumerate(version.data["choices"]) if not choice.get("correct"))
    steps = [("accept another choice", "accept_choice", {"choice": wrong}),
             ("the same again (idempotent)", "accept_choice", {"choice": wrong}),
             ("drop from scoring", "drop", {}), ("full marks for everyone", "full_marks", {})]
    timings, added = [], []
    for name, kind, params in steps:
        started = time.perf_counter()
        result = regrade_add(version=version, kind=kind, params=params, by=teacher, when=timezone.now())
        timings.append((name, time.perf_counter() - started, result.changed_responses, len(result.attempt_ids)))
        if result.created:
            added.append((name, result.regrade.pk))
    for name, pk in reversed(added):
        started = time.perf_counter()
        result = regrade_undo(regrade_id=pk, by=teacher, when=timezone.now())
        timings.append((f"undo: {name}", time.perf_counter() - started, result.changed_responses,
                        len(result.attempt_ids)))
    return timings
