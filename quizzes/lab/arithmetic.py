"""The arithmetic of one convolution output element: window (.) kernel = products; sum + b.

A step is "a conv window" when it records the arrays ``window``, ``kernel`` and ``products``
(each ``(C, K, K)``) and the scalars ``sum_of_products``, ``bias`` and ``value`` (the
``conv-window`` scenario). Its view lays the numbers out per channel, then the sum and the
bias, and, where the trace has them, the padded input with the window outlined and the
output map with the element outlined.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from cnncore.trace import Step, Trace

from . import colours
from .numbers import full, short

ARRAYS = ("window", "kernel", "products")
SCALARS = ("sum_of_products", "bias", "value")
MAX_TERMS = 27
"""The sum is written out term by term up to this many products."""


@dataclass
class Cell:
    text: str
    exact: str
    fill: str
    marked: bool = False


@dataclass
class Grid:
    """A small 2-D array as rows of cells; ``marked`` cells are outlined."""

    label: str
    rows: list[list[Cell]]


@dataclass
class ChannelSum:
    channel: int
    window: Grid
    kernel: Grid
    products: Grid
    subtotal: str


@dataclass
class ConvArithmetic:
    row: int
    col: int
    top: int
    left: int
    size: int
    channels: list[ChannelSum]
    terms: str
    count: int
    sum: str
    bias: str
    value: str
    padded: list[Grid]
    output: Grid | None


def is_conv_window(step: Step) -> bool:
    """Return whether ``step`` records one convolution window's arithmetic."""
    return all(n in step.arrays for n in ARRAYS) and all(n in step.scalars for n in SCALARS)


def grid(values: np.ndarray, *, label: str = "", vmax: float | None = None,
         marked: tuple[slice, slice] | None = None) -> Grid:
    """Return a 2-D array as a ``Grid``, tinted on the diverging scale, ``marked`` outlined."""
    values = np.asarray(values, dtype=float)
    vmax = colours.scale_max(values) if vmax is None else vmax
    fills = colours.TABLE_FILL[colours.colour_indices(values, vmax)]
    mask = np.zeros(values.shape, dtype=bool)
    if marked is not None:
        mask[marked] = True
    return Grid(label, [
        [Cell(short(float(v)), full(float(v)), fills[i, j], bool(mask[i, j])) for j, v in enumerate(row)]
        for i, row in enumerate(values)
    ])


def conv_arithmetic(step: Step, trace: Trace) -> ConvArithmetic:
    """Return the per-channel arithmetic of the conv-window ``step`` of ``trace``."""
    window, kernel, products = (np.asarray(step.arrays[n], dtype=float) for n in ARRAYS)
    window, kernel, products = (a.reshape((-1, *a.shape[-2:])) for a in (window, kernel, products))
    vmax = max(colours.scale_max(window), colours.scale_max(kernel), colours.scale_max(products))
    channels = [
        ChannelSum(c, grid(window[c], vmax=vmax), grid(kernel[c], vmax=vmax),
                   grid(products[c], vmax=vmax), short(float(products[c].sum())))
        for c in range(window.shape[0])
    ]
    flat = [float(v) for v in products.ravel()]
    terms = " + ".join(short(v) if v >= 0 else f"({short(v)})" for v in flat) if len(flat) <= MAX_TERMS else ""
    size = window.shape[-1]
    top = int(trace.results["window_top"].value) if "window_top" in trace.results else 0
    left = int(trace.results["window_left"].value) if "window_left" in trace.results else 0
    row, col = int(trace.params.get("row", 0)), int(trace.params.get("col", 0))
    padded = _array_in_steps(trace, "padded_input")
    padded_grids = []
    if padded is not None:
        padded = padded.reshape((-1, *padded.shape[-2:]))
        box = (slice(top, top + size), slice(left, left + size))
        many = padded.shape[0] > 1
        padded_grids = [grid(padded[c], label="padded input" + (f", channel {c}" if many else ""), marked=box)
                        for c in range(padded.shape[0])]
    output = _array_in_steps(trace, "output", kind="note")
    output_grid = None
    if output is not None and output.ndim == 2 and row < output.shape[0] and col < output.shape[1]:
        output_grid = grid(output, marked=(slice(row, row + 1), slice(col, col + 1)))
    s = step.scalars
    return ConvArithmetic(row, col, top, left, size, channels, terms, len(flat),
                          short(s["sum_of_products"]), short(s["bias"]), short(s["value"]),
                          padded_grids, output_grid)


def _array_in_steps(trace: Trace, name: str, *, kind: str | None = None) -> np.ndarray | None:
    """Return the last array ``name`` recorded in a step (of ``kind``, if given), or None."""
    for step in reversed(trace.steps):
        if name in step.arrays and (kind is None or step.kind == kind):
            return np.asarray(step.arrays[name], dtype=float)
    return None
