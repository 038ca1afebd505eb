"""Export the question bank for an LMS: Moodle XML, GIFT or a QTI 3.0 package.

A parameterised question becomes ``--variants`` fixed variants, each with its own numbers,
named ``<id> (variant k of N, seed S)`` in a category per question.
"""

import sys
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from quizzes.interchange.build import DEFAULT_VARIANTS, MAX_VARIANTS
from quizzes.interchange.service import FORMATS, ExportRefused, export_bank


class Command(BaseCommand):
    help = "Export questions as Moodle XML, GIFT or a QTI 3.0 package (zip); OUT '-' writes to stdout."

    def add_arguments(self, parser):
        parser.add_argument("out", help="the file to write ('-' for standard output; not for qti3)")
        parser.add_argument("--format", required=True, choices=FORMATS)
        parser.add_argument("--questions", default=None, metavar="GLOB",
                            help="ids (or topic/id) to export, e.g. 'conv-*' or 'pooling/*' (default: all)")
        parser.add_argument("--variants", type=int, default=DEFAULT_VARIANTS,
                            help=f"variants per parameterised question (1 to {MAX_VARIANTS}; "
                                 f"default {DEFAULT_VARIANTS})")

    def handle(self, *args, **options):
        variants = options["variants"]
        if not 1 <= variants <= MAX_VARIANTS:
            raise CommandError(f"--variants must be 1 to {MAX_VARIANTS}, got {variants}")
        if options["out"] == "-" and options["format"] == "qti3":
            raise CommandError("a QTI package is a zip file: give a file name, not '-'")
        try:
            result = export_bank(root=Path(settings.CONTENT_DIR), fmt=options["format"],
                                 pattern=options["questions"], variants=variants)
        except ExportRefused as error:
            raise CommandError(str(error)) from None
        if options["out"] == "-":
            sys.stdout.write(result.data.decode("utf-8"))
            return
        Path(options["out"]).write_bytes(result.data)
        if options["verbosity"] >= 1:
            self.stdout.write(self.style.SUCCESS(
                f"Wrote {result.questions} question(s) as {result.items} item(s) to {options['out']} "
                f"({options['format']}, {len(result.data):,} bytes)."))
