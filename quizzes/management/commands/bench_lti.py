"""Benchmark: the server time of an LTI 1.3 launch, in a throwaway database.

Prints figures; asserts nothing. The LMS is the test suite's platform simulator
(``tests/quizzes/lti/platform.py``: needs ``requirements-dev.txt``), its HTTP endpoints answered
in-process by ``responses``. Timed is the tool's work only: Django's test client POSTing the
signed id_token to ``/lti/launch/`` (signature check, nonce, accounts, cohort, redirect), and
separately the OIDC login initiation ``/lti/login/``. "first" launches are new students (the
account, the LTI user and the membership are created); "again" launches are returning ones.
Target: a launch under 300 ms.
"""

import shutil
import statistics
import tempfile
import time
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import connection
from django.test import Client, override_settings

from quizzes.content.sync import sync_content

TARGET_MS = 300.0


class Command(BaseCommand):
    help = "Time LTI launches (login initiation and the signed launch POST) against a simulated LMS."

    def add_arguments(self, parser):
        parser.add_argument("--repeat", type=int, default=30, help="launches per figure (the median is printed)")

    def handle(self, *args, **options):
        old_name = connection.settings_dict["NAME"]
        workdir = Path(tempfile.mkdtemp(prefix="bench-lti-"))
        test_settings = connection.settings_dict.setdefault("TEST", {})
        if connection.vendor == "sqlite":
            test_settings["NAME"] = str(workdir / "bench.sqlite3")
        else:
            test_settings["NAME"] = f"test_{old_name}_bench_lti"
        test_db = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
        try:
            with override_settings(DEBUG=False, ALLOWED_HOSTS=["testserver"]):
                sync_content(root=Path(settings.CONTENT_DIR))
                figures = self.run(max(1, options["repeat"]))
        finally:
            connection.creation.destroy_test_db(old_name, verbosity=0)
            shutil.rmtree(workdir, ignore_errors=True)
        self.stdout.write(f"database: {connection.vendor} (throwaway {test_db}); median (max) of "
                          f"{options['repeat']} requests, Django test client, no network")
        for name, times in figures.items():
            median = statistics.median(times)
            self.stdout.write(f"{name:<46} {median:7.1f} ms  (max {max(times):6.1f} ms)"
                              + (f"  target < {TARGET_MS:.0f} ms, {median / TARGET_MS:.2f}x of target"
                                 if name.startswith("launch") else ""))
        self.stdout.write("(wall time on a shared machine includes waiting for the CPU; the CPU lines "
                          "are this process's own time for the same requests)")

    def run(self, repeat: int) -> dict[str, list[float]]:
        import responses

        from quizzes.lti.models import LtiGradePost
        from quizzes.lti.tool import forget_platform_keys
        from quizzes.models import Exam
        from tests.quizzes.lti.platform import INSTRUCTOR, LEARNER, Platform

        forget_platform_keys()
        exam = Exam.objects.active().order_by("slug").first()
        custom = {"exam": exam.slug} if exam else None
        figures: dict[str, list[float]] = {"login initiation (/lti/login/)": [],
                                           "launch, new student (exam link)": [],
                                           "launch, returning student (exam link)": [],
                                           "launch, instructor (course page)": []}
        with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
            platform = Platform()
            platform.register()
            platform.serve(mock)
            self._launch(platform, "warm-up", LEARNER, custom, {})  # imports, templates, platform keys
            for n in range(repeat):
                self._launch(platform, f"bench-{n}", LEARNER, custom, figures, "launch, new student (exam link)")
            for n in range(repeat):
                self._launch(platform, f"bench-{n}", LEARNER, custom, figures,
                             "launch, returning student (exam link)")
            for _ in range(repeat):
                self._launch(platform, "bench-teacher", INSTRUCTOR, None, figures, "launch, instructor (course page)")
        assert not LtiGradePost.objects.exists()
        return figures

    @staticmethod
    def _launch(platform, sub, role, custom, figures, name=None) -> None:
        client = Client()
        started = time.perf_counter()
        login = platform.login(client)
        elapsed = (time.perf_counter() - started) * 1000
        if name:
            figures["login initiation (/lti/login/)"].append(elapsed)
        auth_request = dict(parse_qsl(urlsplit(login["Location"]).query))
        token = platform.id_token(auth_request, sub=sub, roles=[role], custom=custom)
        started, cpu = time.perf_counter(), time.process_time()
        response = client.post("/lti/launch/", {"id_token": token, "state": auth_request["state"]})
        elapsed, cpu = (time.perf_counter() - started) * 1000, (time.process_time() - cpu) * 1000
        if response.status_code != 302:
            raise RuntimeError(f"launch answered {response.status_code}: {response.content[:300]!r}")
        if name:
            figures[name].append(elapsed)
            figures.setdefault(name.replace("launch", "  CPU of launch", 1), []).append(cpu)
