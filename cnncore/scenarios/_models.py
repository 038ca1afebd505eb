"""The small CNN the scenarios train: conv -> ReLU -> max pool -> flatten -> linear."""

from __future__ import annotations

import numpy as np

from cnncore.nn import Conv2D, Flatten, Linear, MaxPool2D, ReLU, Sequential


def small_cnn(
    *,
    rng: np.random.Generator | None,
    in_channels: int,
    image_size: int,
    filters: int,
    classes: int,
    init: str = "uniform",
    init_value: float = 0.0,
) -> Sequential:
    """Return conv1 (3x3, padding 1) -> relu1 -> pool1 (2x2) -> flatten1 -> fc1.

    Input (N, in_channels, image_size, image_size); output logits (N, classes).
    """
    pooled = image_size // 2
    init_args = {"rng": rng, "init": init, "init_value": init_value}
    return Sequential(
        Conv2D(in_channels, filters, 3, padding=1, **init_args),
        ReLU(),
        MaxPool2D(2),
        Flatten(),
        Linear(filters * pooled * pooled, classes, **init_args),
    )
