"""initialization: constant initial filters stay identical (symmetry); random ones differ.

Computing and telling are apart: ``compute`` trains the same network from a constant and from
a random start and returns a ``Run`` of plain numbers (a ``Start`` per start);
``start_sentence`` and the ``record_*`` functions turn those numbers into the trace's curves,
notes, results and misconceptions.
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
from cnncore.train import evaluate, train_step

IMAGE_SIZE = 8
EXAMPLES = 16
IDENTICAL_TOLERANCE = 1e-12
"""Filters count as identical when they differ by at most this much (relative)."""

PARAMS = (
    Param(
        "init_value",
        "float",
        0.1,
        min=-1,
        max=1,
        help="the value of every weight in the constant initialisation",
    ),
    Param("filters", "int", 3, min=2, max=6, help="filters of the conv layer"),
    Param("iterations", "int", 20, min=1, max=60, help="gradient steps on the batch"),
    Param("learning_rate", "float", 0.3, min=0.001, max=2, help="the learning rate"),
)


@dataclass
class Start:
    """The numbers of training from one start, "constant" or "random" (nothing here is text)."""

    name: str
    initial: np.ndarray
    """(F, 1, 3, 3) conv1's filters before training."""
    final: np.ndarray
    """(F, 1, 3, 3) conv1's filters after training."""
    losses: list[float]
    """The batch loss of every iteration, then the loss after the last one (iterations + 1 values)."""
    accuracy: float
    """Accuracy on the batch after training."""
    distinct: int
    """How many different filters there are after training."""
    spread: float
    """The largest difference between any filter and filter 0 after training."""
    moved: float
    """The largest change of one weight from its start."""
    filters: int


@dataclass
class Run:
    """The numbers of the two starts, trained on the same batch."""

    init_value: float
    """The value of every weight in the constant start."""
    filters: int
    constant: Start
    random: Start


def filter_spread(weight: np.ndarray) -> float:
    """Return the largest difference between any filter (F, C, K, K) and filter 0."""
    return float(np.max(np.abs(weight - weight[:1])))


def distinct_filters(weight: np.ndarray) -> int:
    """Return how many different filters (up to ``IDENTICAL_TOLERANCE``) ``weight`` holds."""
    scale = max(1.0, float(np.max(np.abs(weight))))
    kept: list[np.ndarray] = []
    for candidate in weight:
        if all(np.max(np.abs(candidate - other)) > IDENTICAL_TOLERANCE * scale for other in kept):
            kept.append(candidate)
    return len(kept)


def train_from(start: str, init_args: dict, p: dict, x: np.ndarray, labels: np.ndarray) -> Start:
    """Return the numbers of training a small CNN, built with ``init_args``, on ``x`` (N, 1, 8, 8)."""
    model = small_cnn(
        in_channels=1, image_size=IMAGE_SIZE, filters=p["filters"], classes=len(EDGE_LABELS), **init_args
    )
    conv = model.layer("conv1")
    initial = conv.weight.value.copy()
    optimizer = SGD(model.parameters(), p["learning_rate"])
    losses = [train_step(model, optimizer, x, labels) for _ in range(p["iterations"])]
    final = evaluate(model, x, labels)
    weight = conv.weight.value
    return Start(
        name=start, initial=initial, final=weight, losses=[*losses, final.loss], accuracy=final.accuracy,
        distinct=distinct_filters(weight), spread=filter_spread(weight),
        moved=float(np.max(np.abs(weight - initial))), filters=p["filters"],
    )


def compute(p: dict, rng: np.random.Generator) -> Run:
    """Return the numbers of training the same network from a constant and from a random start.

    The batch is drawn first, then the constant start is trained (it draws nothing), then the
    random start draws its weights.
    """
    x, labels = edge_images(rng, EXAMPLES, size=IMAGE_SIZE)
    constant = train_from("constant", {"rng": None, "init": "constant", "init_value": p["init_value"]}, p, x, labels)
    random = train_from("random", {"rng": rng, "init": "uniform"}, p, x, labels)
    return Run(init_value=p["init_value"], filters=p["filters"], constant=constant, random=random)


