"""Numbers as text: short (for tables and labels) and exact (for tooltips and copying)."""

from __future__ import annotations

import math

import numpy as np

SHORT_DIGITS = 4
"""Significant digits in tables and heatmap legends."""
EXACT_DIGITS = 6
"""Significant digits in tooltips and key results."""


def short(value) -> str:
    """Return a number with 4 significant digits; whole floats without ".0" ("3", "-0.1235")."""
    return _number(value, SHORT_DIGITS)


def exact(value) -> str:
    """Return a number with 6 significant digits ("0.926010"-like, "3" for 3.0)."""
    return _number(value, EXACT_DIGITS)


def full(value) -> str:
    """Return the shortest text that reads back as the same float (Python's repr)."""
    if isinstance(value, bool | np.bool_):
        return "true" if value else "false"
    if isinstance(value, float | np.floating):
        return repr(float(value))
    return str(value)


def shape_text(shape) -> str:
    """Return ``(3, 32, 32)`` for a shape (``(5,)`` for one axis)."""
    shape = tuple(int(d) for d in shape)
    return "(" + ", ".join(map(str, shape)) + ("," if len(shape) == 1 else "") + ")"


def value_text(value) -> str:
    """Return a result value as text: numbers (6 digits), yes/no, tuples, array summaries."""
    if isinstance(value, bool | np.bool_):
        return "yes" if value else "no"
    if isinstance(value, np.ndarray):
        return f"array of shape {shape_text(value.shape)}"
    if isinstance(value, tuple | list):
        inner = ", ".join(value_text(v) for v in value)
        return f"({inner}{',' if len(value) == 1 else ''})"
    if isinstance(value, int | float | np.integer | np.floating):
        return exact(value)
    return str(value)


def _number(value, digits: int) -> str:
    if isinstance(value, bool | np.bool_):
        return "1" if value else "0"
    if isinstance(value, int | np.integer):
        return str(int(value))
    if isinstance(value, float | np.floating):
        value = float(value)
        if not math.isfinite(value):
            return str(value)
        if value.is_integer() and abs(value) < 10**digits:
            return str(int(value))
        text = f"{value:.{digits}g}"
        return "0" if text in ("-0", "0") else text
    return str(value)
