"""Server-side SVG: heatmaps (rect grids and per-colour paths) and line charts."""

import re
import xml.etree.ElementTree as ET

import numpy as np
import pytest

from cnncore.scenarios import run
from cnncore.trace import Series
from quizzes.lab import colours
from quizzes.lab.charts import charts, line_chart, log_ticks, nice_ticks
from quizzes.lab.heatmap import SMALL_CELLS, colour_svg, heatmap_block, panel_svg
from quizzes.lab.panels import cut

SVG = "{http://www.w3.org/2000/svg}"


def svgs(html: str) -> list[ET.Element]:
    """Return every <svg> in ``html``, parsed as XML (which fails if one is not well-formed)."""
    return [ET.fromstring(match) for match in re.findall(r"<svg\b.*?</svg>", html, flags=re.S)]


def covered_cells(svg: ET.Element) -> dict[tuple[int, int], str]:
    """Return {(row, col): fill} for every unit cell the rects and paths of ``svg`` cover."""
    cells = {}
    for rect in svg.iter(f"{SVG}rect"):
        cells[(int(rect.get("y")), int(rect.get("x")))] = rect.get("fill")
    for path in svg.iter(f"{SVG}path"):
        if path.get("fill") in (None, "none"):
            continue
        for x, y, n in re.findall(r"M(\d+) (\d+)h(\d+)v1h-\d+z", path.get("d")):
            for k in range(int(n)):
                cells[(int(y), int(x) + k)] = path.get("fill")
    return cells


def test_a_small_heatmap_is_a_rect_grid_with_a_tooltip_per_cell():
    values = np.arange(-40, 41, dtype=float).reshape(9, 9) / 10
    html = heatmap_block(values, label="weights")
    (svg,) = svgs(html)
    assert svg.get("role") == "img"
    assert svg.get("aria-label") == ("Heatmap of weights: 9 by 9 values, from -4 to 4. "
                                     "Exact numbers under Show values.")
    rects = list(svg.iter(f"{SVG}rect"))
    assert len(rects) == 81
    titles = [r.find(f"{SVG}title").text for r in rects]
    assert "[0, 0] = -4" in titles and "[8, 8] = 4" in titles and "[4, 4] = 0" in titles
    assert "<details" in html and "<table" in html  # the values, inline


def test_the_colour_scale_is_diverging_and_centred_at_zero():
    values = np.array([[-2.0, -1.0, 0.0, 1.0, 2.0]])
    fills = covered_cells(svgs(heatmap_block(np.tile(values, (20, 1)), label="x"))[0])
    assert fills[(0, 2)] == colours.STOPS[3]  # 0 is the middle (near-white) colour
    assert fills[(0, 0)] == colours.STOPS[0] and fills[(0, 4)] == colours.STOPS[-1]
    assert fills[(0, 1)] != fills[(0, 3)]
    assert colours.colour_indices(np.array([-1.0, 1.0]), 1.0).tolist() == [0, 2 * colours.LEVELS]


def test_a_large_heatmap_covers_every_cell_exactly_once_with_paths():
    rng = np.random.default_rng(0)
    values = rng.normal(size=(1, 2, 20, 20))
    html = heatmap_block(values, label="output", values_url="/values/")
    panels = svgs(html)
    assert len(panels) == 2
    vmax = float(np.abs(values).max())
    for c, svg in enumerate(panels):
        cells = covered_cells(svg)
        assert len(cells) == 400
        expected = colours.FILL[colours.colour_indices(values[0, c], vmax)]
        assert all(cells[(i, j)] == expected[i, j] for i in range(20) for j in range(20))
        assert svg.find(f"{SVG}rect") is None
        assert f"[0, {c}, :, :]: 20 by 20 values" in svg.get("aria-label")
    assert 'hx-get="/values/"' in html and 'href="/values/"' in html  # values load on demand


def test_the_legend_shows_the_symmetric_scale_and_the_data_range():
    html = heatmap_block(np.linspace(-0.5, 2.0, 100).reshape(10, 10), label="x")
    assert "<span>-2</span><span>0</span><span>2</span>" in html
    assert "min <strong>-0.5</strong>, max <strong>2</strong>" in html


