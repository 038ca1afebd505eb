"""learning-rate: the same network trained at a too small, a good and a too large learning rate.

Computing and telling are apart: ``compute`` trains one curve per learning rate and returns a
``Run`` of plain numbers; ``intro_text``, ``curve_text`` and the ``record_*`` functions turn
those numbers into the trace's notes, series, results and misconceptions.
"""

from __future__ import annotations

from dataclasses import dataclass

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


@dataclass
class Curve:
    """The training run at one learning rate (nothing here is text)."""

    rate: str
    """Which rate of ``RATES``: "small", "good" or "large"."""
    learning_rate: float
    losses: list[float]
    """The full-batch loss before each step and after the last (shorter if it diverged)."""
    diverged: bool
    kind: str
    """What the curve does: a key of ``BEHAVIOURS``."""


@dataclass
class Run:
    """The numbers of one experiment: the data and one curve per rate (nothing here is text)."""

    examples: int
    iterations: int
    x: np.ndarray
    """(N, 1, 8, 8) the edge images (N = examples)."""
    labels: np.ndarray
    """(N,) their labels."""
    curves: list[Curve]
    """One per rate, in the order of ``RATES``."""

    @property
    def initial_loss(self) -> float:
        """Return the loss before training (the same for every rate; read from the last curve)."""
        return self.curves[-1].losses[0]

    @property
    def best(self) -> Curve:
        """Return the curve with the lowest final loss (the first of ``RATES`` on ties)."""
        return min(self.curves, key=lambda curve: curve.losses[-1])


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


def compute(p: dict, rng: np.random.Generator) -> Run:
    """Draw the images and the initial weights' seed, then train one curve per learning rate."""
    x, labels = edge_images(rng, p["examples"], size=IMAGE_SIZE)
    seed_model = int(rng.integers(2**32))
    iterations = p["iterations"]
    curves = []
    for rate in RATES:
        lr = p[f"{rate}_learning_rate"]
        losses, diverged = train_curve(x, labels, seed_model=seed_model, lr=lr, iterations=iterations)
        kind = behaviour(losses, diverged=diverged, iterations=iterations)
        curves.append(Curve(rate, lr, losses, diverged, kind))
    return Run(p["examples"], iterations, x, labels, curves)


# -- telling: every text below is made from the numbers of the ``Run`` -------------------------


def intro_text(run: Run) -> str:
    """Return the first note: the images, the network, the shared start and the steps."""
    return (
        f"{run.examples} images of horizontal and vertical edges, a small CNN "
        f"(conv -> ReLU -> pool -> linear -> softmax), the same random initial weights for every "
        f"run, and {run.iterations} gradient steps on the whole batch at each learning rate. "
        "Each step moves the weights against the gradient, scaled by the learning rate: too "
        "small and it crawls, too high and it overshoots."
    )


def curve_text(curve: Curve) -> str:
    """Return how the loss went at one rate and what that behaviour means."""
    losses = curve.losses
    stopped = " The run stopped when the loss blew up." if curve.diverged else ""
    return (
        f"Loss {fmt(losses[0])} -> {fmt(losses[-1])} after {len(losses) - 1} step(s): "
        f"{curve.kind}, {BEHAVIOURS[curve.kind]}." + stopped
    )


def tell_curves(run: Run, trace) -> None:
    """Record, per learning rate, its loss curve as a series and a note on what it does."""
    for curve in run.curves:
        losses, lr = curve.losses, curve.learning_rate
        trace.add_series(
            f"loss_{curve.rate}",
            label=f"learning rate {lr:g}",
            chart="loss",
            x=list(range(len(losses))),
            y=losses,
            x_label="iteration",
            y_label="loss",
        )
        trace.note(
            f"Learning rate {lr:g} ({curve.rate})",
            curve_text(curve),
            initial_loss=losses[0],
            final_loss=losses[-1],
            behaviour=curve.kind,
        )


def record_results(run: Run, trace) -> None:
    """Record the initial loss, each rate's final loss and behaviour, and the best rate."""
    trace.add_result("initial_loss", run.initial_loss, "the loss before training (same for all rates)")
    for curve in run.curves:
        lr = curve.learning_rate
        trace.add_result(f"final_loss_{curve.rate}", curve.losses[-1], f"loss at the end with learning rate {lr:g}")
        trace.add_result(f"behaviour_{curve.rate}", curve.kind, f"what learning rate {lr:g} does")
    trace.add_result("best_learning_rate", run.best.learning_rate, "the rate with the lowest final loss")


def record_misconceptions(run: Run, trace) -> None:
    """Record the best rate believed of the largest and of the smallest learning rate."""
    rates = [curve.learning_rate for curve in run.curves]
    trace.add_misconception(
        "best_learning_rate", "largest_is_best", max(rates), "assumed the largest learning rate trains best"
    )
    trace.add_misconception(
        "best_learning_rate", "smallest_is_safest", min(rates), "assumed the smallest learning rate trains best"
    )


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
    run = compute(p, rng)
    trace.note("The experiment", intro_text(run), images=run.x[:, 0], labels=run.labels)
    tell_curves(run, trace)
    record_results(run, trace)
    record_misconceptions(run, trace)
