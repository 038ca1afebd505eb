"""learning-rate: the same network trained at a too small, a good and a too large learning rate."""

from __future__ import annotations

import numpy as np

from cnncore.optim import SGD
from cnncore.scenarios._common import fmt
from cnncore.scenarios._data import EDGE_LABELS, edge_images
from cnncore.scenarios._models import small_cnn
from cnncore.scenarios.params import Param
from cnncore.scenarios.registry import register
from cnncore.train import evaluate, train_step, weights_exploded

IMAGE_SIZE = 8
FILTERS = 4
RATES = ("small", "good", "large")
PARAMS = (
    Param("small_learning_rate", "float", 0.003, min=0.0001, max=50, help="a too small rate"),
    Param("good_learning_rate", "float", 0.3, min=0.0001, max=50, help="a good rate"),
    Param("large_learning_rate", "float", 10.0, min=0.0001, max=50, help="a too large rate"),
    Param("iterations", "int", 40, min=5, max=60, help="gradient steps at each rate"),
    Param("examples", "int", 16, min=4, max=32, help="images in the (full) batch"),
)
DIVERGENCE_FACTOR = 10.0
"""A curve stops when the loss exceeds this many times its start (it diverged)."""

BEHAVIOURS = {
    "diverges": "the loss ends higher than it started: each step overshoots further",
    "oscillates": "the loss jumps up and down: steps overshoot the valley",
    "stalls": "the loss stopped moving: a big step switched the ReLUs off for every image",
    "too slow": "the loss barely moves: the steps are too small",
    "converges": "the loss falls steadily",
}


def behaviour(losses: list[float], *, diverged: bool, iterations: int) -> str:
    """Return a key of ``BEHAVIOURS`` describing a loss curve (losses[0] is the start)."""
    start, end = losses[0], losses[-1]
    rises = sum(b > a + 0.01 * start for a, b in zip(losses, losses[1:], strict=False))
    if diverged or end > start:
        return "diverges"
    if rises >= max(2, iterations // 5):
        return "oscillates"
    tail = losses[-5:]
    if end > 0.5 * start and max(tail) - min(tail) <= 1e-9 * start:
        return "stalls"
    if end > 0.8 * start:
        return "too slow"
    return "converges"


def train_curve(x, labels, *, seed_model, lr: float, iterations: int) -> tuple[list[float], bool]:
    """Return the full-batch loss before each step and after the last, and whether it diverged.

    A run stops early when the loss exceeds ``DIVERGENCE_FACTOR`` times its start or the
    weights explode (``cnncore.train.WEIGHT_LIMIT``).
    """
    model = small_cnn(
        rng=np.random.default_rng(seed_model),
        in_channels=1,
        image_size=IMAGE_SIZE,
        filters=FILTERS,
        classes=len(EDGE_LABELS),
    )
    optimizer = SGD(model.parameters(), lr)
    losses = []
    for _ in range(iterations):
        losses.append(train_step(model, optimizer, x, labels))
        if losses[-1] > DIVERGENCE_FACTOR * losses[0] or weights_exploded(model):
            return losses, True
    losses.append(evaluate(model, x, labels).loss)
    return losses, False


@register(
    name="learning-rate",
    title="Too small, good and too large learning rates",
    topic="gradient-descent",
    summary=(
        "Train the same network at three learning rates: too small crawls, too large overshoots or diverges."
    ),
    params=PARAMS,
)
def build(p: dict, rng: np.random.Generator, trace) -> None:
    """Record one loss curve per learning rate, each from the same initial weights."""
    x, labels = edge_images(rng, p["examples"], size=IMAGE_SIZE)
    seed_model = int(rng.integers(2**32))
    trace.note(
        "The experiment",
        f"{p['examples']} images of horizontal and vertical edges, a small CNN "
        f"(conv -> ReLU -> pool -> linear -> softmax), the same random initial weights for every "
        f"run, and {p['iterations']} gradient steps on the whole batch at each learning rate. "
        "Each step moves the weights against the gradient, scaled by the learning rate: too "
        "small and it crawls, too high and it overshoots.",
        images=x[:, 0],
        labels=labels,
    )
    finals = {}
    for rate in RATES:
        lr = p[f"{rate}_learning_rate"]
        losses, diverged = train_curve(x, labels, seed_model=seed_model, lr=lr, iterations=p["iterations"])
        kind = behaviour(losses, diverged=diverged, iterations=p["iterations"])
        finals[rate] = (lr, losses[-1], kind)
        initial_loss = losses[0]
        trace.add_series(
            f"loss_{rate}",
            label=f"learning rate {lr:g}",
            chart="loss",
            x=list(range(len(losses))),
            y=losses,
            x_label="iteration",
            y_label="loss",
        )
        trace.note(
            f"Learning rate {lr:g} ({rate})",
            f"Loss {fmt(losses[0])} -> {fmt(losses[-1])} after {len(losses) - 1} step(s): "
            f"{kind}, {BEHAVIOURS[kind]}." + (" The run stopped when the loss blew up." if diverged else ""),
            initial_loss=losses[0],
            final_loss=losses[-1],
            behaviour=kind,
        )
    best = min(RATES, key=lambda rate: finals[rate][1])
    trace.add_result("initial_loss", initial_loss, "the loss before training (same for all rates)")
    for rate in RATES:
        lr, final, kind = finals[rate]
        trace.add_result(f"final_loss_{rate}", final, f"loss at the end with learning rate {lr:g}")
        trace.add_result(f"behaviour_{rate}", kind, f"what learning rate {lr:g} does")
    trace.add_result("best_learning_rate", finals[best][0], "the rate with the lowest final loss")
    largest = max(finals[rate][0] for rate in RATES)
    trace.add_misconception(
        "best_learning_rate", "largest_is_best", largest, "assumed the largest learning rate trains best"
    )
    smallest = min(finals[rate][0] for rate in RATES)
    trace.add_misconception(
        "best_learning_rate", "smallest_is_safest", smallest, "assumed the smallest learning rate trains best"
    )
