"""Cut an array of any shape into 2-D panels a heatmap or a table can show.

* ``(L,)``: one row; longer than ``WRAP_AT`` it wraps into a near-square grid.
* ``(R, C)``: one panel; wider than ``WRAP_AT`` each row wraps into its own panel.
* ``(..., H, W)``: one panel per leading index, e.g. per ``(n, c)`` of ``(N, C, H, W)``,
  labelled ``[n, c, :, :]`` and grouped by ``n`` when there are several channels (one line
  per sample or filter).

Panels keep, for every cell, the flat index of the value in the original array (``-1`` for
the padding of a wrapped row), so a cell can name its exact original index. The number of
panels shown is bounded: at most ``MAX_PANELS``; the first group up to ``MAX_CELLS`` cells
(at least one panel), later groups only while the total stays within the first group's
cells or ``MORE_CELLS`` (so a batch shows its first samples, and a filter bank all filters).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

WRAP_AT = 64
"""A row longer than this wraps into a grid."""
MAX_PANELS = 16
"""At most this many panels of one array are shown."""
MAX_CELLS = 4096
"""The first group of panels stops at this many cells (at least one panel is shown)."""
MORE_CELLS = 512
"""Later groups are shown while the total is at most this, or the first group's size."""


@dataclass
class Panel:
    """A 2-D view of part of an array: ``values`` (rows, cols), float, NaN where padded."""

    label: str
    values: np.ndarray
    flat_index: np.ndarray
    """(rows, cols) int: the flat index of each cell in the original array, -1 if padding."""
    shape: tuple[int, ...]
    """The original array's shape."""
    wrapped: bool = False
    """Whether a long run was wrapped into a grid (rows and columns are then not axes)."""

    @property
    def rows(self) -> int:
        return self.values.shape[0]

    @property
    def cols(self) -> int:
        return self.values.shape[1]

    def index_texts(self) -> np.ndarray:
        """Return a (rows, cols) array of ``"[n, c, i, j]"`` texts ("" for padding)."""
        texts = np.full(self.values.shape, "", dtype=object)
        valid = self.flat_index >= 0
        if valid.any():
            coords = np.unravel_index(self.flat_index[valid], self.shape)
            texts[valid] = ["[" + ", ".join(map(str, c)) + "]" for c in zip(*coords, strict=True)]
        return texts


@dataclass
class PanelSet:
    """The panels shown of one array, grouped into lines, and how many there are in all."""

    groups: list[list[Panel]] = field(default_factory=list)
    total: int = 0

    @property
    def panels(self) -> list[Panel]:
        return [panel for group in self.groups for panel in group]

    @property
    def shown(self) -> int:
        return sum(len(group) for group in self.groups)


def cut(array: np.ndarray, *, max_panels: int = MAX_PANELS, max_cells: int = MAX_CELLS) -> PanelSet:
    """Return the panels of ``array`` (any shape), at most ``max_panels`` and ~``max_cells``."""
    values = np.asarray(array)
    if values.dtype.kind == "b":
        values = values.astype(np.int64)
    values = values.astype(float)
    shape = tuple(values.shape)
    flat = np.arange(values.size).reshape(shape)
    candidates = list(_candidates(values.reshape(shape or (1,)), flat.reshape(shape or (1,)), shape or (1,)))
    result = PanelSet(total=len(candidates))
    cells, first_cells, last_group = 0, 0, None
    for group, panel in candidates:
        size = panel.values.size
        in_first = not result.groups or (len(result.groups) == 1 and group == last_group)
        limit = max_cells if in_first else max(first_cells, MORE_CELLS)
        if result.shown >= max_panels or (result.shown and cells + size > limit):
            break
        if group != last_group:
            result.groups.append([])
            last_group = group
        result.groups[-1].append(panel)
        cells += size
        if in_first:
            first_cells = cells
    return result


def _candidates(values: np.ndarray, flat: np.ndarray, shape: tuple[int, ...]):
    """Yield ``(group, Panel)`` for every panel of the array, in row-major order."""
    if values.ndim == 1:
        rows_values, rows_flat = _wrap(values, flat)
        yield 0, Panel("", rows_values, rows_flat, shape, wrapped=values.size > WRAP_AT)
    elif values.ndim == 2:
        if values.shape[1] <= WRAP_AT:
            yield 0, Panel("", values, flat, shape)
            return
        for r in range(values.shape[0]):
            wrapped_values, wrapped_flat = _wrap(values[r], flat[r])
            yield 0, Panel(f"[{r}, :]", wrapped_values, wrapped_flat, shape, wrapped=True)
    else:
        for lead in np.ndindex(*values.shape[:-2]):
            label = "[" + ", ".join(map(str, lead)) + ", :, :]"
            group = lead[0] if len(lead) > 1 and values.shape[1] > 1 else 0
            yield group, Panel(label, values[lead], flat[lead], shape)


def _wrap(values: np.ndarray, flat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Return a 1-D run as one row, or wrapped into a near-square grid if longer than WRAP_AT."""
    length = values.size
    if length <= WRAP_AT:
        return values.reshape(1, length), flat.reshape(1, length)
    cols = math.ceil(math.sqrt(length))
    rows = math.ceil(length / cols)
    padded_values = np.full(rows * cols, np.nan)
    padded_flat = np.full(rows * cols, -1, dtype=np.int64)
    padded_values[:length] = values
    padded_flat[:length] = flat
    return padded_values.reshape(rows, cols), padded_flat.reshape(rows, cols)
