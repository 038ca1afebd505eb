"""Benchmark: render the instructor dashboards over a large class in a throwaway database.

Why: the statistics are computed by the database with aggregates and window functions; this
shows whether the pages stay fast (target: under 1 s) with ``--students`` students and about
``--responses`` responses. It syncs the real bank (``settings.CONTENT_DIR``), bulk-creates the
activity (practice answers and finished exam attempts spread over four weeks), then renders each
page with Django's test client ``--repeat`` times and prints the median. Prints figures; asserts
nothing. The throwaway database is a temporary SQLite file, or ``test_<NAME>_bench_dashboards``
on PostgreSQL (run with ``DATABASE_URL``); the real database is never touched.
"""

from __future__ import annotations

import math
import random
import shutil
import statistics
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import connection
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from quizzes.content.sync import sync_content
from quizzes.models import Cohort, Exam, ExamAttempt, Question, QuestionReport, Response
from quizzes.selectors.questions import published_questions
from quizzes.services.responses import show_question

TARGET_SECONDS = 1.0
VARIANTS_PER_QUESTION = 6
COHORTS = 4
BATCH = 5000
DAYS = 28
REPORTS = 500


class Command(BaseCommand):
    help = "Time the instructor dashboards on a generated class in a throwaway database."

    def add_arguments(self, parser):
        parser.add_argument("--students", type=int, default=2000)
        parser.add_argument("--responses", type=int, default=300_000, help="about how many responses")
        parser.add_argument("--repeat", type=int, default=5, help="renders per page (the median is printed)")

    def handle(self, *args, **options):
        old_name = connection.settings_dict["NAME"]
        workdir = Path(tempfile.mkdtemp(prefix="bench-dashboards-"))
        test_settings = connection.settings_dict.setdefault("TEST", {})
        if connection.vendor == "sqlite":
            test_settings["NAME"] = str(workdir / "bench.sqlite3")
        else:
            test_settings["NAME"] = f"test_{old_name}_bench_dashboards"
        test_db = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
        try:
            with override_settings(DEBUG=False):  # as in production: no query log, no debug templates
                started = time.perf_counter()
                sync_content(root=Path(settings.CONTENT_DIR))
                made = generate(options["students"], options["responses"], random.Random(1))
                if connection.vendor == "postgresql":  # autovacuum would have analysed a live database
                    with connection.cursor() as cursor:
                        cursor.execute("ANALYZE")
                generated = time.perf_counter() - started
                timings = time_pages(options["repeat"])
        finally:
            connection.creation.destroy_test_db(old_name, verbosity=0)
            shutil.rmtree(workdir, ignore_errors=True)
        self.stdout.write(f"database: {connection.vendor} (throwaway {test_db})")
        self.stdout.write(f"generated {made['students']} students, {made['responses']} responses, "
                          f"{made['attempts']} finished exam attempts, {made['questions']} questions, "
                          f"{made['reports']} question reports "
                          f"in {generated:.1f} s")
        for name, seconds in timings:
            self.stdout.write(f"{name:<34} median {seconds * 1000:7.0f} ms of {options['repeat']} "
                              f"(target < {TARGET_SECONDS:.0f} s, {seconds / TARGET_SECONDS:.2f}x of target)")


