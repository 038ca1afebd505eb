"""Import a Moodle XML or GIFT file into ``content/questions/<topic>/`` as markdown files.

Everything is checked first (the format, each question's type, the files it would write, as
validate_content would); one problem refuses the whole file and nothing is written. Then run
validate_content and sync_content as for any new file.
"""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from quizzes.interchange.model import ImportRefused
from quizzes.interchange.service import IMPORT_FORMATS, import_file, plan_file


class Command(BaseCommand):
    help = "Import a Moodle XML or GIFT file as content/questions/<topic>/<id>.md (all questions or none)."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--topic", required=True, help="the topic slug (topics.yml) the questions go to")
        parser.add_argument("--format", choices=IMPORT_FORMATS, default=None, help="default: from the file name")
        parser.add_argument("--scenario", default=None,
                            help="the lab scenario of questions that name none (default: the topic's first)")
        parser.add_argument("--dry-run", action="store_true", help="check and list the files, write nothing")
        parser.add_argument("--overwrite", action="store_true", help="replace files that already exist")

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"{options['file']}: no such file")
        arguments = {"path": path, "root": Path(settings.CONTENT_DIR), "topic": options["topic"],
                     "fmt": options["format"], "scenario": options["scenario"], "overwrite": options["overwrite"]}
        try:
            if options["dry_run"]:
                written = list(plan_file(**arguments).files)
            else:
                written = import_file(**arguments)
        except ImportRefused as refused:
            for problem in refused.problems:
                self.stderr.write(str(problem))
            raise CommandError(f"{len(refused.problems)} problem(s); nothing was written", returncode=1) from None
        verb = "Would write" if options["dry_run"] else "Wrote"
        for file in written:
            self.stdout.write(f"  {file}")
        self.stdout.write(self.style.SUCCESS(f"{verb} {len(written)} question file(s)."))
