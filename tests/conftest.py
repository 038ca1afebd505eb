"""Suite-wide fixtures: a small content folder on disk (synced or not) and a student.

Playwright's sync API runs an event loop, so let Django's ORM run beside it.
"""

import os
import textwrap
from pathlib import Path

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

TOPICS = """\
- slug: output-size
  title: Padding, stride and output size
  description: How big a convolution's output is.
- slug: convolution
  title: Convolution arithmetic
  description: One output element as a sum of products.
"""
MISCONCEPTIONS = """\
forgot-padding:
  label: Forgot the padding
  description: Used H - k instead of H + 2p - k.
forgot-plus-one:
  label: Forgot the +1
  description: Counted the moves of the window but not its first position.
forgot-bias:
  label: Forgot the bias
  description: Summed the products but did not add the bias.
"""
STATIC = """\
---
id: conv-window-bias
topic: convolution
difficulty: 1
tags: [bias]
scenario: conv-window
---
What does a convolution add to the sum of window x kernel products?

## Choices
- [x] The bias of the filter
  feedback: Right: one bias per filter, added once per output element.
- [ ] Nothing
  misconception: forgot-bias
  feedback: The bias is added after the products are summed.

## Explanation
Here the sum of products is {{ results.sum_of_products }} and the bias {{ results.bias }}.
"""
PARAMETERISED = """\
---
id: output-size-padded
topic: output-size
difficulty: 2
scenario: conv-output-size
params:
  input_height: {min: 6, max: 12}
  input_width: 8
  kernel_size: 3
  stride: 1
  padding: 2
---
An input {{ params.input_height }} high, kernel 3, stride 1, padding 2: how high is the output?

## Choices
- [x] {{ results.out_h }}
  feedback: Right: $H_o = (H + 2p - k)/s + 1$.
- [ ] {{ misconceptions.out_h.forgot_padding }}
  misconception: forgot-padding
  feedback: The padding adds rows on both sides.
- [ ] {{ misconceptions.out_h.forgot_plus_one }}
  misconception: forgot-plus-one
  feedback: Count the first position too.

## Explanation
$$H_o = \\left\\lfloor \\frac{H + 2p - k}{s} \\right\\rfloor + 1 = {{ results.out_h }}$$
"""
EXAM = """\
---
id: tiny-exam
title: Tiny exam
time_limit_minutes: 5
pass_mark: 50
sections:
  - topics: [output-size, convolution]
    count: 2
---
Two questions.
"""


class ContentFolder:
    """A content folder under a temporary directory."""

    def __init__(self, root: Path) -> None:
        self.root = root
        (root / "questions").mkdir(parents=True)
        (root / "exams").mkdir()
        (root / "topics.yml").write_text(TOPICS)
        (root / "misconceptions.yml").write_text(MISCONCEPTIONS)

    def question(self, name: str, text: str, topic: str = "convolution") -> Path:
        path = self.root / "questions" / topic / f"{name}.md"
        path.parent.mkdir(exist_ok=True)
        path.write_text(textwrap.dedent(text))
        return path

    def exam(self, name: str, text: str) -> Path:
        path = self.root / "exams" / f"{name}.md"
        path.write_text(text)
        return path

    def display(self, path: Path) -> str:
        return str(path.relative_to(self.root.parent))


@pytest.fixture
def content(tmp_path, settings) -> ContentFolder:
    """Return an empty content folder that settings.CONTENT_DIR points at."""
    folder = ContentFolder(tmp_path / "content")
    settings.CONTENT_DIR = folder.root
    return folder


@pytest.fixture
def good_content(content) -> ContentFolder:
    """Return a content folder with one static, one parameterised question and one exam."""
    content.question("conv-window-bias", STATIC)
    content.question("output-size-padded", PARAMETERISED, topic="output-size")
    content.exam("tiny-exam", EXAM)
    return content


@pytest.fixture
def synced(good_content, db):
    """Sync the good content folder (plus two more static questions) into the database."""
    from quizzes.content.sync import sync_content

    for n in (1, 2):
        good_content.question(f"conv-window-bias-{n}", STATIC.replace("id: conv-window-bias", f"id: conv-window-bias-{n}")
                              .replace("What does", f"({n}) What does"))
    sync_content(root=good_content.root)
    return good_content


@pytest.fixture
def student(django_user_model):
    return django_user_model.objects.create_user("stu", password="pw-long-enough-1")


NUMERIC = """\
---
id: conv-window-typed
topic: convolution
difficulty: 2
scenario: conv-window
params:
  input_size: 4
  kernel_size: 2
  row: {min: 0, max: 2}
  col: {min: 0, max: 2}
  integer_values: false
---
Window {{ results.window }}, kernel {{ results.kernel }}, bias {{ results.bias }}: type the output.

## Answer
value: {{ results.value }}
tolerance: 0.001   # exact to four decimals
misconceptions:
  forgot-bias: {{ misconceptions.value.forgot_bias }}
hints:
  - The forward step: $y = \\\\sum X K + b$.
  - The products add up to {{ results.sum_of_products }}.
step: forward

## Explanation
The sum of products {{ results.sum_of_products }} plus the bias {{ results.bias }} is {{ results.value }}.
"""
"""A parameterised numeric question (conv-window with decimals; its answer is exact to 4 decimals)."""
@pytest.fixture(autouse=True)
def _empty_cache():
    """Start every test with an empty Django cache (it outlives the database rollback between tests)."""
    from django.core.cache import cache

    cache.clear()