def generate(student_count: int, response_target: int, rng: random.Random) -> dict:
    """Bulk-create students in cohorts, finished exam attempts and practice answers; return counts."""
    User = get_user_model()
    now = timezone.now()
    questions = list(published_questions().select_related("current_version"))
    shown = {q.pk: [show_question(q) for _ in range(VARIANTS_PER_QUESTION)] for q in questions}
    difficulty = {q.pk: {1: -1.2, 2: 0.0, 3: 1.0}.get(q.difficulty, 0.0) + rng.gauss(0, 0.5) for q in questions}
    User.objects.create_user("bench-instructor", password="bench-pass-only", is_staff=True)
    users = User.objects.bulk_create([User(username=f"bench-{n:05d}", password="!") for n in range(student_count)])
    cohorts = Cohort.objects.bulk_create([Cohort(name=f"Bench cohort {n + 1}") for n in range(COHORTS)])
    Cohort.members.through.objects.bulk_create([
        Cohort.members.through(cohort_id=cohorts[i % COHORTS].pk, user_id=user.pk) for i, user in enumerate(users)])
    ability = {user.pk: rng.gauss(0, 1) for user in users}
    exams = list(Exam.objects.active())
    pools = {exam.pk: [[q.pk for q in questions if q.topic.slug in section["topics"]
                        and (not section.get("difficulty") or q.difficulty in section["difficulty"])]
                       for section in exam.sections] for exam in exams}

    def answer(user_id: int, question_id: int) -> tuple[dict, bool, int]:
        variant = rng.choice(shown[question_id])
        p_right = 1 / (1 + math.exp(-(ability[user_id] - difficulty[question_id])))
        right = rng.random() < p_right
        wrong = [i for i in range(len(variant.choice_texts)) if i != variant.correct_position]
        if not variant.choice_texts:  # a typed-number question: no position to choose
            return variant.as_fields(), right, None
        return variant.as_fields(), right, variant.correct_position if right else rng.choice(wrong)

    attempts, exam_items = [], []
    for user in users:
        for _ in range(rng.choice([0, 1, 1, 2, 2, 3])):
            exam = rng.choice(exams)
            drawn = [qid for pool in pools[exam.pk] for qid in rng.sample(pool, min(len(pool), 2))]
            start = now - timedelta(days=rng.uniform(0, DAYS))
            items = [(position, qid, *answer(user.pk, qid)) for position, qid in enumerate(drawn, start=1)]
            score = sum(1 for item in items if item[3])
            attempts.append(ExamAttempt(user=user, exam=exam, started_at=start, total=len(items), score=score,
                                        deadline=start + timedelta(minutes=exam.time_limit_minutes),
                                        finished_at=start + timedelta(minutes=8),
                                        passed=100 * score >= exam.pass_mark * len(items)))
            exam_items.append(items)
    ExamAttempt.objects.bulk_create(attempts, batch_size=BATCH)
    rows = []
    for attempt, items in zip(attempts, exam_items, strict=True):
        for position, qid, fields, right, chosen in items:
            rows.append(Response(user_id=attempt.user_id, question_id=qid, mode=Response.Mode.EXAM,
                                 exam_attempt=attempt, position=position, shown_at=attempt.started_at,
                                 answered_at=attempt.started_at + timedelta(seconds=20 * position),
                                 seconds_spent=rng.lognormvariate(3.2, 0.5),
                                 is_correct=right, chosen_position=chosen, **fields))
    per_student = max(0, (response_target - len(rows)) // max(1, student_count))
    question_ids = list(shown)
    for user in users:
        for _ in range(per_student):
            qid = rng.choice(question_ids)
            fields, right, chosen = answer(user.pk, qid)
            when = now - timedelta(days=rng.uniform(0, DAYS))
            rows.append(Response(user_id=user.pk, question_id=qid, mode=Response.Mode.PRACTICE, shown_at=when,
                                 answered_at=when + timedelta(seconds=rng.lognormvariate(3.2, 0.5)),
                                 is_correct=right, chosen_position=chosen, **fields))
    mark_first_attempts(rows)
    for start in range(0, len(rows), BATCH):
        Response.objects.bulk_create(rows[start:start + BATCH])
    reports = make_reports(rng, now)
    return {"students": student_count, "responses": len(rows), "attempts": len(attempts), "questions": len(questions),
            "reports": reports}


def make_reports(rng: random.Random, now) -> int:
    """Create ``REPORTS`` question reports on random answered responses, a third of them resolved; return how many."""
    instructor = get_user_model().objects.get(username="bench-instructor")
    answered = list(Response.objects.filter(answered_at__isnull=False).order_by("?")
                    .values_list("pk", "user_id", "question_id", "version_id", "seed")[:REPORTS])
    kinds = [kind for kind, _ in QuestionReport.Kind.choices]
    QuestionReport.objects.bulk_create([
        QuestionReport(response_id=pk, user_id=user_id, question_id=question_id, version_id=version_id, seed=seed,
                       kind=rng.choice(kinds), text=f"bench report {n}", created_at=now - timedelta(hours=n),
                       resolved_at=now if n % 3 == 0 else None, resolved_by=instructor if n % 3 == 0 else None)
        for n, (pk, user_id, question_id, version_id, seed) in enumerate(answered)])
    return len(answered)


def mark_first_attempts(rows: list[Response]) -> None:
    """Set ``is_first_attempt`` on each student's earliest answer to each question (as ``count_first_answers``)."""
    seen = set()
    for row in sorted(rows, key=lambda r: r.answered_at):
        key = (row.user_id, row.question_id)
        row.is_first_attempt = key not in seen
        seen.add(key)


def time_pages(repeat: int) -> list[tuple[str, float]]:
    """Return (page, median seconds) for each dashboard page, rendered ``repeat`` times."""
    client = Client()
    client.force_login(get_user_model().objects.get(username="bench-instructor"))
    cohort = Cohort.objects.order_by("pk").first()
    question = Question.objects.filter(is_parameterised=True).order_by("pk").first()
    static = Question.objects.filter(is_parameterised=False).order_by("pk").first()
    exam = Exam.objects.order_by("pk").first()
    pages = [
        ("overview", reverse("instructor_overview")),
        ("overview, one cohort", f"{reverse('instructor_overview')}?cohort={cohort.pk}"),
        ("item analysis", reverse("instructor_items")),
        ("item analysis, all attempts", f"{reverse('instructor_items')}?attempts=all"),
        ("item analysis, one cohort", f"{reverse('instructor_items')}?cohort={cohort.pk}"),
        ("one question", reverse("instructor_item", args=[question.qid])),
        ("students (sorted by answers)", f"{reverse('instructor_students')}?sort=-answered"),
        ("exam statistics", reverse("instructor_exams")),
        ("one exam", reverse("instructor_exam", args=[exam.slug])),
        ("export: item statistics", reverse("instructor_export_items")),
        ("misconceptions", reverse("instructor_misconceptions")),
        ("misconceptions, all attempts", f"{reverse('instructor_misconceptions')}?attempts=all"),
        ("misconceptions, one cohort", f"{reverse('instructor_misconceptions')}?cohort={cohort.pk}"),
        ("export: misconceptions", reverse("instructor_export_misconceptions")),
        ("reports: open queue", reverse("instructor_reports")),
        ("reports: all, one cohort", f"{reverse('instructor_reports')}?status=all&cohort={cohort.pk}"),
        ("one report", reverse("instructor_report", args=[QuestionReport.objects.order_by("pk").first().pk])),
        ("one static question", reverse("instructor_item", args=[static.qid])),
        ("regrades (audit log)", reverse("instructor_regrades")),
        ("exam rules", reverse("instructor_exam_rules", args=[exam.slug])),
    ]
    timings = []
    for name, url in pages:
        seconds = []
        for _ in range(repeat):
            started = time.perf_counter()
            response = client.get(url, HTTP_HOST="127.0.0.1")
            seconds.append(time.perf_counter() - started)
            assert response.status_code == 200, (url, response.status_code)
        timings.append((name, statistics.median(seconds)))
    return timings
