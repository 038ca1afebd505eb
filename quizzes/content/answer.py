"""Parse the ``## Answer`` section of a numeric question, reporting problems with their lines.

The format (documented in content/README.md)::

    ## Answer
    value: {{ results.updated_weight }}
    tolerance: 0.5%            # or an absolute amount: 0.001
    misconceptions:
      update-added-gradient: {{ misconceptions.updated_weight.added_gradient }}
    hints:
      - The update step: $w - \\eta \\, \\partial L / \\partial w$.
      - The gradient of this weight is {{ results.weight_gradient }}.
    step: update fc1.weight
"""

from __future__ import annotations

import re
from collections.abc import Callable

from .errors import (
    ANSWER_BAD_HINT_LINE,
    ANSWER_BAD_LINE,
    ANSWER_BAD_MISCONCEPTION_LINE,
    ANSWER_BAD_TOLERANCE,
    ANSWER_BAD_VALUE,
    ANSWER_DUPLICATE_KEY,
    ANSWER_DUPLICATE_MISCONCEPTION,
    ANSWER_EMPTY_HINT,
    ANSWER_NEGATIVE_TOLERANCE,
    ANSWER_NO_TOLERANCE,
    ANSWER_NO_VALUE,
    ANSWER_UNKNOWN_KEY,
)
from .schema import ABSOLUTE, RELATIVE, AnswerSource, Tolerance

ANSWER_KEYS = ("value", "tolerance", "misconceptions", "hints", "step")
ANSWER_KEY = re.compile(r"^([a-z][a-z_]*):\s*(.*?)\s*$")
ANSWER_ITEM = re.compile(r"^\s+([a-z0-9]+(?:-[a-z0-9]+)*):\s*(.*?)\s*$")
HINT_ITEM = re.compile(r"^\s+-\s?(.*)$")
COMMENT = re.compile(r"\s+#.*$")
NUMBER_TEMPLATE = re.compile(
    r"^(?:\{\{\s*[A-Za-z_][\w.]*\s*\}\}|[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)$"
)
TOLERANCE = re.compile(r"^([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)\s*(%?)$")


def parse_tolerance(text: str) -> Tolerance | None:
    """Return the tolerance written as ``0.5%`` (relative) or ``0.001`` (absolute); None if it is
    not one. A negative amount is returned as is (the caller reports it)."""
    match = TOLERANCE.match(text.strip())
    if not match:
        return None
    amount = float(match.group(1))
    if match.group(2):
        return Tolerance(RELATIVE, amount / 100)
    return Tolerance(ABSOLUTE, amount)


def parse_answer(lines: list[tuple[int, str]], heading_line: int, add: Callable[[int, str], None]) -> AnswerSource:
    """Read the ``## Answer`` section of a numeric question (see content/README.md).

    ``value:`` and each misconception's value are a number or one ``{{ placeholder }}``;
    ``tolerance:`` is ``0.5%`` or ``0.001``; ``misconceptions:`` holds indented ``slug: value``
    lines; ``hints:`` indented ``- text`` items (markdown, continued on deeper-indented lines);
    ``step:`` the lab step to point at. ``#`` starts a comment except inside hints.
    """
    found: dict[str, tuple[int, str]] = {}
    misconceptions: dict[str, str] = {}
    misconception_lines: dict[str, int] = {}
    hints: list[list[str]] = []
    hint_lines: list[int] = []
    block = None
    for number, raw in lines:
        if not raw.strip() or raw.lstrip().startswith("#") and block != "hints":
            continue
        key = ANSWER_KEY.match(raw)
        if key:
            name, text = key.group(1), COMMENT.sub("", key.group(2)).strip()
            if name not in ANSWER_KEYS:
                add(number, ANSWER_UNKNOWN_KEY.format(key=name))
                block = None
                continue
            if name in found:
                add(number, ANSWER_DUPLICATE_KEY.format(key=name))
            found[name] = (number, text)
            block = name if name in ("misconceptions", "hints") else None
            if block and text:
                add(number, ANSWER_BAD_LINE.format(text=raw.strip()[:60]))
            continue
        if block == "misconceptions":
            item = ANSWER_ITEM.match(raw)
            if not item:
                add(number, ANSWER_BAD_MISCONCEPTION_LINE.format(text=raw.strip()[:60]))
                continue
            slug, text = item.group(1), COMMENT.sub("", item.group(2)).strip()
            if slug in misconceptions:
                add(number, ANSWER_DUPLICATE_MISCONCEPTION.format(slug=slug))
            if not NUMBER_TEMPLATE.match(text):
                add(number, ANSWER_BAD_VALUE.format(what=f"misconception {slug}", text=text))
            misconceptions[slug], misconception_lines[slug] = text, number
        elif block == "hints":
            item = HINT_ITEM.match(raw)
            if item and raw.lstrip().startswith("-"):
                if not item.group(1).strip():
                    add(number, ANSWER_EMPTY_HINT)
                hints.append([item.group(1).strip()])
                hint_lines.append(number)
            elif hints and raw.startswith((" ", "\t")):
                hints[-1].append(raw.strip())
            else:
                add(number, ANSWER_BAD_HINT_LINE.format(text=raw.strip()[:60]))
        else:
            add(number, ANSWER_BAD_LINE.format(text=raw.strip()[:60]))

    value_line, value = found.get("value", (heading_line, ""))
    if "value" not in found:
        add(heading_line, ANSWER_NO_VALUE)
    elif not NUMBER_TEMPLATE.match(value):
        add(value_line, ANSWER_BAD_VALUE.format(what="value", text=value))
    tolerance_line, tolerance_text = found.get("tolerance", (heading_line, ""))
    tolerance = parse_tolerance(tolerance_text)
    if "tolerance" not in found or not tolerance_text:
        add(tolerance_line, ANSWER_NO_TOLERANCE)
    elif tolerance is None:
        add(tolerance_line, ANSWER_BAD_TOLERANCE.format(text=tolerance_text))
    elif tolerance.amount < 0:
        add(tolerance_line, ANSWER_NEGATIVE_TOLERANCE.format(text=tolerance_text))
        tolerance = None
    step_line, step = found.get("step", (0, ""))
    return AnswerSource(
        value=value, tolerance=tolerance, misconceptions=misconceptions,
        hints=tuple("\n".join(hint).strip() for hint in hints), step=step, line=heading_line,
        value_line=value_line, tolerance_line=tolerance_line, step_line=step_line,
        misconception_lines=misconception_lines, hint_lines=tuple(hint_lines),
    )
