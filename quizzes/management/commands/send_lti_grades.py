"""Send exam grades waiting for the LMS gradebook (LTI Assignment and Grade Services).

Run it from cron (every few minutes): each due grade is posted once; a failure is retried
later with exponential backoff (30 s doubling, at most 6 h). Nothing is dropped.
"""

from django.core.management.base import BaseCommand

from quizzes.lti.grades import due_posts, send_due
from quizzes.lti.storage import purge_expired


class Command(BaseCommand):
    help = "Post due LTI grades to the platforms; retry failed ones whose next try has come."

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true", help="also send the ones still waiting for their next try")
        parser.add_argument("--dry-run", action="store_true", help="list what would be sent, send nothing")

    def handle(self, *args, **options):
        if options["dry_run"]:
            rows = due_posts(include_waiting=options["all"]).select_related("attempt__exam", "launch__lti_user")
            for row in rows:
                self.stdout.write(f"would send {row.score_given:g}/{row.score_maximum:g} for {row.attempt.exam.slug} "
                                  f"to {row.launch.lti_user.sub} ({row.status}, {row.tries} tries)")
            self.stdout.write(f"{rows.count()} grade(s) due.")
            return
        counts = send_due(include_waiting=options["all"])
        purged = purge_expired()
        note = f"; purged {purged} expired launch entries" if purged and options["verbosity"] > 1 else ""
        self.stdout.write(f"sent {counts['sent']}, failed {counts['failed']}, skipped {counts['skipped']}{note}")
