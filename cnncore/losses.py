"""Loss functions, each returning ``(loss, dinput)``, like ``torch.nn.functional``.

``loss`` is a Python float; ``dinput`` is the gradient of ``loss`` with respect
to the first argument, with its shape and dtype (float32 stays float32, float64
stays float64, ints are cast to float64; see ``cnncore._checks``).

``reduction`` has PyTorch's meaning: ``"mean"`` divides the summed loss by the
number of elements (for cross-entropy: by the number of examples N), ``"sum"``
does not. PyTorch's ``"none"`` is not offered, since the loss is one number.
"""

from __future__ import annotations

import numpy as np

from cnncore import _checks
from cnncore.functional import softmax, softmax_backward

__all__ = [
    "binary_cross_entropy_loss",
    "cross_entropy_loss",
    "half_squared_error",
    "mse_loss",
    "one_hot",
    "softmax_squared_error",
]

REDUCTIONS = ("mean", "sum")
BCE_LOG_FLOOR = -100.0  # torch clamps log(p) and log(1 - p) at -100
# torch divides by max(p * (1 - p), EPSILON) with EPSILON the C++ float 1e-12 (9.99999996e-13).
BCE_GRAD_EPSILON = float(np.float32(1e-12))


def mse_loss(pred, target, reduction: str = "mean") -> tuple[float, np.ndarray]:
    """Return ``(loss, dpred)`` of the mean squared error, like ``F.mse_loss``.

    Arrays:
        pred, target: any shape, the same for both (S elements).
        loss:  ``sum((pred - target)**2)``, divided by S for ``"mean"``.
        dpred: shape of ``pred``, ``2 * (pred - target)``, divided by S for ``"mean"``.
    """
    pred, target = _same_shape("pred", pred, "target", target)
    count = _reduction_count(reduction, pred.size)
    diff = np.asarray(pred - target)  # a 0-d array, not a scalar, for 0-d input
    loss = float(np.sum(diff * diff) / count)
    diff *= 2 / count  # in place, so the gradient stays an array even for 0-d input
    return loss, diff


def half_squared_error(pred, target) -> tuple[float, np.ndarray]:
    """Return ``(loss, dpred)`` of the teaching material's ``L = 1/2 (target - prediction)^2``.

    Arrays:
        pred, target: any shape, the same for both (one example: often a scalar).
        loss:  ``0.5 * sum((target - pred)**2)``, i.e. ``0.5 * mse_loss(..., reduction="sum")``.
        dpred: shape of ``pred``, ``pred - target`` (the 1/2 cancels the 2 of the square).
    """
    loss, dpred = mse_loss(pred, target, reduction="sum")
    dpred *= 0.5
    return 0.5 * loss, dpred


def one_hot(labels, classes: int) -> np.ndarray:
    """Return the one-hot targets (N, K) float64 of integer ``labels`` (N,) in ``[0, K)``."""
    labels = np.asarray(labels)
    _class_labels(labels, (labels.shape[0] if labels.ndim == 1 else -1, classes))
    target = np.zeros((labels.shape[0], classes))
    target[np.arange(labels.shape[0]), labels] = 1.0
    return target


def softmax_squared_error(logits, labels, reduction: str = "mean") -> tuple[float, np.ndarray]:
    """Return ``(loss, dlogits)`` of the squared error of softmax outputs against one-hot targets.

    Arrays:
        logits:  (N, K) class scores ``z``; ``y = softmax(z)`` row by row.
        labels:  (N,) integer class indices; ``t = one_hot(labels, K)``.
        loss:    ``sum_n 1/2 sum_k (y[n, k] - t[n, k])**2``, divided by N for ``"mean"``
                 (for one example, the teaching material's ``L = 1/2 sum (t - y)^2``).
        dlogits: (N, K): ``dL/dy = y - t`` (divided by N for "mean") taken back through the
                 softmax Jacobian (``cnncore.functional.softmax_backward``).

    Equals ``0.5 * ((softmax(z) - t)**2).sum(1).mean()`` in PyTorch (``.sum()`` for "sum").
    """
    logits = _checks.as_float("logits", logits)
    _checks.check_ndim("logits", logits, 2, "(N, K)")
    _checks.check_not_empty("logits", logits)
    _checks.check_finite("logits", logits)
    labels = _class_labels(labels, logits.shape)
    count = _reduction_count(reduction, logits.shape[0])
    probabilities = softmax(logits)
    diff = probabilities - one_hot(labels, logits.shape[1]).astype(logits.dtype)
    loss = 0.5 * float(np.sum(diff * diff)) / count
    return loss, softmax_backward(diff / count, probabilities)


