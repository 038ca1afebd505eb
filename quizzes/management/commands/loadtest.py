"""Load test: N simulated students sign in, practise, take an exam with autosaves and submit.

Why: a class taking an exam at once is the load this site must carry, and the promise that
matters is "an acknowledged answer is never lost, an attempt is graded once". This command
prepares the site as a deploy does (migrate, sync content, warm the variants' cache with
``warm_variants`` unless ``--cold``) and creates the load-test students,
starts gunicorn app servers on 127.0.0.1 under the same settings, drives them with Locust
(headless, bounded in users and time; ``loadtest/locustfile.py``), prints p50/p95/p99 per
endpoint and the errors, then checks the database against what the students were told.
It exits with an error when an acknowledged answer is missing or an attempt was graded twice.

Use the benchmark settings and a throwaway database (``make loadtest`` does):
``DJANGO_SETTINGS_MODULE=config.settings.bench DATABASE_URL=... [REDIS_URL=...] manage.py loadtest``.
"""

from __future__ import annotations

import csv
import os
import re
import subprocess
import sys
import tempfile
from contextlib import ExitStack
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from quizzes.bench.servers import ROOT, Gunicorn, free_port
from quizzes.bench.verify import read_record, verify

from .create_loadtest_students import DEFAULT_PASSWORD, DEFAULT_PREFIX

GUNICORN_PROBLEM = re.compile(r"\[(?:CRITICAL|ERROR|WARNING)\] .*")
"""gunicorn's own log lines worth a look, e.g. ``[CRITICAL] WORKER TIMEOUT (pid:123)``."""
PID = re.compile(r"\(pid:\d+\)")

LOCUSTFILE = ROOT / "loadtest" / "locustfile.py"
LOCAL_HOSTS = {"127.0.0.1", "localhost"}


