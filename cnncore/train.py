"""Train a classifier: one iteration is forward, loss, backward and update.

The loss is softmax cross-entropy (``cnncore.losses.cross_entropy_loss``, mean over the
batch). Every function takes an optional ``trace`` and records its steps into it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from cnncore.functional import softmax
from cnncore.losses import cross_entropy_loss

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


def train_step(
    model: Module, optimizer: SGD, x: np.ndarray, labels: np.ndarray, *, trace: Trace | None = None
) -> float:
    """Run one iteration on the batch ``x`` (N, ...) with ``labels`` (N,); return its loss."""
    optimizer.zero_grad()
    logits = model.forward(x, trace=trace)
    loss, dlogits, _ = softmax_cross_entropy(logits, labels, trace=trace)
    model.backward(dlogits, trace=trace)
    optimizer.step(trace=trace)
    return loss


def evaluate(model: Module, x: np.ndarray, labels: np.ndarray) -> Evaluation:
    """Return the model's loss and accuracy on ``x`` (N, ...) with ``labels`` (N,)."""
    logits = model.forward(x)
    loss, _ = cross_entropy_loss(logits, labels)
    probabilities = softmax(logits)
    predictions = probabilities.argmax(axis=1)
    return Evaluation(loss, float(np.mean(predictions == labels)), probabilities, predictions)


def weights_exploded(model: Module) -> bool:
    """Return whether any weight's magnitude reached ``WEIGHT_LIMIT`` (or is NaN)."""
    return not all(np.abs(p.value).max() < WEIGHT_LIMIT for p in model.parameters())


def minibatches(count: int, batch_size: int, rng: np.random.Generator | None) -> list[np.ndarray]:
    """Return the index arrays of one epoch: ``ceil(count / batch_size)`` batches.

    With ``rng`` the examples are shuffled first; the last batch holds what is left over.
    """
    order = np.arange(count) if rng is None else rng.permutation(count)
    return [order[start : start + batch_size] for start in range(0, count, batch_size)]