def cross_entropy_loss(logits, labels, reduction: str = "mean") -> tuple[float, np.ndarray]:
    """Return ``(loss, dlogits)`` of softmax cross-entropy, like ``F.cross_entropy``.

    Arrays:
        logits:  (N, K) unnormalised class scores ``z``.
        labels:  (N,) integer class indices ``y[n]`` in ``[0, K)``.
        loss:    ``-sum_n log softmax(z[n])[y[n]]``, divided by N for ``"mean"``.
        dlogits: (N, K), ``softmax(z) - onehot(y)``, divided by N for ``"mean"``.

    ``log softmax(z) = (z - max z) - log(sum exp(z - max z))`` never overflows.
    """
    logits = _checks.as_float("logits", logits)
    _checks.check_ndim("logits", logits, 2, "(N, K)")
    _checks.check_not_empty("logits", logits)
    _checks.check_finite("logits", logits)
    labels = _class_labels(labels, logits.shape)
    count = _reduction_count(reduction, logits.shape[0])

    shifted = logits - logits.max(axis=1, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    rows = np.arange(logits.shape[0])
    loss = -np.sum(log_probs[rows, labels]) / count
    dlogits = np.exp(log_probs)
    dlogits[rows, labels] -= 1
    dlogits /= count
    return float(loss), dlogits


def binary_cross_entropy_loss(probs, targets, reduction: str = "mean") -> tuple[float, np.ndarray]:
    """Return ``(loss, dprobs)`` of binary cross-entropy, like ``F.binary_cross_entropy``.

    Arrays:
        probs:   any shape (S elements), probabilities ``p`` in [0, 1] (e.g. sigmoid outputs).
        targets: shape of ``probs``, values ``t`` in [0, 1].
        loss:    ``-sum(t * log(p) + (1 - t) * log(1 - p))``, divided by S for ``"mean"``;
                 each log is clamped at -100 as in PyTorch, so p = 0 or 1 gives a finite loss.
        dprobs:  shape of ``probs``, ``(p - t) / max(p * (1 - p), 1e-12)``, divided by S
                 for ``"mean"`` (PyTorch's formula, finite at p = 0 and p = 1).
    """
    probs, targets = _same_shape("probs", probs, "targets", targets)
    _check_unit_interval("probs", probs)
    _check_unit_interval("targets", targets)
    count = _reduction_count(reduction, probs.size)

    with np.errstate(divide="ignore"):
        log_p = np.maximum(np.log(probs), BCE_LOG_FLOOR)
        log_not_p = np.maximum(np.log1p(-probs), BCE_LOG_FLOOR)
    loss = -np.sum(targets * log_p + (1 - targets) * log_not_p) / count
    dprobs = (probs - targets) / np.maximum(probs * (1 - probs), BCE_GRAD_EPSILON) / count
    return float(loss), dprobs


def _same_shape(name_a: str, a, name_b: str, b) -> tuple[np.ndarray, np.ndarray]:
    """Return ``a`` and ``b`` as finite arrays of one float dtype and one shape."""
    a, b = _checks.as_common_float(**{name_a: a, name_b: b})
    if a.shape != b.shape:
        raise ValueError(f"{name_a} has shape {a.shape} but {name_b} has shape {b.shape}")
    _checks.check_not_empty(name_a, a)
    _checks.check_finite(name_a, a)
    _checks.check_finite(name_b, b)
    return a, b


def _reduction_count(reduction: str, size: int) -> int:
    """Return what the summed loss is divided by: ``size`` for "mean", 1 for "sum"."""
    if reduction not in REDUCTIONS:
        raise ValueError(f"reduction must be 'mean' or 'sum', got {reduction!r}")
    return size if reduction == "mean" else 1


def _class_labels(labels, logits_shape: tuple[int, int]) -> np.ndarray:
    """Return ``labels`` as an int array (N,), each in ``[0, K)`` for logits (N, K)."""
    n, k = logits_shape
    try:
        labels = np.asarray(labels)
    except (TypeError, ValueError) as error:
        raise ValueError(f"labels is not an integer array: {error}") from None
    if labels.dtype.kind not in "iu":
        raise ValueError(f"labels must be integer class indices, got dtype {labels.dtype}")
    if labels.shape != (n,):
        raise ValueError(
            f"labels must have shape ({n},) for logits of shape {logits_shape}, got {labels.shape}"
        )
    outside = (labels < 0) | (labels >= k)
    if outside.any():
        first = int(np.argmax(outside))
        raise ValueError(f"labels must be in [0, {k}) for {k} classes, got labels[{first}] = {labels[first]}")
    return labels


def _check_unit_interval(name: str, array: np.ndarray) -> None:
    outside = (array < 0) | (array > 1)
    if outside.any():
        first = tuple(int(i) for i in np.argwhere(outside)[0])
        raise ValueError(f"{name} must lie in [0, 1], got {name}[{first}] = {array[first]}")
