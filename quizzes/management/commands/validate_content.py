"""Check content files without touching the database, so authors see every problem at once."""

import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from quizzes.content.bank import load_bank, load_question_file
from quizzes.content.validate import validate_bank


class Command(BaseCommand):
    help = (
        "Validate the content folder (or only the given files and folders) and print every "
        "problem as path:line: message. Exits non-zero if there is any."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="*", help="files or folders to report on (default: all)")

    def handle(self, *args, **options):
        bank = load_bank(Path(settings.CONTENT_DIR))
        wanted = None
        if options["paths"]:
            wanted = set()
            for raw in options["paths"]:
                path = Path(raw)
                if not path.exists():
                    raise CommandError(f"{raw}: no such file or folder")
                files = sorted(path.rglob("*")) if path.is_dir() else [path]
                for file in (f for f in files if f.is_file()):
                    display = bank.display_path(file)
                    wanted.add(display)
                    if file.suffix == ".md" and not any(q.path == display for q in bank.questions) \
                            and not any(e.path == display for e in bank.exams):
                        question = load_question_file(bank, file)  # a file outside the bank
                        if question is not None:
                            bank.questions.append(question)
        started = time.perf_counter()
        errors = validate_bank(bank)
        elapsed = time.perf_counter() - started
        if wanted is not None:
            errors = [error for error in errors if error.path in wanted]
        for error in errors:
            self.stderr.write(str(error))
        checked = len(wanted) if wanted is not None else len(bank.questions) + len(bank.exams)
        if errors:
            raise CommandError(f"{len(errors)} problem(s) in {checked} file(s) checked", returncode=1)
        if options["verbosity"] >= 1:
            self.stdout.write(self.style.SUCCESS(
                f"OK: {len(bank.questions)} questions, {len(bank.exams)} exams, "
                f"{len(bank.topics)} topics; {checked} file(s) checked, no problems."
            ))
        if options["verbosity"] >= 2:
            numeric = sum(1 for q in bank.questions if q.answer is not None)
            self.stdout.write(f"validated in {elapsed:.1f} s ({numeric} numeric questions, 50 seeds each "
                              "when parameterised)")
