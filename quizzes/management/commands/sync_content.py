"""Publish content/ to the database: validate everything first, then write in one transaction."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from quizzes.content.errors import ContentInvalid
from quizzes.content.sync import sync_content


class Command(BaseCommand):
    help = (
        "Validate content/ and load it in one transaction: a changed file makes a new question "
        "version, a removed one retires its question. A bad file changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true",
                            help="say what would change, and change nothing")

    def handle(self, *args, **options):
        try:
            report = sync_content(root=Path(settings.CONTENT_DIR), dry_run=options["dry_run"])
        except ContentInvalid as invalid:
            for error in invalid.errors:
                self.stderr.write(str(error))
            raise CommandError(
                f"{len(invalid.errors)} problem(s); nothing was synced", returncode=1
            ) from None
        if options["verbosity"] >= 1:
            if report.dry_run:
                self.stdout.write("Dry run: nothing was written.")
            for line in report.lines():
                self.stdout.write(line)
