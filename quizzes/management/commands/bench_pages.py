"""Benchmark: requests/s of the pages students hit most, against a bare signed-in Django page.

Why: a class taking an exam hits the exam question page and the autosave far more than
anything else; their cost per request, relative to the cheapest page Django can serve with a
session and a user, shows how much the site adds. Prints figures; asserts nothing.

A throwaway SQLite database (migrated, synced from ``content/``) is served by gunicorn with
two sync workers under ``config.settings.bench`` (DEBUG off, the control page routed); wrk
(or a threaded Python client) on 127.0.0.1 measures each target at 10, 50 and 300 connections,
in many short rounds that take the control and every page in turn, every other round in the
opposite order (medians of the per-round ratios: a shared machine's speed drifts within seconds).
Target: every page at least 0.8x the control's requests/s.
"""

from __future__ import annotations

import json
import statistics
import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import get_random_string

from quizzes.bench.load import Target, measure
from quizzes.bench.servers import Gunicorn, free_port, manage

TARGET_RATIO = 0.8
USERNAME = "bench-student"


def prepare() -> dict:
    """Create the benchmark student with an open exam attempt and a practice question; return cookies and URLs.

    Runs inside the benchmark's own database (``--prepare``), never against a real site's.
    """
    from django.contrib.auth import get_user_model
    from django.test import Client

    from quizzes.models import Exam, Topic
    from quizzes.services import exams, grading, practice
    from quizzes.views.practice import SESSION_KEY

    user, _ = get_user_model().objects.get_or_create(username=USERNAME)
    exam = max(Exam.objects.active(), key=lambda e: sum(s["count"] for s in e.sections))
    attempt = exams.exam_start(user=user, exam=exam, when=timezone.now())
    session = practice.practice_start(user=user, topic_slugs=list(Topic.objects.values_list("slug", flat=True)),
                                      difficulty=None)
    practice.practice_current(session=session, when=timezone.now())
    choice_item = next(item for item in attempt.responses.select_related("version").order_by("position")
                       if not grading.is_numeric(item.version))  # the autosave posts a choice
    client = Client()
    client.force_login(user)
    store = client.session
    store[SESSION_KEY] = session.pk
    store.save()
    csrf = get_random_string(32)
    return {
        "cookie": f"sessionid={store.session_key}; csrftoken={csrf}", "csrf": csrf,
        "control": "/bench/control/",
        "exam": reverse("attempt_question", args=[attempt.pk, 2]),
        "practice": reverse("practice_question"),
        "answer": reverse("attempt_answer", args=[attempt.pk, choice_item.position]),
        "questions": attempt.total,
    }


class Command(BaseCommand):
    help = "Requests/s of the exam and practice question pages and the autosave against a bare control page."

    def add_arguments(self, parser):
        parser.add_argument("--seconds", type=float, default=1.0, help="measuring time per target and round")
        parser.add_argument("--rounds", type=int, default=15,
                            help="rounds of every target in turn, every other one backwards (the figures are "
                                 "medians: the speed of a shared machine drifts by 30%% within seconds)")
        parser.add_argument("--connections", type=int, nargs="+", default=[10, 50, 300])
        parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers")
        parser.add_argument("--prepare", action="store_true", help=argparse_hidden())

    def handle(self, *args, **options):
        if options["prepare"]:
            self.stdout.write(json.dumps(prepare()))
            return
        with tempfile.TemporaryDirectory(prefix="bench-pages-") as tmp:
            env = {"DJANGO_SETTINGS_MODULE": "config.settings.bench", "REDIS_URL": "",
                   "DATABASE_URL": f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"}
            manage("migrate", "--noinput", env=env)
            manage("sync_content", env=env)
            setup = json.loads(manage("bench_pages", "--prepare", env=env).strip().splitlines()[-1])
            self._run(setup, env, options, Path(tmp))

    def _run(self, setup: dict, env: dict, options: dict, tmp: Path) -> None:
        server = Gunicorn(port=free_port(), env=env, workers=options["workers"], log=tmp / "gunicorn.log")
        headers = (("Cookie", setup["cookie"]),)
        post_headers = (*headers, ("X-CSRFToken", setup["csrf"]), ("HX-Request", "true"))
        with server:
            targets = [
                Target("control: bare signed-in page, 3 queries", server.url + setup["control"], headers=headers),
                Target(f"exam question page ({setup['questions']} in nav)", server.url + setup["exam"],
                       headers=headers),
                Target("practice question page", server.url + setup["practice"], headers=headers),
                Target("autosave POST (htmx)", server.url + setup["answer"], method="POST",
                       headers=post_headers, body="choice=1"),
            ]
            self.stdout.write(f"gunicorn {options['workers']} sync workers, SQLite, DEBUG off, 127.0.0.1; "
                              f"{options['rounds']} rounds of {options['seconds']:.0f} s per target, each round "
                              "measuring the control and every page in turn (every other round backwards); medians; "
                              f"target >= {TARGET_RATIO}x control")
            for target in targets:
                measure(target, connections=options["connections"][0], seconds=1)  # warm up caches and connections
            for connections in options["connections"]:
                self._report(server, targets, connections, options)

    @staticmethod
    def _round(server: Gunicorn, targets: list[Target], connections: int, seconds: float, *,
               backwards: bool) -> list:
        """Measure every target once, in order or (``backwards``) from the last, so that a drift of the
        machine's speed during a round favours no target; return the figures in the targets' order.

        Each measurement starts on idle workers: the requests the one before left queued are served first.
        """
        figures = {}
        for index in range(len(targets))[::-1] if backwards else range(len(targets)):
            server.settle()
            figures[index] = measure(targets[index], connections=connections, seconds=seconds)
        return [figures[index] for index in range(len(targets))]

    def _report(self, server: Gunicorn, targets: list[Target], connections: int, options: dict) -> None:
        """Measure every target in turn, ``rounds`` times; print median req/s and median ratio to the control."""
        rounds = [self._round(server, targets, connections, options["seconds"], backwards=bool(n % 2))
                  for n in range(options["rounds"])]
        self.stdout.write(f"\n{connections} connections")
        self.stdout.write(f"  {'target':<44} {'req/s':>8} {'x control':>10} {'requests':>9} {'errors':>7}")
        for index, target in enumerate(targets):
            figures = [figures[index] for figures in rounds]
            ratio = statistics.median(figure.requests_per_second / figures_of_round[0].requests_per_second
                                      for figure, figures_of_round in zip(figures, rounds, strict=True))
            verdict = "" if index == 0 else ("  ok" if ratio >= TARGET_RATIO else "  BELOW TARGET")
            self.stdout.write(f"  {target.name:<44} {statistics.median(f.requests_per_second for f in figures):>8.1f} "
                              f"{ratio:>9.2f}x {sum(f.requests for f in figures):>9} {sum(f.bad for f in figures):>7}"
                              f"{verdict}")
        self.stdout.write("  (per round, x control: " + "; ".join(
            ", ".join(f"{f.requests_per_second / r[0].requests_per_second:.2f}" for f in r[1:]) for r in rounds)
            + f"; load generator: {rounds[0][0].tool})")


def argparse_hidden() -> str:
    import argparse

    return argparse.SUPPRESS
