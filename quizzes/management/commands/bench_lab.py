"""Benchmark: the server time of every lab scenario's JSON API call and page.

Prints figures; asserts nothing (speed is checked by reading them, never by a timed test).
Each request goes through Django's test ``Client`` (the whole middleware stack, no network).
"Fresh" requests use a new seed each time, so the run is never an LRU cache hit; "cached"
requests repeat one URL, so they measure presentation and JSON alone. The target: the
``training-iteration`` page renders in under 100 ms (median, fresh).
"""

import statistics
import time

from django.conf import settings
from django.core.management.base import BaseCommand
from django.test import Client
from django.urls import reverse

from cnncore.scenarios import all_scenarios, get
from quizzes import scenario_runs
from quizzes.lab.query import canonical_query

TARGET_SCENARIO = "training-iteration"
TARGET_MS = 100.0


def median_ms(client: Client, urls: list[str]) -> float:
    """Return the median time in ms of GETting each of ``urls`` once (each must answer 200)."""
    times = []
    for url in urls:
        started = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            raise RuntimeError(f"{url} answered {response.status_code}")
    return statistics.median(times)


def host_for_client() -> str:
    """Return a host name the settings allow (the test client's default may not be)."""
    named = [h for h in settings.ALLOWED_HOSTS if h and "*" not in h and not h.startswith(".")]
    return named[0] if named else "localhost"


class Command(BaseCommand):
    help = "Time every lab scenario's API call and page (median of N), fresh and cached."

    def add_arguments(self, parser):
        parser.add_argument("--repeat", type=int, default=15, help="requests per figure (N)")
        parser.add_argument("--scenario", action="append", default=[],
                            help="only this scenario (repeatable)")

    def handle(self, *args, **options):
        repeat = max(1, options["repeat"])
        client = Client(HTTP_HOST=host_for_client())
        names = options["scenario"] or [s.name for s in all_scenarios()]
        self.stdout.write(f"median of {repeat} requests, Django test client, DEBUG={settings.DEBUG}; "
                          "fresh = a new seed each request (no cache hit), cached = one URL repeated")
        self.stdout.write(f"{'scenario':<24} {'api fresh':>10} {'api cached':>11} "
                          f"{'page fresh':>11} {'page cached':>12} {'page size':>10}")
        figures = {}
        for name in names:
            api, page = reverse("lab_api_scenario", args=[name]), reverse("lab_scenario", args=[name])
            client.get(page)  # warm up: imports, templates
            scenario_runs.cache_clear()
            api_fresh = median_ms(client, [f"{api}?seed={1000 + i}" for i in range(repeat)])
            page_fresh = median_ms(client, [f"{page}?seed={2000 + i}" for i in range(repeat)])
            client.get(f"{api}?seed=7")
            api_cached = median_ms(client, [f"{api}?seed=7"] * repeat)
            page_cached = median_ms(client, [f"{page}?seed=7"] * repeat)
            size = len(client.get(f"{page}?seed=7").content)
            figures[name] = page_fresh
            self.stdout.write(f"{name:<24} {api_fresh:>8.1f}ms {api_cached:>9.1f}ms "
                              f"{page_fresh:>9.1f}ms {page_cached:>10.1f}ms {size / 1024:>8.0f}KB")
        if TARGET_SCENARIO in figures:
            fresh = figures[TARGET_SCENARIO]
            self.stdout.write(f"{TARGET_SCENARIO} page, fresh: {fresh:.1f} ms median "
                              f"(target < {TARGET_MS:.0f} ms, {fresh / TARGET_MS:.2f}x of target)")
        if TARGET_SCENARIO in figures:
            self.worked_example_figures(client, repeat)

    def worked_example_figures(self, client: Client, repeat: int) -> None:
        """Print issue 11's targets: 30 iterations at the largest parameters, and the defaults page."""
        scenario = get(TARGET_SCENARIO)
        largest = {p.name: p.max for p in scenario.params if p.kind in ("int", "float")}
        query = canonical_query(scenario.validate(largest), 0).rsplit("&seed=", 1)[0]
        api, page = reverse("lab_api_scenario", args=[TARGET_SCENARIO]), reverse("lab_scenario", args=[TARGET_SCENARIO])
        scenario_runs.cache_clear()
        api_ms = median_ms(client, [f"{api}?{query}&seed={3000 + i}" for i in range(repeat)])
        page_ms = median_ms(client, [f"{page}?{query}&seed={4000 + i}" for i in range(repeat)])
        default_ms = median_ms(client, [f"{page}?seed={5000 + i}" for i in range(repeat)])
        size = len(client.get(page).content)
        self.stdout.write(f"{TARGET_SCENARIO} at {query}: API {api_ms:.1f} ms (target < 300), "
                          f"page {page_ms:.1f} ms (target < 400), fresh medians")
        self.stdout.write(f"{TARGET_SCENARIO} defaults page: {default_ms:.1f} ms median fresh (target < 50), "
                          f"{size / 1024:.0f} KB of HTML (target < 200)")