def test_an_all_zero_array_is_drawn_without_dividing_by_zero():
    (svg,) = svgs(heatmap_block(np.zeros((10, 10)), label="zeros"))
    assert set(covered_cells(svg).values()) == {colours.STOPS[3]}


def test_a_long_vector_wraps_into_a_square_grid_naming_flat_indices():
    (panel,) = cut(np.arange(100.0)).panels
    assert panel.values.shape == (10, 10) and panel.wrapped
    svg = ET.fromstring(panel_svg(panel, vmax=99.0, label="v", tooltips=True))
    titles = [t.text for t in svg.iter(f"{SVG}title")]
    assert titles[0] == "[0] = 0" and titles[-1] == "[99] = 99"


def test_four_d_arrays_are_cut_per_sample_and_channel_and_bounded():
    panel_set = cut(np.zeros((8, 4, 8, 8)))
    assert panel_set.total == 32
    assert [p.label for p in panel_set.groups[0]] == [f"[0, {c}, :, :]" for c in range(4)]
    assert panel_set.shown < panel_set.total
    html = heatmap_block(np.zeros((8, 4, 8, 8)), label="batch")
    assert f"Showing the first {panel_set.shown} of 32 slices" in html
    filters = cut(np.zeros((4, 3, 3, 3)))
    assert filters.shown == filters.total == 12  # a filter bank is shown whole


def test_a_colour_image_is_also_drawn_in_colour():
    image = np.zeros((3, 8, 8))
    image[0] = 1.0  # pure red
    svg = ET.fromstring(colour_svg(image, label="image"))
    assert set(covered_cells(svg).values()) == {"#ff0000"}
    assert "Colour picture of image" in svg.get("aria-label")


def test_tooltips_stop_above_the_small_array_size():
    big = heatmap_block(np.ones((1, SMALL_CELLS + 1)), label="x")
    assert "<title>" not in big


def series(name, y, chart="loss", x=None):
    x = list(range(len(y))) if x is None else x
    return Series(name, name, chart, "iteration", "loss", x, y)


def test_a_line_chart_is_well_formed_with_axes_ticks_legend_and_text():
    svg_text, log_scale = line_chart([series("small", [0.7, 0.69, 0.68]), series("good", [0.7, 0.4, 0.1])],
                                     title="Loss")
    assert not log_scale
    svg = ET.fromstring(svg_text)
    assert svg.get("role") == "img"
    assert svg.get("aria-label").startswith("Line chart, Loss: loss against iteration.")
    assert "small: 0.7 at iteration 0 to 0.68 at iteration 2" in svg.get("aria-label")
    assert len(list(svg.iter(f"{SVG}polyline"))) == 2
    texts = [t.text for t in svg.iter(f"{SVG}text")]
    assert "small" in texts and "good" in texts and "iteration" in texts and "loss" in texts
    assert len([t for t in svg.iter(f"{SVG}circle")]) == 6


def test_curves_spanning_orders_of_magnitude_get_a_log_axis():
    svg_text, log_scale = line_chart([series("large", [0.7, 24.0]), series("good", [0.7, 0.01])], title="Loss")
    assert log_scale
    assert "loss (log scale)" in svg_text


def test_every_chart_of_a_trace_parses_and_series_sharing_a_chart_share_it():
    trace = run("training-loop")
    views = charts(trace)
    assert [v.key for v in views] == list(dict.fromkeys(s.chart for s in trace.series.values()))
    accuracy = next(v for v in views if v.key == "accuracy")
    assert len(list(ET.fromstring(accuracy.svg).iter(f"{SVG}polyline"))) == 2
    assert "<table" in accuracy.table


@pytest.mark.parametrize(("low", "high"), [(0, 1), (-5, 5), (0.013, 24.06), (3, 3), (-0.2, 0.0)])
def test_nice_ticks_cover_the_range_with_round_steps(low, high):
    ticks = nice_ticks(low, high)
    assert ticks[0] <= low and ticks[-1] >= high
    steps = {round(b - a, 9) for a, b in zip(ticks, ticks[1:], strict=False)}
    assert len(steps) == 1


def test_log_ticks_are_powers_of_ten_covering_the_range():
    assert log_ticks(0.013, 24.0) == [0.01, 0.1, 1.0, 10.0, 100.0]
