"""Benchmark: exporting the whole bank (each format) and downloading a run's notebook.

Prints figures; asserts nothing (speed is checked by reading them, never by a timed test).
The export starts with the lab's run cache empty, so every variant's scenario really runs.
Targets: the whole bank (about 100 questions, 5 variants each) exports in under 10 s; a
notebook download takes under 200 ms of server time (median, Django test client).
"""

import shutil
import statistics
import tempfile
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from django.test import Client
from django.urls import reverse

from cnncore.scenarios import all_scenarios
from quizzes import scenario_runs
from quizzes.content.bank import load_bank
from quizzes.interchange.service import FORMATS, export_bank, plan_file

from .bench_lab import host_for_client

EXPORT_TARGET_S = 10.0
NOTEBOOK_TARGET_MS = 200.0


class Command(BaseCommand):
    help = "Time exporting the whole bank (moodle-xml, gift, qti3), importing it back, and notebook downloads."

    def add_arguments(self, parser):
        parser.add_argument("--variants", type=int, default=5, help="variants per parameterised question")
        parser.add_argument("--repeat", type=int, default=15, help="notebook downloads per scenario (median)")

    def handle(self, *args, **options):
        root = Path(settings.CONTENT_DIR)
        questions = len(load_bank(root).questions)
        self.stdout.write(f"bank: {questions} questions, {options['variants']} variants per parameterised one")
        worst = 0.0
        exported = {}
        for fmt in FORMATS:
            scenario_runs.cache_clear()
            started = time.perf_counter()
            result = export_bank(root=root, fmt=fmt, variants=options["variants"])
            seconds = time.perf_counter() - started
            worst = max(worst, seconds)
            exported[fmt] = result.data
            self.stdout.write(f"export {fmt:<11} {seconds:6.2f} s  {result.items} items, {len(result.data):,} bytes")
        self.stdout.write(f"slowest export: {worst:.2f} s (target < {EXPORT_TARGET_S:.0f} s, "
                          f"{worst / EXPORT_TARGET_S:.2f}x of target)")
        self._import_back(root, exported["moodle-xml"])
        self._notebooks(max(1, options["repeat"]))

    def _import_back(self, root: Path, data: bytes) -> None:
        """Time checking an import of the exported pooling questions into an empty copy of the bank."""
        with tempfile.TemporaryDirectory() as folder:
            copy = Path(folder) / "content"
            (copy / "questions").mkdir(parents=True)
            for name in ("topics.yml", "misconceptions.yml"):
                shutil.copy(root / name, copy)
            path = Path(folder) / "pooling.xml"
            path.write_bytes(export_bank(root=root, fmt="moodle-xml", pattern="pooling/*").data)
            started = time.perf_counter()
            plan = plan_file(path=path, root=copy, topic="pooling")
            seconds = time.perf_counter() - started
        self.stdout.write(f"import check (pooling, {len(plan.files)} questions, Moodle XML): {seconds:.2f} s")

    def _notebooks(self, repeat: int) -> None:
        client = Client(HTTP_HOST=host_for_client())
        self.stdout.write(f"notebook download, median of {repeat} (a new seed each request):")
        figures = []
        for scenario in all_scenarios():
            url = reverse("lab_notebook", args=[scenario.name])
            client.get(url)  # warm up
            times = []
            for index in range(repeat):
                started = time.perf_counter()
                response = client.get(f"{url}?seed={3000 + index}")
                times.append((time.perf_counter() - started) * 1000)
                if response.status_code != 200:
                    raise RuntimeError(f"{url} answered {response.status_code}")
            figures.append(statistics.median(times))
            self.stdout.write(f"  {scenario.name:<24} {figures[-1]:6.1f} ms  {len(response.content) / 1024:5.1f} KB")
        slowest = max(figures)
        self.stdout.write(f"slowest notebook download: {slowest:.1f} ms median (target < {NOTEBOOK_TARGET_MS:.0f} ms, "
                          f"{slowest / NOTEBOOK_TARGET_MS:.2f}x of target)")
