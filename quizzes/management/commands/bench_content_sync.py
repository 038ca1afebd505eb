"""Benchmark: sync N generated question files into a throwaway database, then re-sync them.

Prints figures; asserts nothing (speed is checked by reading them, never by a timed test).
"""

import shutil
import tempfile
import time
from pathlib import Path

from django.core.management.base import BaseCommand
from django.db import connection

from quizzes.content.sync import sync_content

TOPICS = "- slug: convolution\n  title: Convolution\n  description: Sums of products.\n"
MISCONCEPTIONS = "forgot-bias:\n  label: Forgot the bias\n  description: Left out the bias.\n"
QUESTION = """\
---
id: generated-{n}
topic: convolution
difficulty: {difficulty}
tags: [generated, bench]
scenario: conv-window
params: {{kernel_size: {kernel}}}
---
Question {n}: a {kernel}x{kernel} kernel slides over the input. What is
$\\sum_i w_i x_i + b$ for the window at the top left?

## Choices
- [x] {{{{ results.value }}}}
  feedback: Right: the sum of products plus the bias.
- [ ] {{{{ misconceptions.value.forgot_bias }}}}
  misconception: forgot-bias
  feedback: The bias is added once per output element.

## Explanation
The products sum to {{{{ results.sum_of_products }}}}, and the bias is {{{{ results.bias }}}}.
"""

TARGET_FIRST = 10.0
TARGET_RESYNC = 2.0


def write_bank(root: Path, count: int) -> None:
    """Write ``count`` question files (and topics/misconceptions) under ``root``."""
    (root / "questions" / "convolution").mkdir(parents=True)
    (root / "topics.yml").write_text(TOPICS)
    (root / "misconceptions.yml").write_text(MISCONCEPTIONS)
    for n in range(count):
        text = QUESTION.format(n=n, difficulty=1 + n % 3, kernel=(2, 3, 4)[n % 3])
        (root / "questions" / "convolution" / f"generated-{n}.md").write_text(text)


class Command(BaseCommand):
    help = "Time sync_content on generated question files in a throwaway test database."

    def add_arguments(self, parser):
        parser.add_argument("--files", type=int, default=1000, help="how many question files")

    def handle(self, *args, **options):
        count = options["files"]
        workdir = Path(tempfile.mkdtemp(prefix="bench-content-"))
        old_name = connection.settings_dict["NAME"]
        test_db = connection.creation.create_test_db(verbosity=0, autoclobber=True)
        try:
            write_bank(workdir / "content", count)
            started = time.perf_counter()
            report = sync_content(root=workdir / "content")
            first = time.perf_counter() - started
            started = time.perf_counter()
            again = sync_content(root=workdir / "content")
            resync = time.perf_counter() - started
        finally:
            connection.creation.destroy_test_db(old_name, verbosity=0)
            shutil.rmtree(workdir)
        self.stdout.write(f"database: {connection.vendor} (throwaway {test_db})")
        self.stdout.write(f"first sync of {count} files: {first:.2f} s "
                          f"({len(report.created)} created; target < {TARGET_FIRST:.0f} s, "
                          f"{first / TARGET_FIRST:.2f}x of target)")
        self.stdout.write(f"re-sync unchanged:        {resync:.2f} s "
                          f"({again.unchanged} unchanged; target < {TARGET_RESYNC:.0f} s, "
                          f"{resync / TARGET_RESYNC:.2f}x of target)")
