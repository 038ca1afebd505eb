"""Fill ``{{ name }}`` and ``{{ name:format }}`` placeholders from a scenario run.

Only dotted names are allowed (``params.stride``, ``results.out_h``,
``misconceptions.out_h.forgot_padding``): no expressions, no code. Numbers are shown one way
everywhere, by ``display``.
"""

import math
import re
from collections.abc import Mapping

import numpy as np

PLACEHOLDER = re.compile(r"\{\{\s*([A-Za-z_][\w.]*)\s*(?::\s*([^}]*?)\s*)?\}\}")
ROOTS = ("params", "results", "misconceptions")


class TemplateProblem(Exception):
    """A placeholder names nothing, or its format does not apply; ``offset`` is its line offset."""

    def __init__(self, message: str, offset: int) -> None:
        super().__init__(message)
        self.offset = offset


def display(value: object, spec: str = "") -> str:
    """Return ``value`` as a student sees it.

    Whole numbers as they are; other floats to 4 significant digits (``0.1235``, ``-2.5``,
    ``1.2e-05``), large ones rounded to whole numbers; ``-0`` as ``0``; sequences as
    ``[a, b]`` / ``(a, b)``; ``spec`` (a Python format spec) overrides the rounding.
    """
    if isinstance(value, np.ndarray | np.generic):
        value = value.tolist()
    if spec:
        return format(value, spec)
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            return str(value)
        if value == int(value) and abs(value) < 1e15:
            return str(int(value))
        if abs(value) >= 1e4:
            return f"{value:.0f}"
        text = f"{value:.4g}"
        return "0" if float(text) == 0 else text
    if isinstance(value, tuple):
        return "(" + ", ".join(display(v) for v in value) + ")"
    if isinstance(value, list):
        return "[" + ", ".join(display(v) for v in value) + "]"
    return str(value)


def _indexable(value: object) -> bool:
    """Return True for a list, tuple or non-scalar array (indexed with ``.0``, ``.1`` ...)."""
    return isinstance(value, list | tuple) or (isinstance(value, np.ndarray) and value.ndim > 0)


def lookup(context: Mapping, name: str) -> object:
    """Return the value at dotted ``name`` in ``context``; raise KeyError with what is known."""
    value: object = context
    walked = []
    for part in name.split("."):
        if isinstance(value, Mapping) and part in value:
            value = value[part]
        elif _indexable(value) and part.isdigit() and int(part) < len(value):
            value = value[int(part)]
        else:
            where = ".".join(walked) or "the context"
            known = ", ".join(sorted(map(str, value))) if isinstance(value, Mapping) else "nothing"
            raise KeyError(f"{where} has no {part!r} (known: {known})")
        walked.append(part)
    return value


def fill(text: str, context: Mapping) -> str:
    """Return ``text`` with every placeholder replaced; raise ``TemplateProblem`` on a bad one."""

    def replace(match: re.Match) -> str:
        name, spec = match.group(1), match.group(2) or ""
        offset = text.count("\n", 0, match.start())
        try:
            value = lookup(context, name)
        except KeyError as error:
            raise TemplateProblem(f"{{{{ {name} }}}}: {error.args[0]}", offset) from None
        if isinstance(value, Mapping):
            keys = ", ".join(sorted(map(str, value)))
            raise TemplateProblem(f"{{{{ {name} }}}}: pick one of {keys}", offset)
        try:
            return display(value, spec)
        except (ValueError, TypeError) as error:
            raise TemplateProblem(f"{{{{ {name}:{spec} }}}}: {error}", offset) from None

    return PLACEHOLDER.sub(replace, text)


NUMBER_PLACEHOLDER = re.compile(r"^\{\{\s*([A-Za-z_][\w.]*)\s*\}\}$")


def evaluate_number(text: str, context: Mapping) -> float:
    """Return the number ``text`` stands for: a literal (``0.25``) or one placeholder, unrounded.

    Raise ``TemplateProblem`` if the placeholder names nothing, or ``ValueError`` if the value
    is not a finite real number (an array, a word, a boolean, NaN or infinity).
    """
    text = text.strip()
    match = NUMBER_PLACEHOLDER.match(text)
    if match is None:
        value: object = float(text)
    else:
        try:
            value = lookup(context, match.group(1))
        except KeyError as error:
            raise TemplateProblem(f"{{{{ {match.group(1)} }}}}: {error.args[0]}", 0) from None
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ValueError(f"{value!r}"[:80])
    return float(value)
