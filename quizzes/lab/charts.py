"""Curves of a trace (``Trace.series``) as server-side SVG line charts.

Series that share a ``chart`` go on one plot: polylines with axes, "nice" ticks, axis labels
and a legend (colour and dash pattern, so the curves stay apart without colour too). When
every value is positive and they span at least ``LOG_RATIO``, the y axis is logarithmic
(a diverging loss would flatten the others). Each chart has an ``aria-label`` summarising
every curve, and its numbers as a table under "Show data".
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from cnncore.trace import Series, Trace

from .numbers import exact, short

WIDTH, HEIGHT = 480, 290
LEFT, RIGHT, TOP, BOTTOM = 58, 16, 12, 46
LEGEND_ROW = 18
COLOURS = ("#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9")
"""Okabe and Ito's palette, readable with the common colour-vision deficiencies."""
DASHES = ("", "6 3", "2 3", "8 3 2 3", "4 4", "1 2")
LOG_RATIO = 100.0
MARKERS_MAX = 60
"""Points get a marker (with a tooltip) up to this many per curve."""
CHAR_WIDTH = 7.6
"""Estimated width of one legend character at 13px, to wrap the legend."""


@dataclass
class ChartView:
    key: str
    title: str
    svg: SafeString
    table: SafeString
    log_scale: bool


def nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """Return about ``count`` round tick values covering [low, high] (steps 1, 2, 2.5, 5 x 10^k)."""
    if not (math.isfinite(low) and math.isfinite(high)):
        return [0.0]
    low, high = min(low, high), max(low, high)
    if high == low:
        margin = abs(low) * 0.1 or 1.0
        low, high = low - margin, high + margin
    raw = (high - low) / max(count - 1, 1)
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    start = math.floor(low / step) * step
    ticks, value = [], start
    while value <= high + step * 1e-9:
        ticks.append(round(value, 12))
        value += step
    if ticks[-1] < high:
        ticks.append(round(value, 12))
    return ticks


def log_ticks(low: float, high: float) -> list[float]:
    """Return powers of ten (and 2x, 5x when there are few) covering [low, high] > 0."""
    first, last = math.floor(math.log10(low)), math.ceil(math.log10(high))
    ticks = [10.0**k for k in range(first, last + 1)]
    if len(ticks) <= 3:
        ticks = sorted({m * 10.0**k for k in range(first, last + 1) for m in (1, 2, 5)})
        ticks = [t for t in ticks if low / 2 <= t <= high * 2]
    return ticks


def chart_title(key: str) -> str:
    """Return the chart key as a title: "iteration_loss" -> "Iteration loss"."""
    text = key.replace("_", " ").replace("-", " ").strip()
    return text[:1].upper() + text[1:]


def _legend_rows(series: list[Series], width: float) -> list[list[tuple[int, Series, float]]]:
    """Return the legend laid out in rows: (index, series, x offset) within ``width``."""
    rows: list[list[tuple[int, Series, float]]] = [[]]
    x = 0.0
    for index, s in enumerate(series):
        item = 28 + CHAR_WIDTH * len(s.label) + 16
        if rows[-1] and x + item > width:
            rows.append([])
            x = 0.0
        rows[-1].append((index, s, x))
        x += item
    return rows


@dataclass
class Frame:
    """Where the plot area is and how data maps into it (``log_scale`` on the y axis)."""

    top: float
    width: float
    height: float
    x_ticks: list[float]
    y_ticks: list[float]
    log_scale: bool

    def px(self, x: float) -> float:
        low, high = self.x_ticks[0], self.x_ticks[-1]
        return LEFT + (x - low) / ((high - low) or 1.0) * self.width

    def py(self, y: float) -> float:
        scale = math.log10 if self.log_scale else float
        low, high = scale(self.y_ticks[0]), scale(self.y_ticks[-1])
        return self.top + self.height - (scale(y) - low) / ((high - low) or 1.0) * self.height

    @property
    def bottom(self) -> float:
        return self.top + self.height


def line_chart(series: list[Series], *, title: str) -> tuple[str, bool]:
    """Return ``(svg, log_scale)`` for curves ``series`` sharing one plot."""
    xs = [float(v) for s in series for v in s.x]
    ys = [float(v) for s in series for v in s.y]
    log_scale = bool(ys) and min(ys) > 0 and max(ys) / min(ys) >= LOG_RATIO
    legend_rows = _legend_rows(series, WIDTH - LEFT - RIGHT)
    top = TOP + LEGEND_ROW * len(legend_rows)
    height = HEIGHT + LEGEND_ROW * (len(legend_rows) - 1)
    frame = Frame(
        top, WIDTH - LEFT - RIGHT, height - top - BOTTOM,
        nice_ticks(min(xs, default=0.0), max(xs, default=1.0)),
        log_ticks(min(ys), max(ys)) if log_scale else nice_ticks(min(ys, default=0.0), max(ys, default=1.0)),
        log_scale,
    )
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {WIDTH} {height}" '
        f'role="img" aria-label="{escape(_aria(series, title, log_scale))}">',
        _axes(frame, series[0], height),
        *(_curve(frame, index, s) for index, s in enumerate(series)),
        _legend(legend_rows),
        "</svg>",
    ]
    return "".join(parts), log_scale


