"""Train a classifier: one iteration is forward, loss, backward and update.

The loss (``LOSSES``) is softmax cross-entropy (``cnncore.losses.cross_entropy_loss``, the
default) or the squared error of the softmax outputs against one-hot targets
(``"mse"``: ``cnncore.losses.softmax_squared_error``), both a mean over the batch. Every
function takes an optional ``trace`` and records its steps into it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from cnncore.functional import softmax
from cnncore.losses import cross_entropy_loss, one_hot, softmax_squared_error

if TYPE_CHECKING:
    from cnncore.nn import Module
    from cnncore.optim import SGD
    from cnncore.trace import Trace

WEIGHT_LIMIT = 1e6
"""A run whose weights grow past this has diverged; stopping there keeps every number finite."""

LOSS_EXPLANATION = (
    "The loss measures the error: softmax turns the logits into probabilities and the "
    "cross-entropy is -log of the probability given to the true class (mean over the batch). "
    "Its gradient with respect to the logits is (probabilities - one-hot label) / batch size."
)

MSE_EXPLANATION = (
    "The loss measures the error: softmax turns the logits z into probabilities y, and the "
    "squared error L = 1/2 * sum (y - t)^2 compares them with the one-hot target t (mean over "
    "the batch). Its gradient with respect to the outputs is dL/dy = y - t (the 1/2 cancels the "
    "2 of the square); the softmax Jacobian dy/dz = diag(y) - y y^T then gives dL/dz."
)
LOSSES = ("mse", "cross_entropy")
"""Loss names: squared error on the softmax outputs, softmax cross-entropy."""


@dataclass(frozen=True)
class Evaluation:
    """Loss, accuracy, probabilities (N, K) and predicted classes (N,) of a model on a batch."""

    loss: float
    accuracy: float
    probabilities: np.ndarray
    predictions: np.ndarray


def softmax_cross_entropy(
    logits: np.ndarray, labels: np.ndarray, *, trace: Trace | None = None
) -> tuple[float, np.ndarray, np.ndarray]:
    """Return ``(loss, dlogits, probabilities)`` for logits (N, K) and labels (N,)."""
    loss, dlogits = cross_entropy_loss(logits, labels)
    probabilities = softmax(logits)
    if trace is not None:
        trace.add_step(
            "loss",
            "softmax and cross-entropy loss",
            explanation=LOSS_EXPLANATION,
            arrays={"logits": logits, "probabilities": probabilities, "labels": labels, "dlogits": dlogits},
            scalars={"loss": loss},
            labels={"labels": "true class indices"},
        )
    return loss, dlogits, probabilities


def softmax_mse(
    logits: np.ndarray, labels: np.ndarray, *, trace: Trace | None = None
) -> tuple[float, np.ndarray, np.ndarray]:
    """Return ``(loss, dlogits, probabilities)`` of 1/2 sum (y - t)^2 for logits (N, K), labels (N,).

    The trace shows the one-hot target t (N, K), dL/dy = (y - t) / N (N, K) before the
    softmax, and dL/dz (N, K) after it.
    """
    loss, dlogits = softmax_squared_error(logits, labels)
    probabilities = softmax(logits)
    if trace is not None:
        target = one_hot(labels, logits.shape[1])
        trace.add_step(
            "loss",
            "softmax and squared-error loss",
            explanation=MSE_EXPLANATION,
            arrays={"logits": logits, "probabilities": probabilities, "target": target,
                    "dprobabilities": (probabilities - target) / logits.shape[0], "dlogits": dlogits},
            scalars={"loss": loss},
            labels={"dprobabilities": "dL/dy = y - t" if logits.shape[0] == 1 else "dL/dy = (y - t) / N"},
        )
    return loss, dlogits, probabilities


def loss_and_gradient(
    logits: np.ndarray, labels: np.ndarray, *, loss: str = "cross_entropy", trace: Trace | None = None
) -> tuple[float, np.ndarray, np.ndarray]:
    """Return ``(loss, dlogits, probabilities)`` for the loss named ``loss`` (see ``LOSSES``)."""
    if loss == "mse":
        return softmax_mse(logits, labels, trace=trace)
    if loss == "cross_entropy":
        return softmax_cross_entropy(logits, labels, trace=trace)
    raise ValueError(f"loss must be one of {LOSSES}, got {loss!r}")


def train_step(
    model: Module, optimizer: SGD, x: np.ndarray, labels: np.ndarray, *,
    loss: str = "cross_entropy", trace: Trace | None = None,
) -> float:
    """Run one iteration on the batch ``x`` (N, ...) with ``labels`` (N,); return its loss."""
    optimizer.zero_grad()
    logits = model.forward(x, trace=trace)
    value, dlogits, _ = loss_and_gradient(logits, labels, loss=loss, trace=trace)
    model.backward(dlogits, trace=trace)
    optimizer.step(trace=trace)
    return value


def evaluate(model: Module, x: np.ndarray, labels: np.ndarray, *, loss: str = "cross_entropy") -> Evaluation:
    """Return the model's loss (``loss``, see ``LOSSES``) and accuracy on ``x`` (N, ...), ``labels`` (N,)."""
    logits = model.forward(x)
    value, _, probabilities = loss_and_gradient(logits, labels, loss=loss)
    predictions = probabilities.argmax(axis=1)
    return Evaluation(value, float(np.mean(predictions == labels)), probabilities, predictions)


def weights_exploded(model: Module) -> bool:
    """Return whether any weight's magnitude reached ``WEIGHT_LIMIT`` (or is NaN)."""
    return not all(np.abs(p.value).max() < WEIGHT_LIMIT for p in model.parameters())


def minibatches(count: int, batch_size: int, rng: np.random.Generator | None) -> list[np.ndarray]:
    """Return the index arrays of one epoch: ``ceil(count / batch_size)`` batches.

    With ``rng`` the examples are shuffled first; the last batch holds what is left over.
    """
    order = np.arange(count) if rng is None else rng.permutation(count)
    return [order[start : start + batch_size] for start in range(0, count, batch_size)]
