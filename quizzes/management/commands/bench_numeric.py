"""Benchmark: typed answers (issue 11). Prints figures; asserts nothing.

* grading a typed answer: parse, then compare with the answer and every misconception; with the
  answer key cached (as in a running site) and cold (the key recomputed from a fresh scenario run);
* the practice page of a numeric question against a multiple-choice one on the same scenario
  (server time through Django's test client, a fresh variant each request);
* ``validate_bank`` over the whole content folder (50 seeds of each parameterised question).

Targets: grading under 2 ms; the numeric page within 1.2x the multiple-choice one; validation
under 30 s. Runs in a throwaway database (SQLite in a temporary folder, or ``test_<name>``).
"""

import shutil
import statistics
import tempfile
import time
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import connection
from django.test import Client, override_settings
from django.urls import reverse

from quizzes import scenario_runs
from quizzes.content.bank import load_bank
from quizzes.content.sync import sync_content
from quizzes.content.validate import validate_bank
from quizzes.management.commands.bench_lab import host_for_client
from quizzes.models import Question
from quizzes.services import grading

NUMERIC_QID = "num-worked-updated-weight"
CHOICE_QID = "gd-sgd-update-weight"
"""Two questions on the same scenario (training-iteration): typed and multiple choice."""


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.3f} ms"


class Command(BaseCommand):
    help = "Time grading typed answers, the numeric practice page against a multiple-choice one, and validation."

    def add_arguments(self, parser):
        parser.add_argument("--repeat", type=int, default=30, help="measurements per figure (the median is printed)")

    def handle(self, *args, **options):
        repeat = max(3, options["repeat"])
        old_name = connection.settings_dict["NAME"]
        workdir = Path(tempfile.mkdtemp(prefix="bench-numeric-"))
        test_settings = connection.settings_dict.setdefault("TEST", {})
        if connection.vendor == "sqlite":
            test_settings["NAME"] = str(workdir / "bench.sqlite3")
        else:
            test_settings["NAME"] = f"test_{old_name}_bench_numeric"
        connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
        try:
            with override_settings(DEBUG=False):
                sync_content(root=Path(settings.CONTENT_DIR))
                self.grading(repeat)
                self.pages(repeat)
        finally:
            connection.creation.destroy_test_db(old_name, verbosity=0)
            shutil.rmtree(workdir, ignore_errors=True)
        self.validation()

    def grading(self, repeat: int) -> None:
        questions = [q for q in Question.objects.select_related("current_version")
                     if grading.is_numeric(q.current_version)]
        warm, cold, compare = [], [], []
        for question in questions:
            version = question.current_version
            for seed in range(repeat):
                scenario_runs._run.cache_clear()
                grading._KEYS.clear()
                started = time.perf_counter()
                key = grading.answer_key(version, seed)
                grading.grade(key, grading.parse_number(" 0.1234 "))
                cold.append(time.perf_counter() - started)
                started = time.perf_counter()
                key = grading.answer_key(version, seed)
                grading.grade(key, grading.parse_number(" 0.1234 "))
                warm.append(time.perf_counter() - started)
                started = time.perf_counter()
                grading.grade(key, grading.parse_number(repr(key.misconceptions[0][1]) if key.misconceptions
                                                        else "-1.2e-3"))
                compare.append(time.perf_counter() - started)
        self.stdout.write(f"grading a typed answer, {len(questions)} numeric questions x {repeat} seeds "
                          f"(target < 2 ms):")
        for label, times in (("parse + compare (key known)", compare),
                             ("parse + answer key (cached) + compare", warm),
                             ("parse + answer key (cold: scenario re-run) + compare", cold)):
            self.stdout.write(f"  {label:<54} median {ms(statistics.median(times))}, "
                              f"max {ms(max(times))}")

    def pages(self, repeat: int) -> None:
        user = get_user_model().objects.create_user("bench-numeric", password="bench-numeric-pass-1")
        client = Client(HTTP_HOST=host_for_client())
        client.force_login(user)
        figures, cpu = {}, {}
        for qid in (CHOICE_QID, NUMERIC_QID, CHOICE_QID, NUMERIC_QID):  # interleaved, second round kept
            times, cpu_times = [], []
            for seed in range(1000, 1000 + repeat):
                opened = client.get(reverse("practice_permalink", args=[qid]) + f"?seed={seed}")
                if opened.status_code != 302:
                    raise RuntimeError(f"{qid} seed {seed}: {opened.status_code}")
                started, started_cpu = time.perf_counter(), time.process_time()
                page = client.get(reverse("practice_question"))
                times.append(time.perf_counter() - started)
                cpu_times.append(time.process_time() - started_cpu)
                if page.status_code != 200:
                    raise RuntimeError(f"{qid} practice page answered {page.status_code}")
            figures[qid], cpu[qid] = statistics.median(times), statistics.median(cpu_times)
        ratio = figures[NUMERIC_QID] / figures[CHOICE_QID]
        cpu_ratio = cpu[NUMERIC_QID] / cpu[CHOICE_QID]
        self.stdout.write(f"practice question page, median of {repeat} fresh variants (target ratio <= 1.2; "
                          "CPU time is less disturbed by other processes):")
        self.stdout.write(f"  multiple choice {CHOICE_QID:<28} {ms(figures[CHOICE_QID])} (CPU {ms(cpu[CHOICE_QID])})")
        self.stdout.write(f"  numeric         {NUMERIC_QID:<28} {ms(figures[NUMERIC_QID])} (CPU {ms(cpu[NUMERIC_QID])})"
                          f"  ratio {ratio:.2f} (CPU {cpu_ratio:.2f})")

    def validation(self) -> None:
        bank = load_bank(Path(settings.CONTENT_DIR))
        started, started_cpu = time.perf_counter(), time.process_time()
        errors = validate_bank(bank)
        elapsed, elapsed_cpu = time.perf_counter() - started, time.process_time() - started_cpu
        numeric = sum(1 for q in bank.questions if q.answer is not None)
        self.stdout.write(f"validate_bank over {len(bank.questions)} questions ({numeric} numeric): "
                          f"{elapsed:.1f} s (CPU {elapsed_cpu:.1f} s), {len(errors)} problem(s) (target < 30 s)")
