"""The diverging colour scale: blue below 0, near-white at 0, red above; centred at 0.

The scale is ColorBrewer's RdBu (seven stops, safe for the common colour-vision
deficiencies), symmetric: ``-vmax`` is the darkest blue and ``+vmax`` the darkest red, with
``vmax = max(|min|, |max|)`` of the whole array, so panels of one array are comparable.
"""

from __future__ import annotations

import numpy as np

STOPS = ("#2166ac", "#67a9cf", "#d1e5f0", "#f7f7f7", "#fddbc7", "#ef8a62", "#b2182b")
"""From -vmax (blue) through 0 (near white) to +vmax (red)."""
LEVELS = 256
"""Colour steps on each side of 0 (finer than the eye can tell apart)."""
TINT = 0.45
"""How much of the colour a table cell's background takes (the rest is white)."""


def hex_colour(red: float, green: float, blue: float) -> str:
    """Return ``#rrggbb`` for channel values in 0..255 (rounded)."""
    return "#" + "".join(f"{round(v):02x}" for v in (red, green, blue))


def _rgb(text: str) -> np.ndarray:
    return np.array([int(text[i:i + 2], 16) for i in (1, 3, 5)], dtype=float)


def _lookup(strength: float) -> np.ndarray:
    """Return ``2 * LEVELS + 1`` hex colours along the scale, mixed with white."""
    stops = np.array([_rgb(c) for c in STOPS])
    positions = np.linspace(-1.0, 1.0, len(stops))
    t = np.linspace(-1.0, 1.0, 2 * LEVELS + 1)
    rgb = np.stack([np.interp(t, positions, stops[:, k]) for k in range(3)], axis=1)
    rgb = 255.0 - strength * (255.0 - rgb)
    return np.array([hex_colour(*row) for row in rgb])


FILL = _lookup(1.0)
TABLE_FILL = _lookup(TINT)


def scale_max(values: np.ndarray) -> float:
    """Return ``max(|values|)`` (0.0 for an empty or all-zero array)."""
    if values.size == 0:
        return 0.0
    return float(np.max(np.abs(values)))


def colour_indices(values: np.ndarray, vmax: float) -> np.ndarray:
    """Return an int array (same shape) of indices into ``FILL``: ``LEVELS`` is 0."""
    if vmax <= 0:
        return np.full(values.shape, LEVELS, dtype=np.int64)
    scaled = np.clip(values.astype(float) / vmax, -1.0, 1.0)
    return np.rint((scaled + 1.0) * LEVELS).astype(np.int64)


def gradient_css() -> str:
    """Return the CSS ``linear-gradient`` of the whole scale (for legends in HTML)."""
    return "linear-gradient(to right, " + ", ".join(STOPS) + ")"
