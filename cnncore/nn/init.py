"""Seeded initial weights for ``Conv2D`` and ``Linear``.

Schemes (``fan_in`` = inputs feeding one output: ``C*KH*KW`` for a conv, ``D`` for a linear):

* ``"uniform"`` (the default, as PyTorch's ``nn.Conv2d`` / ``nn.Linear``): weights and biases
  drawn from ``U(-1/sqrt(fan_in), 1/sqrt(fan_in))``. (PyTorch's kaiming-uniform with
  ``a=sqrt(5)`` gives exactly this bound.)
* ``"he_normal"``: weights from ``N(0, sqrt(2/fan_in))`` (He et al., for ReLU networks),
  biases zero.
* ``"constant"``: every weight equals ``value``, biases zero (the symmetry demonstration).

Draws come from the ``numpy.random.Generator`` given, weights first, then biases, so the
same generator state gives the same layer.
"""

from __future__ import annotations

import numpy as np

INIT_SCHEMES = ("uniform", "he_normal", "constant")


def initial_weights(
    shape: tuple[int, ...],
    *,
    fan_in: int,
    scheme: str,
    rng: np.random.Generator | None,
    value: float = 0.0,
    dtype=np.float64,
) -> tuple[np.ndarray, np.ndarray]:
    """Return ``(weight, bias)``: ``weight`` of ``shape`` and ``bias`` of ``(shape[0],)``."""
    if scheme not in INIT_SCHEMES:
        raise ValueError(f"init must be one of {INIT_SCHEMES}, got {scheme!r}")
    bias_shape = (shape[0],)
    if scheme == "constant":
        return np.full(shape, value, dtype=dtype), np.zeros(bias_shape, dtype=dtype)
    if rng is None:
        raise ValueError(f"init {scheme!r} draws random numbers: pass rng=np.random.default_rng(seed)")
    if scheme == "he_normal":
        weight = rng.normal(0.0, np.sqrt(2.0 / fan_in), size=shape)
        return weight.astype(dtype), np.zeros(bias_shape, dtype=dtype)
    bound = 1.0 / np.sqrt(fan_in)
    weight = rng.uniform(-bound, bound, size=shape)
    bias = rng.uniform(-bound, bound, size=bias_shape)
    return weight.astype(dtype), bias.astype(dtype)
