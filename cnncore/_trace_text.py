"""Render a ``Trace`` as plain text for the terminal (``python -m cnncore run NAME``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from cnncore.trace import TABLE_MAX_ELEMENTS

if TYPE_CHECKING:
    from cnncore.trace import Step, Trace

SERIES_POINTS_SHOWN = 12


def trace_to_text(trace: Trace) -> str:
    """Return the whole trace as text: header, steps, results, misconceptions, series."""
    lines = [f"== {trace.title} ({trace.scenario}, topic {trace.topic}) =="]
    lines.append("params: " + _params_text(trace.params) + f"; seed {trace.seed}")
    for step in trace.steps:
        lines.append("")
        lines.extend(_step_lines(step))
    if trace.results:
        lines += ["", "-- results --"]
        for result in trace.results.values():
            lines.extend(_named_value_lines(result.name, result.value, result.description))
    if trace.misconceptions:
        lines += ["", "-- misconceptions (wrong values a classic mistake gives) --"]
        for result, wrongs in trace.misconceptions.items():
            for wrong in wrongs.values():
                lines.extend(_named_value_lines(f"{result} [{wrong.name}]", wrong.value, wrong.description))
    if trace.series:
        lines += ["", "-- series --"]
        for series in trace.series.values():
            lines.append(_series_line(series))
    return "\n".join(lines) + "\n"


def format_value(value) -> str:
    """Return ``value`` as short text: numbers with 6 significant digits, arrays summarised."""
    if isinstance(value, np.ndarray):
        return _array_text(value)
    if isinstance(value, bool) or isinstance(value, str) or isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return f"{value:.6g}"
    if isinstance(value, tuple | list):
        return "(" + ", ".join(format_value(v) for v in value) + ("," if len(value) == 1 else "") + ")"
    return str(value)


def _named_value_lines(name: str, value, description: str) -> list[str]:
    text = format_value(value)
    if "\n" not in text:
        return [f"{name} = {text}    # {description}"]
    return [f"{name} =    # {description}", *("    " + row for row in text.splitlines())]


def _params_text(params) -> str:
    return ", ".join(f"{name}={format_value(value)}" for name, value in params.items()) or "none"


def _step_lines(step: Step) -> list[str]:
    where = f" [{step.layer}]" if step.layer and step.layer not in step.title else ""
    lines = [f"#{step.index} {step.kind.upper()}{where}: {step.title}"]
    if step.explanation:
        lines.append(f"   {step.explanation}")
    for name, value in step.scalars.items():
        lines.append(f"   {step.label(name)}: {format_value(value)}")
    for name, array in step.arrays.items():
        text = _array_text(array)
        if "\n" in text:
            lines.append(f"   {step.label(name)}:")
            lines.extend("      " + row for row in text.splitlines())
        else:
            lines.append(f"   {step.label(name)}: {text}")
    return lines


def _array_text(array: np.ndarray) -> str:
    if array.size <= TABLE_MAX_ELEMENTS:
        squeezed = array.reshape([d for d in array.shape if d != 1] or [array.size])
        body = np.array2string(squeezed, precision=4, suppress_small=True, max_line_width=100)
        return body if array.shape == squeezed.shape else f"shape {array.shape}\n{body}"
    if array.dtype.kind in "biuf":
        return f"shape {array.shape}, min {array.min():.4g}, max {array.max():.4g}, mean {array.mean():.4g}"
    return f"shape {array.shape}"


def _series_line(series) -> str:
    ys, half = series.y, SERIES_POINTS_SHOWN // 2
    shown = ys if len(ys) <= SERIES_POINTS_SHOWN else [*ys[:half], "...", *ys[-half:]]
    values = ", ".join(v if isinstance(v, str) else f"{v:.4g}" for v in shown)
    what = f"{series.y_label} per {series.x_label}, {len(ys)} points"
    return f"{series.label} [{series.chart}] ({what}): {values}"