def _axes(frame: Frame, first: Series, height: float) -> str:
    """Return the plot area, grid lines, ticks, the zero line and the axis labels."""
    right, bottom = LEFT + frame.width, frame.bottom
    parts = [f'<rect x="{LEFT}" y="{frame.top}" width="{frame.width}" height="{frame.height}" class="chart-plot"/>']
    for tick in frame.y_ticks:
        y = frame.py(tick)
        parts.append(f'<line x1="{LEFT}" x2="{right}" y1="{y:.1f}" y2="{y:.1f}" class="chart-grid"/>'
                     f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" class="chart-tick">'
                     f"{short(tick)}</text>")
    for tick in frame.x_ticks:
        x = frame.px(tick)
        parts.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{bottom}" y2="{bottom + 5}" class="chart-axis"/>'
                     f'<text x="{x:.1f}" y="{bottom + 18}" text-anchor="middle" class="chart-tick">'
                     f"{short(tick)}</text>")
    if not frame.log_scale and frame.y_ticks[0] < 0 < frame.y_ticks[-1]:
        zero = frame.py(0.0)
        parts.append(f'<line x1="{LEFT}" x2="{right}" y1="{zero:.1f}" y2="{zero:.1f}" class="chart-zero"/>')
    y_label = first.y_label + (" (log scale)" if frame.log_scale else "")
    parts.append(
        f'<line x1="{LEFT}" x2="{LEFT}" y1="{frame.top}" y2="{bottom}" class="chart-axis"/>'
        f'<line x1="{LEFT}" x2="{right}" y1="{bottom}" y2="{bottom}" class="chart-axis"/>'
        f'<text x="{LEFT + frame.width / 2}" y="{height - 8}" text-anchor="middle" class="chart-label">'
        f"{escape(first.x_label)}</text>"
        f'<text transform="translate(14 {frame.top + frame.height / 2}) rotate(-90)" text-anchor="middle" '
        f'class="chart-label">{escape(y_label)}</text>'
    )
    return "".join(parts)


def _stroke(index: int) -> str:
    """Return the stroke attributes of curve ``index`` (its colour and dash pattern)."""
    dash = DASHES[index % len(DASHES)]
    return f'stroke="{COLOURS[index % len(COLOURS)]}"' + (f' stroke-dasharray="{dash}"' if dash else "")


def _curve(frame: Frame, index: int, s: Series) -> str:
    """Return one curve as a polyline, with a marker and tooltip per point if there are few."""
    points = " ".join(f"{frame.px(float(x)):.1f},{frame.py(float(y)):.1f}" for x, y in zip(s.x, s.y, strict=True))
    parts = [f'<polyline points="{points}" fill="none" stroke-width="2" {_stroke(index)}/>']
    if len(s.x) <= MARKERS_MAX:
        colour = COLOURS[index % len(COLOURS)]
        parts.extend(
            f'<circle cx="{frame.px(float(x)):.1f}" cy="{frame.py(float(y)):.1f}" r="3" fill="{colour}">'
            f"<title>{escape(s.label)}: {escape(s.x_label)} {short(x)}, {escape(s.y_label)} {exact(y)}"
            "</title></circle>"
            for x, y in zip(s.x, s.y, strict=True)
        )
    return "".join(parts)


def _legend(rows: list[list[tuple[int, Series, float]]]) -> str:
    """Return the legend: a line in each curve's stroke and its label, row by row."""
    parts = []
    for row_number, row in enumerate(rows):
        y = TOP + LEGEND_ROW * row_number + 9
        for index, s, offset in row:
            x = LEFT + offset
            parts.append(f'<line x1="{x}" x2="{x + 22}" y1="{y}" y2="{y}" stroke-width="2.5" {_stroke(index)}/>'
                         f'<text x="{x + 28}" y="{y + 4}" class="chart-legend">{escape(s.label)}</text>')
    return "".join(parts)


def _aria(series: list[Series], title: str, log_scale: bool) -> str:
    first = series[0]
    curves = "; ".join(
        f"{s.label}: {short(s.y[0])} at {s.x_label} {short(s.x[0])} to {short(s.y[-1])} at {s.x_label} {short(s.x[-1])}"
        for s in series if s.x
    )
    scale = ", logarithmic y axis" if log_scale else ""
    return f"Line chart, {title}: {first.y_label} against {first.x_label}{scale}. {curves}."


def data_table(series: list[Series]) -> str:
    """Return the curves' numbers as one table: a row per x value, a column per curve."""
    xs = sorted({float(x) for s in series for x in s.x})
    columns = [{float(x): y for x, y in zip(s.x, s.y, strict=True)} for s in series]
    head = "".join(f'<th scope="col">{escape(s.label)}</th>' for s in series)
    rows = "".join(
        f'<tr><th scope="row">{short(x)}</th>'
        + "".join(f"<td>{exact(col[x]) if x in col else ''}</td>" for col in columns)
        + "</tr>"
        for x in xs
    )
    return (f'<table class="num-table chart-table"><thead><tr><th scope="col">{escape(series[0].x_label)}</th>'
            f"{head}</tr></thead><tbody>{rows}</tbody></table>")


def charts(trace: Trace) -> list[ChartView]:
    """Return one chart per distinct ``chart`` key of ``trace.series``, in recording order."""
    groups: dict[str, list[Series]] = {}
    for s in trace.series.values():
        if s.x:
            groups.setdefault(s.chart, []).append(s)
    views = []
    for key, series in groups.items():
        title = chart_title(key)
        svg, log_scale = line_chart(series, title=title)
        views.append(ChartView(key, title, mark_safe(svg), mark_safe(data_table(series)), log_scale))
    return views
