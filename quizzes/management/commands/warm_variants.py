"""Render every variant students can be given into the shared cache, ahead of the class.

Run it after each deploy and each ``sync_content`` (a deploy's code and a new version both start
new cache keys), and daily from cron (shared variants expire after a day): variants already in
the cache are read, not rendered again, so a warm run costs seconds. Without ``REDIS_URL`` every
process keeps its own variants and there is nothing to share: the command says so and does
nothing; with a Redis that does not answer it stops with an error. Safe to run while the site
serves students.
"""

from __future__ import annotations

import multiprocessing
import os
import time

from django.core.management.base import BaseCommand, CommandError

from quizzes import sharedcache
from quizzes.http.health import cache_health
from quizzes.models import Question, QuestionVersion
from quizzes.selectors.variants import VARIANT_POOL, warm_pool


class Command(BaseCommand):
    help = "Render the variant pool of every published question into the shared (Redis) cache."

    def add_arguments(self, parser):
        parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1,
                            help="processes rendering at once (default: one per CPU)")
        parser.add_argument("--question", action="append", default=[], metavar="QID",
                            help="only this question (repeatable)")

    def handle(self, *args, **options):
        if not sharedcache.enabled():
            self.stdout.write("REDIS_URL is not set: each process renders a variant the first time it shows it "
                              "and keeps it; there is no shared cache to warm. Nothing done.")
            return
        if options["jobs"] < 1:
            raise CommandError("--jobs must be at least 1")
        health = cache_health()
        if not health["ok"]:  # every render would be computed and thrown away
            raise CommandError(f"the shared cache does not answer ({health['error']}): nothing warmed")
        questions = Question.objects.published()
        if options["question"]:
            questions = questions.filter(qid__in=options["question"])
            missing = sorted(set(options["question"]) - set(questions.values_list("qid", flat=True)))
            if missing:
                raise CommandError(f"no published question with id {', '.join(missing)}")
        versions = list(QuestionVersion.objects.filter(pk__in=questions.values("current_version"))
                        .order_by("pk").only("pk", "content_hash", "data"))
        started = time.perf_counter()
        rendered = self._warm(versions, options["jobs"])
        self.stdout.write(f"{len(versions)} question(s) x {VARIANT_POOL} seeds: {rendered} variant(s) rendered, "
                          f"the others already cached ({time.perf_counter() - started:.1f} s)")

    def _warm(self, versions: list[QuestionVersion], jobs: int) -> int:
        """Return how many variants were rendered, over ``jobs`` processes (each version's pool in one)."""
        if jobs == 1 or len(versions) < 2:
            return sum(warm_pool(version) for version in versions)
        # Each version is passed whole, so the children never use the database. They leave the
        # connection they inherit alone (and exit without closing it): closing it here instead
        # would end a transaction the caller has open.
        with multiprocessing.get_context("fork").Pool(min(jobs, len(versions))) as pool:
            return sum(pool.imap_unordered(warm_pool, versions))
