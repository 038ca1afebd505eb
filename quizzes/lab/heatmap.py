"""Arrays as server-side SVG heatmaps: one cell per value, a diverging colour scale centred at 0.

``heatmap_block(array, label=...)`` returns the HTML of a whole array: its panels (see
``panels``; one SVG each, with ``role="img"`` and an ``aria-label`` giving the shape and the
range), one colour legend for the array (the same scale for every panel, so they compare),
a note when not every panel is shown, and a "Show values" ``<details>`` with the numbers as
tables.

Arrays showing up to ``SMALL_CELLS`` cells are ``<rect>`` grids with a ``<title>`` tooltip
per cell (its exact index and value) and their values table in the page. Larger ones draw
the same grid as one ``<path>`` per colour (runs of equal colour along a row as rectangles,
a fraction of the bytes), and their values table is fetched only when "Show values" is
opened (``values_url``; without JavaScript it is a link), so a page with a dozen 4x32x32
maps stays under a megabyte.
"""

from __future__ import annotations

import numpy as np
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from . import colours
from .numbers import exact, shape_text, short
from .panels import MAX_CELLS, Panel, PanelSet, cut
from .tables import panel_set_tables

SMALL_CELLS = 256
"""Arrays showing at most this many cells get a tooltip per cell and an inline values table."""
PANEL_WIDTH = 176
"""Target width in CSS pixels of one panel."""
MANY_PANELS, MANY_PANEL_WIDTH = 5, 120
"""From this many panels in an array, each is narrower."""
CELL_MIN, CELL_MAX = 5, 24
"""Bounds of one cell's size in CSS pixels."""


