"""Small server-side SVG charts for progress pages and dashboards (no JavaScript, testable as text)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    highlight: float = 0.0
    """A part of ``value`` drawn in the accent colour (e.g. the correct answers)."""


LEFT, BOTTOM, PAD = 32, 22, 6


def _rect(x: float, baseline: float, width: float, height: float, css_class: str) -> str:
    return (f'<rect x="{x:.1f}" y="{baseline - height:.1f}" width="{width:.1f}" height="{height:.1f}" '
            f'class="{css_class}"/>')


def _frame(title: str, top: float, width: int, height: int, *, top_pad: int = PAD,
           view_height: int | None = None) -> list[str]:
    """Return the opening of a chart: the svg element, its title, the x axis and the y ticks.

    ``height`` is the height of the plotting frame; ``view_height`` (default ``height``) that of the
    svg, which may add room below the frame for an axis label; ``top_pad`` leaves room above the
    highest bar.
    """
    plot_h = height - BOTTOM - top_pad
    return [
        f'<svg class="chart" viewBox="0 0 {width} {view_height or height}" role="img" aria-label="{escape(title)}" '
        f'xmlns="http://www.w3.org/2000/svg">',
        f"<title>{escape(title)}</title>",
        f'<line x1="{LEFT}" y1="{top_pad + plot_h}" x2="{width - PAD}" y2="{top_pad + plot_h}" class="axis"/>',
        f'<text x="{LEFT - 4}" y="{top_pad + 8}" class="tick" text-anchor="end">{top:g}</text>',
        f'<text x="{LEFT - 4}" y="{top_pad + plot_h}" class="tick" text-anchor="end">0</text>',
    ]


def _label(x: float, height: int, text: str) -> str:
    return f'<text x="{x:.1f}" y="{height - 6}" class="tick" text-anchor="middle">{escape(text)}</text>'


def bar_chart_svg(bars: Sequence[Bar], *, title: str, width: int = 640, height: int = 180,
                  value_name: str = "answers", highlight_name: str = "correct") -> str:
    """Return an accessible SVG bar chart: each bar with a ``<title>`` giving its exact values."""
    top = max((bar.value for bar in bars), default=0) or 1
    plot_w, plot_h = width - LEFT - PAD, height - BOTTOM - PAD
    step = plot_w / max(len(bars), 1)
    parts = _frame(title, top, width, height)
    for index, bar in enumerate(bars):
        x = LEFT + index * step + step * 0.15
        w = step * 0.7
        h = plot_h * bar.value / top
        hh = plot_h * bar.highlight / top
        tip = f"{bar.label}: {bar.value:g} {value_name}, {bar.highlight:g} {highlight_name}"
        parts.append(f"<g><title>{escape(tip)}</title>{_rect(x, PAD + plot_h, w, h, 'bar-total')}"
                     f"{_rect(x, PAD + plot_h, w, hh, 'bar-part')}</g>")
        if index % max(1, len(bars) // 6) == 0:
            parts.append(_label(x + w / 2, height, bar.label))
    parts.append("</svg>")
    return "".join(parts)


def histogram_svg(bins: Sequence[tuple[str, float]], *, title: str, width: int = 640, height: int = 200,
                  value_name: str = "attempts", axis_label: str = "") -> str:
    """Return an accessible SVG histogram: adjacent bars, every bin labelled, exact counts in ``<title>``s.

    ``bins`` are (label, count) in order, e.g. ("60–70", 12); ``axis_label`` names the x axis.
    Each non-empty bar has its count written above it.
    """
    extra = 16 if axis_label else 0
    top_pad = PAD + 14  # room for the count above the highest bar
    top = max((count for _, count in bins), default=0) or 1
    plot_w, plot_h = width - LEFT - PAD, height - extra - BOTTOM - top_pad
    baseline = top_pad + plot_h
    step = plot_w / max(len(bins), 1)
    parts = _frame(title, top, width, height - extra, top_pad=top_pad, view_height=height)
    for index, (label, count) in enumerate(bins):
        x = LEFT + index * step + 1
        h = plot_h * count / top
        parts.append(f"<g><title>{escape(f'{label}: {count:g} {value_name}')}</title>"
                     f"{_rect(x, baseline, step - 2, h, 'bar-part')}</g>")
        if count:
            parts.append(f'<text x="{x + step / 2 - 1:.1f}" y="{baseline - h - 4:.1f}" class="tick" '
                         f'text-anchor="middle">{count:g}</text>')
        parts.append(_label(x + step / 2 - 1, height - extra, label))
    if axis_label:
        parts.append(f'<text x="{LEFT + plot_w / 2:.1f}" y="{height - 3}" class="tick axis-label" '
                     f'text-anchor="middle">{escape(axis_label)}</text>')
    parts.append("</svg>")
    return "".join(parts)
