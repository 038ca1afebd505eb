"""Small data sets generated from a seeded ``numpy.random.Generator``."""

from __future__ import annotations

import numpy as np

PHOTO_LABELS = ("dog", "cat", "bird")
PHOTO_COLOURS = {
    # (background RGB, animal RGB)
    "dog": ((0.35, 0.6, 0.3), (0.55, 0.35, 0.2)),
    "cat": ((0.8, 0.75, 0.65), (0.45, 0.45, 0.5)),
    "bird": ((0.45, 0.65, 0.9), (0.9, 0.75, 0.15)),
}
EDGE_LABELS = ("horizontal", "vertical")


def synthetic_photo(rng: np.random.Generator, label: str, *, size: int = 32) -> np.ndarray:
    """Return a (1, 3, size, size) "photo" in [0, 1]: an elliptic animal on a background.

    The colours depend on ``label`` (one of ``PHOTO_LABELS``); position, radii and noise on
    ``rng``.
    """
    background, animal = (np.array(c).reshape(3, 1, 1) for c in PHOTO_COLOURS[label])
    rows, cols = np.mgrid[0:size, 0:size] / size
    centre_row, centre_col = rng.uniform(0.35, 0.65, size=2)
    radius_row, radius_col = rng.uniform(0.15, 0.3, size=2)
    inside = ((rows - centre_row) / radius_row) ** 2 + ((cols - centre_col) / radius_col) ** 2 <= 1
    shading = 0.15 * (rows - 0.5)  # a little light from the top
    image = np.where(inside, animal, background) - shading
    image = image + rng.normal(0.0, 0.05, size=(3, size, size))
    return np.clip(image, 0.0, 1.0)[np.newaxis]


def edge_images(
    rng: np.random.Generator, count: int, *, size: int = 8, noise: float = 0.1
) -> tuple[np.ndarray, np.ndarray]:
    """Return ``(x, labels)``: ``count`` greyscale images (count, 1, size, size) and labels.

    Label 0 (``EDGE_LABELS``) is a horizontal edge (bright above or below a random row),
    label 1 a vertical edge (bright left or right of a random column); classes alternate,
    so they are balanced. Bright pixels are +1, dark ones -1 (centred data trains well),
    plus Gaussian ``noise`` (std).
    """
    labels = np.arange(count) % 2
    positions = rng.integers(2, size - 1, size=count)
    bright_first = rng.random(count) < 0.5
    index = np.arange(size)
    before = index[np.newaxis, :] < positions[:, np.newaxis]  # (count, size)
    profile = np.where(np.where(bright_first[:, np.newaxis], before, ~before), 1.0, -1.0)
    horizontal = np.repeat(profile[:, :, np.newaxis], size, axis=2)  # varies along rows
    vertical = horizontal.transpose(0, 2, 1)
    images = np.where((labels == 0)[:, np.newaxis, np.newaxis], horizontal, vertical)
    images = images + rng.normal(0.0, noise, size=images.shape)
    return images[:, np.newaxis], labels