def cell_size(cols: int, *, width: int = PANEL_WIDTH) -> int:
    """Return the CSS pixel size of a cell for a panel ``cols`` wide (about ``width`` in all)."""
    return max(CELL_MIN, min(CELL_MAX, width // max(cols, 1)))


def panel_svg(panel: Panel, *, vmax: float, label: str, tooltips: bool, width: int = PANEL_WIDTH) -> str:
    """Return one panel as an ``<svg role="img">``: cell (i, j) is the unit square at x=j, y=i."""
    rows, cols = panel.rows, panel.cols
    size = cell_size(cols, width=width)
    values = panel.values
    valid = panel.flat_index >= 0
    shown = values[valid]
    low, high = (float(shown.min()), float(shown.max())) if shown.size else (0.0, 0.0)
    where = f"{label} {panel.label}".strip()
    aria = (f"Heatmap of {where}: {rows} by {cols}"
            + (f" grid of {shown.size} values" if panel.wrapped else " values")
            + f", from {short(low)} to {short(high)}. Exact numbers under Show values.")
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="heatmap" viewBox="0 0 {cols} {rows}" '
        f'width="{cols * size}" height="{rows * size}" preserveAspectRatio="xMinYMin meet" '
        f'shape-rendering="crispEdges" role="img" aria-label="{escape(aria)}">'
    ]
    if tooltips:
        texts = panel.index_texts()
        fills = colours.FILL[colours.colour_indices(np.where(valid, values, 0.0), vmax)]
        for i in range(rows):
            for j in range(cols):
                if valid[i, j]:
                    parts.append(
                        f'<rect x="{j}" y="{i}" width="1" height="1" fill="{fills[i, j]}">'
                        f"<title>{texts[i, j]} = {exact(float(values[i, j]))}</title></rect>"
                    )
    else:
        parts.append(_squares_by_colour(panel, vmax))
    if cols <= 16 and rows <= 16:
        parts.append(_grid_lines(rows, cols))
    parts.append("</svg>")
    return "".join(parts)


def _squares_by_colour(panel: Panel, vmax: float) -> str:
    """Return the panel's cells as one ``<path>`` per colour of the diverging scale."""
    valid = panel.flat_index >= 0
    levels = colours.colour_indices(np.where(valid, panel.values, 0.0), vmax)
    return squares(levels, valid, lambda level: colours.FILL[level])


def squares(keys: np.ndarray, valid: np.ndarray, colour_of) -> str:
    """Return one ``<path>`` per colour key: runs of one key along a row, as rectangles.

    ``keys`` and ``valid`` are (rows, cols); cell (i, j) covers the unit square at x=j, y=i,
    exactly as a ``<rect>`` grid would. ``colour_of(key)`` gives a key's fill.
    """
    rows, cols = np.nonzero(valid)  # row-major order
    cell_keys = keys[rows, cols]
    order = np.lexsort((cols, rows, cell_keys))
    rows, cols, cell_keys = rows[order], cols[order], cell_keys[order]
    new_run = np.r_[True, (cell_keys[1:] != cell_keys[:-1]) | (rows[1:] != rows[:-1])
                    | (cols[1:] != cols[:-1] + 1)]
    starts = np.flatnonzero(new_run)
    lengths = np.diff(np.r_[starts, cell_keys.size])
    run_keys, run_rows, run_cols = cell_keys[starts], rows[starts], cols[starts]
    colour_starts = np.flatnonzero(np.r_[True, run_keys[1:] != run_keys[:-1]])
    colour_ends = np.r_[colour_starts[1:], run_keys.size]
    parts = []
    for first, last in zip(colour_starts.tolist(), colour_ends.tolist(), strict=True):
        d = "".join(f"M{c} {r}h{n}v1h-{n}z" for r, c, n in zip(
            run_rows[first:last].tolist(), run_cols[first:last].tolist(), lengths[first:last].tolist(),
            strict=True))
        parts.append(f'<path fill="{colour_of(int(run_keys[first]))}" d="{d}"/>')
    return "".join(parts)


def colour_svg(image: np.ndarray, *, label: str) -> str:
    """Return an RGB image (3, H, W) or (1, 3, H, W) in [0, 1] as an SVG picture (5 bits per channel)."""
    rgb = np.asarray(image, dtype=float).reshape((3, *np.asarray(image).shape[-2:]))
    rows, cols = rgb.shape[1:]
    levels = np.rint(np.clip(rgb, 0.0, 1.0) * 31).astype(np.int64)
    keys = levels[0] * 1024 + levels[1] * 32 + levels[2]

    def colour_of(key: int) -> str:
        return colours.hex_colour(*(((key >> shift) & 31) * 255 / 31 for shift in (10, 5, 0)))

    size = cell_size(cols)
    aria = f"Colour picture of {label}: {rows} by {cols} pixels, red, green and blue channels combined."
    return (f'<svg xmlns="http://www.w3.org/2000/svg" class="heatmap" viewBox="0 0 {cols} {rows}" '
            f'width="{cols * size}" height="{rows * size}" shape-rendering="crispEdges" role="img" '
            f'aria-label="{escape(aria)}">{squares(keys, np.ones(keys.shape, dtype=bool), colour_of)}</svg>')


def _grid_lines(rows: int, cols: int) -> str:
    """Return thin white lines between cells (for small grids, where cells are large)."""
    path = "".join(f"M{j} 0V{rows}" for j in range(1, cols)) + "".join(
        f"M0 {i}H{cols}" for i in range(1, rows)
    )
    if not path:
        return ""
    return (f'<path d="{path}" stroke="#ffffff" stroke-width="1" '
            'vector-effect="non-scaling-stroke" fill="none" aria-hidden="true"/>')


def legend(values: np.ndarray, vmax: float) -> str:
    """Return the colour legend: the scale from -vmax to +vmax, and the data's min and max."""
    low, high = (float(values.min()), float(values.max())) if values.size else (0.0, 0.0)
    return (
        '<div class="heat-legend">'
        f'<span class="heat-legend-bar" style="background:{colours.gradient_css()}" aria-hidden="true"></span>'
        '<span class="heat-legend-ticks" aria-hidden="true">'
        f"<span>{short(-vmax)}</span><span>0</span><span>{short(vmax)}</span></span>"
        f'<span class="heat-legend-range">min <strong>{short(low)}</strong>, '
        f"max <strong>{short(high)}</strong>; blue below 0, red above</span>"
        "</div>"
    )


def heatmap_block(array: np.ndarray, *, label: str, values_url: str = "",
                  colour_image: bool = False, row_names: tuple[str, ...] = ()) -> SafeString:
    """Return the HTML of ``array`` as heatmap panels with legend and its values.

    The values table is in the page when the array shows at most ``SMALL_CELLS`` cells or
    no ``values_url`` is given; otherwise it loads from ``values_url`` on opening. A
    ``colour_image`` ((3, H, W) or (1, 3, H, W) in [0, 1]) is first shown in colour.
    """
    values = np.asarray(array)
    if values.dtype.kind not in "biuf":
        return mark_safe(f'<p class="array-summary">{escape(label)}: shape {shape_text(values.shape)}</p>')
    numeric = values.astype(float)
    vmax = colours.scale_max(numeric)
    panel_set = cut(numeric)
    cells = sum(p.values.size for p in panel_set.panels)
    small = cells <= SMALL_CELLS
    width = MANY_PANEL_WIDTH if panel_set.shown >= MANY_PANELS else PANEL_WIDTH
    parts = ['<div class="heat">']
    for number, group in enumerate(panel_set.groups):
        parts.append('<div class="heat-group">')
        if colour_image and number == 0:
            parts.append(f'<figure class="heat-panel heat-colour">{colour_svg(numeric, label=label)}'
                         "<figcaption>in colour (R, G, B)</figcaption></figure>")
        for panel in group:
            text = panel.label
            row = text[1:].split(",")[0] if text.startswith("[") and text.endswith(", :]") else ""
            if row_names and row.isdigit() and int(row) < len(row_names) and len(values.shape) == 2:
                text = f"{row_names[int(row)]} {text}"  # a row per class: name it
            caption = f"<figcaption>{escape(text)}</figcaption>" if text else ""
            svg = panel_svg(panel, vmax=vmax, label=label, tooltips=small, width=width)
            parts.append(f'<figure class="heat-panel">{svg}{caption}</figure>')
        parts.append("</div>")
    parts.append(legend(numeric, vmax))
    parts.append(_shown_note(panel_set, values.shape))
    if small or not values_url:
        parts.append('<details class="heat-values"><summary>Show values</summary>'
                     + values_tables(numeric) + "</details>")
    else:
        url = escape(values_url)
        parts.append(
            f'<details class="heat-values" hx-get="{url}" hx-trigger="toggle once" '
            'hx-target="find .heat-values-body" hx-swap="innerHTML">'
            f'<summary>Show values</summary><div class="heat-values-body">'
            f'<p><a href="{url}">Open the {cells} values as tables</a></p></div></details>'
        )
    parts.append("</div>")
    return mark_safe("".join(parts))


def values_tables(array: np.ndarray) -> SafeString:
    """Return the tables of every panel shown of ``array`` (tinted up to ``SMALL_CELLS``)."""
    numeric = np.asarray(array, dtype=float)
    panel_set = cut(numeric)
    cells = sum(p.values.size for p in panel_set.panels)
    return mark_safe(panel_set_tables(panel_set, vmax=colours.scale_max(numeric), tinted=cells <= SMALL_CELLS))


def _shown_note(panel_set: PanelSet, shape: tuple[int, ...]) -> str:
    if panel_set.shown >= panel_set.total:
        return ""
    return (f'<p class="heat-note">Showing the first {panel_set.shown} of {panel_set.total} slices '
            f"of this {shape_text(shape)} array (at most {MAX_CELLS} values per array on the page); "
            "the JSON link at the top has every value.</p>")