# -- telling: every sentence below is decided from the numbers of a ``Start`` ------------------


def start_sentence(start: Start, init_value: float) -> str:
    """Return what training did to the filters of one start, decided from its numbers."""
    moved, distinct = start.moved, start.distinct
    if start.name == "constant":
        text = f"Every weight starts at {fmt(init_value)}. "
        if moved == 0:
            return text + ("The filters did not move at all: with these weights no gradient reaches "
                           "them, so they never learn and stay identical.")
        text += (f"All filters compute the same map, receive the same gradient and make the same "
                 f"update: they moved by up to {fmt(moved)} from their start, ")
        if distinct == 1:
            return text + "yet after training they are still identical, so the layer has in effect one filter."
        return text + f"and after training they form {distinct} different filters (rounding broke the tie)."
    if moved == 0:
        return ("Random weights make every filter different from the start, but no gradient reached "
                "them: they did not move.")
    return ("Random weights make every filter different from the start, so each receives its own "
            f"gradient and learns its own feature (they moved by up to {fmt(moved)}); after training "
            f"{distinct} of {start.filters} filters differ.")


def tell_start(start: Start, init_value: float, trace) -> None:
    """Record the loss curve of one start and its note on what training did to the filters."""
    trace.add_series(
        f"loss_{start.name}",
        label=f"{start.name} start",
        chart="loss",
        x=list(range(len(start.losses))),
        y=start.losses,
        x_label="iteration",
        y_label="loss",
    )
    trace.note(
        f"{start.name.capitalize()} initial weights",
        start_sentence(start, init_value),
        initial_filters=start.initial[:, 0],
        final_filters=start.final[:, 0],
        distinct_filters=start.distinct,
        largest_difference_between_filters=start.spread,
        filters_moved=start.moved,
        accuracy=start.accuracy,
    )


def record_results(run: Run, trace) -> None:
    """Record, for both starts, how many filters differ, how far apart they are, and the accuracy."""
    constant, random = run.constant, run.random
    trace.add_result(
        "distinct_filters_constant",
        constant.distinct,
        "different filters after training from a constant start",
    )
    trace.add_result(
        "distinct_filters_random", random.distinct, "different filters after training from a random start"
    )
    trace.add_result(
        "filters_identical_constant",
        constant.distinct == 1,
        "whether the constant start's filters are all still identical",
    )
    trace.add_result(
        "filters_identical_random",
        random.distinct == 1,
        "whether the random start's filters are all identical",
    )
    trace.add_result(
        "filter_spread_constant", constant.spread, "largest difference between filters (constant start)"
    )
    trace.add_result(
        "filter_spread_random", random.spread, "largest difference between filters (random start)"
    )
    trace.add_result(
        "filters_moved_constant",
        constant.moved,
        "how far the constant filters moved from their start (largest change of one weight)",
    )
    trace.add_result("accuracy_constant", constant.accuracy, "accuracy after training (constant)")
    trace.add_result("accuracy_random", random.accuracy, "accuracy after training (random)")
    trace.add_result("filters", run.filters, "filters in the layer")


def record_misconceptions(run: Run, trace) -> None:
    """Record the belief that training makes identical filters different by itself."""
    trace.add_misconception(
        "distinct_filters_constant",
        "symmetry_breaks_itself",
        run.filters,
        "expected training to make identical filters different",
    )
    trace.add_misconception(
        "filters_identical_constant",
        "symmetry_breaks_itself",
        False,
        "expected training to make identical filters different",
    )


@register(
    name="initialization",
    title="Why initial weights must be random",
    topic="initialization",
    summary=(
        "Train from constant and from random initial filters: identical filters get "
        "identical gradients and stay identical."
    ),
    params=PARAMS,
)
def build(p: dict, rng: np.random.Generator, trace) -> None:
    """Train the same network from a constant and from a random start; compare the filters."""
    run = compute(p, rng)
    for start in (run.constant, run.random):
        tell_start(start, run.init_value, trace)
    record_results(run, trace)
    record_misconceptions(run, trace)