class Command(BaseCommand):
    help = "Simulate N students against gunicorn on 127.0.0.1 with Locust; print latencies; check no answer was lost."

    def add_arguments(self, parser):
        parser.add_argument("--users", type=int, default=50, help="simulated students (at most 1000)")
        parser.add_argument("--seconds", type=int, default=60, help="length of the run (at most 1800)")
        parser.add_argument("--spawn-rate", type=float, default=2,
                            help="students signing in per second (each sign-in hashes a password: ~0.3 s of CPU)")
        parser.add_argument("--think", type=float, nargs=2, default=[5, 15], metavar=("MIN", "MAX"),
                            help="seconds a student thinks between actions")
        parser.add_argument("--servers", type=int, default=1, help="gunicorn processes, each on its own port")
        parser.add_argument("--workers", type=int, default=2, help="workers per gunicorn")
        parser.add_argument("--threads", type=int, default=4, help="threads per worker (gthread)")
        parser.add_argument("--exam", default="backprop-quiz", help="slug of the exam the students take")
        parser.add_argument("--practice", type=int, default=2, help="practice questions before each exam")
        parser.add_argument("--cold", action="store_true",
                            help="skip warm_variants: the class's first students render the variants they are given")
        parser.add_argument("--url", action="append", default=[],
                            help="use these running servers (127.0.0.1 only) instead of starting gunicorn")

    def handle(self, *args, **options):
        users, seconds = options["users"], options["seconds"]
        if not 1 <= users <= 1000 or not 5 <= seconds <= 1800:
            raise CommandError("--users must be 1-1000 and --seconds 5-1800")
        for url in options["url"]:
            if urlsplit(url).hostname not in LOCAL_HOSTS:
                raise CommandError(f"{url}: the load test runs against 127.0.0.1 only")
        database = connection.settings_dict
        self.stdout.write(f"database: {connection.vendor} {database.get('NAME')}; cache: "
                          f"{'redis ' + settings.REDIS_URL if settings.REDIS_URL else 'per-process memory'}")
        call_command("migrate", "--noinput", verbosity=0)
        call_command("sync_content", verbosity=0)
        if not options["cold"]:
            call_command("warm_variants", stdout=self.stdout)
        call_command("create_loadtest_students", count=users, verbosity=0)
        connection.close()  # the servers and this check use their own connections
        with tempfile.TemporaryDirectory(prefix="loadtest-") as tmp, ExitStack() as servers:
            hosts = options["url"] or [
                servers.enter_context(Gunicorn(port=free_port(), env={}, workers=options["workers"],
                                               threads=options["threads"], log=Path(tmp) / f"gunicorn-{n}.log")).url
                for n in range(options["servers"])
            ]
            self.stdout.write(f"{len(hosts)} app server(s): {', '.join(hosts)}; {users} students, {seconds} s, "
                              f"think {options['think'][0]:g}-{options['think'][1]:g} s")
            record = Path(tmp) / "acknowledged.jsonl"
            self._locust(options, hosts, record, Path(tmp) / "stats")
            self._print_stats(Path(tmp) / "stats")
            self._print_server_errors(sorted(Path(tmp).glob("gunicorn-*.log")))
            entries = read_record(record) if record.exists() else []
        report = verify(entries)
        self.stdout.write(f"\ndatabase check: {report.exam_answers} acknowledged autosaves, "
                          f"{report.practice_answers} practice answers, {report.submissions} submissions")
        self.stdout.write(f"  {report.resent} request(s) sent again on a new connection, as a browser does, after "
                          f"the server closed an idle kept-alive connection as they were sent")
        if not report.ok:
            for problem in report.problems[:50]:
                self.stderr.write(f"  LOST OR WRONG: {problem}")
            raise CommandError(f"{len(report.problems)} acknowledged results do not match the database")
        self.stdout.write("  every acknowledged answer is stored; every attempt graded once")

    def _locust(self, options: dict, hosts: list[str], record: Path, stats: Path) -> None:
        env = {**os.environ, "LOADTEST_PREFIX": DEFAULT_PREFIX, "LOADTEST_PASSWORD": DEFAULT_PASSWORD,
               "LOADTEST_STUDENTS": str(options["users"]), "LOADTEST_THINK_MIN": str(options["think"][0]),
               "LOADTEST_THINK_MAX": str(options["think"][1]), "LOADTEST_EXAM": options["exam"],
               "LOADTEST_PRACTICE": str(options["practice"]), "LOADTEST_RECORD": str(record),
               "LOADTEST_HOSTS": ",".join(hosts)}
        command = [sys.executable, "-m", "locust", "-f", str(LOCUSTFILE), "--headless", "--only-summary",
                   "--users", str(options["users"]), "--spawn-rate", str(options["spawn_rate"]),
                   "--run-time", f"{options['seconds']}s", "--stop-timeout", "0", "--host", hosts[0],
                   "--csv", str(stats), "--exit-code-on-error", "0", "--loglevel", "WARNING"]
        result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True,
                                timeout=options["seconds"] + 300)
        if result.returncode != 0:
            raise CommandError(f"locust failed ({result.returncode}):\n{result.stdout[-3000:]}\n"
                               f"{result.stderr[-3000:]}")

    def _print_stats(self, stats: Path) -> None:
        rows = list(csv.DictReader(open(f"{stats}_stats.csv", newline="")))
        self.stdout.write(f"\n{'endpoint':<46} {'requests':>8} {'errors':>6} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7}")
        for row in rows:
            name = row["Name"] if row["Name"] != "Aggregated" else "all requests"
            self.stdout.write(f"{name:<46} {row['Request Count']:>8} {row['Failure Count']:>6} "
                              f"{row['50%']:>7} {row['95%']:>7} {row['99%']:>7}")
        failures = list(csv.DictReader(open(f"{stats}_failures.csv", newline="")))
        if failures:
            self.stdout.write("\nerrors:")
            for row in failures:
                self.stdout.write(f"  {row['Occurrences']:>5} x {row['Method']} {row['Name']}: {row['Error'][:160]}")
        else:
            self.stdout.write("errors: none")

    def _print_server_errors(self, logs: list[Path]) -> None:
        """Print each distinct problem the app servers logged: the last line of each traceback, and
        gunicorn's own warnings (a worker timed out or was killed: what a client sees as a reset)."""
        seen: dict[str, int] = {}
        for log in logs:
            lines = log.read_text(errors="replace").splitlines()
            for line, following in zip(lines, [*lines[1:], ""], strict=False):
                gunicorn = GUNICORN_PROBLEM.search(line)
                if gunicorn:
                    key = PID.sub("(pid:N)", gunicorn.group(0))[:200]
                    seen[key] = seen.get(key, 0) + 1
                elif line and not line.startswith((" ", "Traceback", "Internal Server Error")) \
                        and ("Error" in line or "Exception" in line) \
                        and not following.startswith(" "):
                    seen[line[:200]] = seen.get(line[:200], 0) + 1
        for line, count in seen.items():
            self.stdout.write(f"  server log: {count} x {line}")
