"""Benchmark: what a throttled login attempt costs next to a failed one that hashes a password.

Why: password hashing is deliberately slow (hundreds of milliseconds of CPU), so unthrottled
guessing starves the students' pages. A throttled attempt must be refused before any hashing;
the target is under 50 ms. Prints figures; asserts nothing. Runs in a throwaway database (a
temporary SQLite file, or ``test_<NAME>_bench_login`` on PostgreSQL) with the configured
password hasher; the real database is never touched.
"""

import shutil
import statistics
import tempfile
import time
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.management.base import BaseCommand
from django.db import connection
from django.test import Client
from django.test.utils import override_settings
from django.urls import reverse

from quizzes.throttle import LOGIN_IP


def _time(client: Client, data: dict, ip: str, repeat: int) -> tuple[list[float], set[int]]:
    times, codes = [], set()
    for _ in range(repeat):
        started = time.perf_counter()
        response = client.post(reverse("login"), data, REMOTE_ADDR=ip)
        times.append(1000 * (time.perf_counter() - started))
        codes.add(response.status_code)
    return times, codes


class Command(BaseCommand):
    help = "Time a failed login (hashes a password) against a throttled one (must not), in ms."

    def add_arguments(self, parser):
        parser.add_argument("--repeat", type=int, default=20)

    def handle(self, *args, **options):
        old_name = connection.settings_dict["NAME"]
        workdir = Path(tempfile.mkdtemp(prefix="bench-login-"))
        test_settings = connection.settings_dict.setdefault("TEST", {})
        test_settings["NAME"] = (str(workdir / "bench.sqlite3") if connection.vendor == "sqlite"
                                 else f"test_{old_name}_bench_login")
        test_db = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
        try:
            with override_settings(DEBUG=False, ALLOWED_HOSTS=["testserver"]):
                cache.clear()
                get_user_model().objects.create_user("victim", password="the-right-password-2026")
                client = Client()
                wrong = {"username": "victim", "password": "wrong"}
                hashed, codes_hashed = _time(client, wrong, "10.0.0.1", settings.AXES_FAILURE_LIMIT - 1)
                _time(client, wrong, "10.0.0.1", 1)  # the failure that locks the account
                locked, codes_locked = _time(client, {**wrong, "password": "the-right-password-2026"},
                                             "10.0.0.2", options["repeat"])
                for n in range(LOGIN_IP.limit):
                    client.post(reverse("login"), {"username": f"nobody{n}", "password": "x"}, REMOTE_ADDR="10.0.0.3")
                ip_locked, codes_ip = _time(client, {"username": "someone", "password": "x"}, "10.0.0.3",
                                            options["repeat"])
                cache.clear()
        finally:
            connection.creation.destroy_test_db(old_name, verbosity=0)
            shutil.rmtree(workdir, ignore_errors=True)
        self.stdout.write(f"database: {connection.vendor} (throwaway {test_db}); "
                          f"hasher: {settings.PASSWORD_HASHERS[0].rsplit('.', 1)[-1]}")
        for label, times, codes in [("failed login (hashes)", hashed, codes_hashed),
                                    ("account locked (axes)", locked, codes_locked),
                                    ("IP throttled", ip_locked, codes_ip)]:
            self.stdout.write(f"{label:24s} median {statistics.median(times):7.1f} ms   "
                              f"max {max(times):7.1f} ms   status {sorted(codes)}   (n={len(times)})")
        worst = max(statistics.median(locked), statistics.median(ip_locked))
        self.stdout.write(f"throttled attempt median {worst:.1f} ms (target < 50 ms)")
