"""Finish and grade exam attempts whose deadline passed while the student was away.

Run it from cron (every few minutes) so abandoned attempts get a score and appear in exports
and statistics without waiting for the student; instructor pages run it too. Idempotent and
safe to run while another copy runs.
"""

from django.core.management.base import BaseCommand
from django.utils import timezone

from quizzes.services.overdue import grade_overdue_attempts, overdue_attempt_ids


class Command(BaseCommand):
    help = "Finish (as timed out) and grade every open exam attempt past its deadline."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="list the overdue attempts, change nothing")

    def handle(self, *args, **options):
        now = timezone.now()
        if options["dry_run"]:
            ids = overdue_attempt_ids(when=now)
            self.stdout.write(f"{len(ids)} overdue attempt(s) would be graded" + (f": {ids}" if ids else ""))
            return
        graded = grade_overdue_attempts(when=now)
        if graded or options["verbosity"] > 1:
            self.stdout.write(f"{len(graded)} overdue attempt(s) graded" + (f": {graded}" if graded else ""))
