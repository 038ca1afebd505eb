"""Numerical gradient checks shared by the cnncore tests.

The API is two functions::

    numerical_gradient(f, x, dout, h=1e-6) -> array shaped like x
    relative_error(actual, reference)      -> float

``f`` is any function of one array returning an array (or a scalar). The
numerical gradient is the vector-Jacobian product ``dout . d f(x) / dx``
estimated with centred differences, so it can be compared directly with what a
``*_backward(dout, cache)`` returns::

    out, cache = relu_forward(x)
    dout = rng.standard_normal(out.shape)
    dx = relu_backward(dout, cache)
    num = numerical_gradient(lambda a: relu_forward(a)[0], x, dout)
    assert relative_error(dx, num) < 1e-7

Use float64 inputs: the step ``h = 1e-6`` is far below float32 resolution.
``x`` itself is never modified: ``f`` is called on a private copy that is
perturbed one element at a time, so ``f`` must not keep the array it is given.

For a scalar loss, pass ``dout=1.0`` (the default).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

DEFAULT_STEP = 1e-6


def numerical_gradient(
    f: Callable[[np.ndarray], np.ndarray | float],
    x: np.ndarray,
    dout: np.ndarray | float = 1.0,
    h: float = DEFAULT_STEP,
) -> np.ndarray:
    """Return ``sum(dout * f(x))`` differentiated by ``x``, by centred differences.

    Arrays:
        x:    any shape, float64 (not modified).
        dout: shape of ``f(x)`` (or a scalar for a scalar ``f``).
        returns: shape of ``x``, float64.

    Each element costs two calls of ``f``:
    ``grad[i] = sum(dout * (f(x + h e_i) - f(x - h e_i))) / (2 h)``.
    """
    if np.asarray(x).dtype != np.float64:
        raise ValueError(f"numerical_gradient needs float64 input, got {np.asarray(x).dtype}")
    x = np.array(x, dtype=np.float64, copy=True)
    dout = np.asarray(dout, dtype=np.float64)
    grad = np.zeros_like(x)
    it = np.nditer(x, flags=["multi_index"], op_flags=[["readwrite"]])
    for _ in it:
        index = it.multi_index
        original = x[index]
        x[index] = original + h
        plus = np.asarray(f(x), dtype=np.float64)
        x[index] = original - h
        minus = np.asarray(f(x), dtype=np.float64)
        x[index] = original
        grad[index] = np.sum(dout * (plus - minus)) / (2.0 * h)
    return grad


def relative_error(actual: np.ndarray, reference: np.ndarray) -> float:
    """Return ``max |actual - reference| / max |reference|`` (0.0 if both are zero).

    This is the project's accuracy measure (see the cnncore contract). When the
    reference is all zeros, the maximum absolute difference is returned instead,
    so an exact zero still compares as 0.0 and anything else is visible.
    """
    actual = np.asarray(actual, dtype=np.float64)
    reference = np.asarray(reference, dtype=np.float64)
    if actual.shape != reference.shape:
        raise ValueError(f"shapes differ: {actual.shape} vs {reference.shape}")
    if actual.size == 0:
        return 0.0
    diff = float(np.max(np.abs(actual - reference)))
    scale = float(np.max(np.abs(reference)))
    return diff / scale if scale > 0.0 else diff
