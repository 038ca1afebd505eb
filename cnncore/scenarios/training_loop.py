"""training-loop: mini-batches, iterations and epochs; accuracy rising epoch by epoch.

Computing and telling are apart: ``Schedule`` holds the counts the parameters fix (iterations
per epoch, the last batch), ``compute`` trains and returns a ``Run`` of plain numbers per epoch
and per iteration; ``intro_text``, ``epoch_text``, ``blew_up_text`` and the ``record_*``
functions turn those numbers into the trace's notes, curves, results and misconceptions.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from cnncore.optim import SGD
from cnncore.scenarios._common import fmt
from cnncore.scenarios._data import EDGE_LABELS, edge_images
from cnncore.scenarios._models import small_cnn
from cnncore.scenarios.params import Param
from cnncore.scenarios.registry import register
from cnncore.train import WEIGHT_LIMIT, evaluate, minibatches, train_step, weights_exploded

IMAGE_SIZE = 8
FILTERS = 4
DETAILED_BATCH_LIMIT = 16
"""The first iteration is recorded step by step only for batches up to this size."""
PARAMS = (
    Param("examples", "int", 48, min=8, max=64, help="training images N"),
    Param("batch_size", "int", 8, min=1, max=64, help="images per iteration (mini-batch)"),
    Param("epochs", "int", 6, min=1, max=8, help="passes over the whole training set"),
    Param("learning_rate", "float", 0.2, min=0.001, max=2, help="the learning rate"),
    Param("momentum", "float", 0.0, min=0, max=0.95, help="SGD momentum (0: plain SGD)"),
    Param("noise", "float", 0.2, min=0, max=1, help="noise added to every pixel (std)"),
)


@dataclass
class Schedule:
    """The counts the parameters fix before any training: batches, iterations and epochs."""

    examples: int
    """Training images N (and as many test images)."""
    batch_size: int
    epochs: int
    per_epoch: int
    """Iterations per epoch: ceil(N / batch size)."""
    last_batch: int
    """Images in the last batch of an epoch."""
    detailed: bool
    """Whether the first iteration is recorded step by step (batches up to ``DETAILED_BATCH_LIMIT``)."""

    @classmethod
    def of(cls, p: dict) -> Schedule:
        """Return the schedule of the parameters ``p``."""
        n, batch_size = p["examples"], p["batch_size"]
        per_epoch = math.ceil(n / batch_size)
        return cls(
            examples=n, batch_size=batch_size, epochs=p["epochs"], per_epoch=per_epoch,
            last_batch=n - (per_epoch - 1) * batch_size, detailed=min(batch_size, n) <= DETAILED_BATCH_LIMIT,
        )


@dataclass
class Run:
    """The numbers of one training run (nothing here is text).

    The per-epoch lists hold the value before training first, then one value per completed
    epoch (E + 1 values, fewer when the weights blew up).
    """

    schedule: Schedule
    epoch_loss: list[float] = field(default_factory=list)
    """Training loss per epoch."""
    train_accuracy: list[float] = field(default_factory=list)
    """Accuracy on the N training images per epoch."""
    test_accuracy: list[float] = field(default_factory=list)
    """Accuracy on N new test images per epoch."""
    iteration_losses: list[float] = field(default_factory=list)
    """The batch loss of every iteration run, in order."""
    diverged: bool = False
    """Whether the weights blew up (training stopped in the epoch after the last completed one)."""

    @property
    def completed_epochs(self) -> int:
        """Return how many epochs ran to the end."""
        return len(self.epoch_loss) - 1


def compute(p: dict, schedule: Schedule, rng: np.random.Generator, trace) -> Run:
    """Train a small CNN on edge images; return its losses and accuracies per epoch and per iteration.

    The first iteration is recorded step by step into ``trace`` when ``schedule.detailed``;
    training stops as soon as the weights blow up.
    """
    n, noise = schedule.examples, p["noise"]
    x, labels = edge_images(rng, n, size=IMAGE_SIZE, noise=noise)
    x_test, labels_test = edge_images(rng, n, size=IMAGE_SIZE, noise=noise)
    model = small_cnn(rng=rng, in_channels=1, image_size=IMAGE_SIZE, filters=FILTERS, classes=len(EDGE_LABELS))
    optimizer = SGD(model.parameters(), p["learning_rate"], momentum=p["momentum"])
    run = Run(schedule)

    def measure() -> None:
        """Append the loss and accuracy on the training images and the accuracy on the test images."""
        trained, tested = evaluate(model, x, labels), evaluate(model, x_test, labels_test)
        run.epoch_loss.append(trained.loss)
        run.train_accuracy.append(trained.accuracy)
        run.test_accuracy.append(tested.accuracy)

    measure()
    for _ in range(schedule.epochs):
        for batch in minibatches(n, schedule.batch_size, rng):
            first = schedule.detailed and not run.iteration_losses
            run.iteration_losses.append(
                train_step(model, optimizer, x[batch], labels[batch], trace=trace if first else None)
            )
            if weights_exploded(model):
                run.diverged = True
                return run
        measure()
    return run


# -- telling: every text below is made from the numbers of ``Schedule`` and ``Run`` ------------


def intro_text(schedule: Schedule) -> str:
    """Return the first note: how N images in batches make iterations and epochs."""
    n, batch_size, per_epoch = schedule.examples, schedule.batch_size, schedule.per_epoch
    return (
        f"{n} training images (horizontal or vertical edges) in mini-batches of {batch_size}: "
        f"one iteration (forward, loss, backward, update) per batch, so an epoch (one pass "
        f"over all images) takes ceil({n} / {batch_size}) = {per_epoch} iteration(s)"
        + (f", the last with {schedule.last_batch} image(s)" if schedule.last_batch != batch_size else "")
        + f". {schedule.epochs} epoch(s) make {per_epoch * schedule.epochs} iterations. The images are "
        "shuffled every epoch. "
        + (
            "The first iteration is shown in full below."
            if schedule.detailed
            else f"(The first iteration is shown in full for batches up to {DETAILED_BATCH_LIMIT}.)"
        )
    )


def epoch_text(run: Run, epoch: int) -> str:
    """Return the loss and the accuracies after ``epoch`` (1 for the first)."""
    return (
        f"After {epoch * run.schedule.per_epoch} iterations: training loss {fmt(run.epoch_loss[epoch])}, "
        f"accuracy {run.train_accuracy[epoch]:.0%} on the training images and {run.test_accuracy[epoch]:.0%} "
        f"on {run.schedule.examples} new test images."
    )


def blew_up_text(run: Run) -> str:
    """Return where the weights blew up and why training stopped."""
    return (
        f"At iteration {len(run.iteration_losses)} the weights grew past "
        f"{WEIGHT_LIMIT:g}: the learning rate is too high and each step overshoots "
        "further. Training stops here."
    )


def tell_epochs(run: Run, trace) -> None:
    """Record a note per completed epoch, then one for the epoch in which the weights blew up."""
    for epoch in range(1, run.completed_epochs + 1):
        trace.note(
            f"Epoch {epoch}",
            epoch_text(run, epoch),
            loss=run.epoch_loss[epoch],
            train_accuracy=run.train_accuracy[epoch],
            test_accuracy=run.test_accuracy[epoch],
        )
    if run.diverged:
        trace.note(
            f"Epoch {run.completed_epochs + 1}: the weights blew up",
            blew_up_text(run),
            iterations=len(run.iteration_losses),
        )


def record_curves(run: Run, trace) -> None:
    """Record the loss per epoch and per iteration, and the two accuracies per epoch."""
    epochs_axis = list(range(len(run.epoch_loss)))
    curves = (
        ("loss_per_epoch", "training loss", "loss", epochs_axis, run.epoch_loss, "epoch", "loss"),
        ("loss_per_iteration", "batch loss", "iteration_loss", list(range(1, len(run.iteration_losses) + 1)),
         run.iteration_losses, "iteration", "loss"),
        ("train_accuracy", "training accuracy", "accuracy", epochs_axis, run.train_accuracy, "epoch", "accuracy"),
        ("test_accuracy", "test accuracy", "accuracy", epochs_axis, run.test_accuracy, "epoch", "accuracy"),
    )
    for name, label, chart, x, y, x_label, y_label in curves:
        trace.add_series(name, label=label, chart=chart, x=x, y=y, x_label=x_label, y_label=y_label)


def record_results(run: Run, trace) -> None:
    """Record the counts of the schedule and the losses and accuracies before and after training."""
    schedule = run.schedule
    trace.add_result("iterations_per_epoch", schedule.per_epoch, "ceil(N / batch size)")
    trace.add_result("total_iterations", schedule.per_epoch * schedule.epochs, "iterations per epoch x epochs")
    trace.add_result("last_batch_size", schedule.last_batch, "images in the last batch of an epoch")
    trace.add_result("initial_accuracy", run.train_accuracy[0], "training accuracy before training")
    trace.add_result("final_accuracy", run.train_accuracy[-1], "training accuracy after the last epoch")
    trace.add_result("diverged", run.diverged, "whether the weights blew up (training stopped early)")
    trace.add_result("final_test_accuracy", run.test_accuracy[-1], "accuracy on new test images")
    trace.add_result("initial_loss", run.epoch_loss[0], "training loss before training")
    trace.add_result("final_loss", run.epoch_loss[-1], "training loss after the last epoch")
    trace.add_result("examples", schedule.examples, "training images N")
    trace.add_result("batch_size", schedule.batch_size, "images per iteration")
    trace.add_result("epochs", schedule.epochs, "passes over the training set")


def record_misconceptions(schedule: Schedule, trace) -> None:
    """Record the wrong counts of iterations: rounding down, one per image or per epoch, one epoch."""
    n = schedule.examples
    trace.add_misconception(
        "iterations_per_epoch",
        "floor_instead_of_ceil",
        n // schedule.batch_size,
        "rounded N / batch size down: the last, smaller batch still counts",
    )
    trace.add_misconception(
        "iterations_per_epoch",
        "one_per_example",
        n,
        "counted one iteration per image: an iteration processes a batch",
    )
    trace.add_misconception("iterations_per_epoch", "one_per_epoch", 1, "thought an epoch is one iteration")
    trace.add_misconception("total_iterations", "forgot_epochs", schedule.per_epoch, "counted one epoch only")
    trace.add_misconception(
        "total_iterations", "examples_times_epochs", n * schedule.epochs, "counted images instead of batches"
    )


@register(
    name="training-loop",
    title="The training loop: batches, iterations and epochs",
    topic="training-loop",
    summary="Train a tiny CNN with mini-batches for several epochs and watch the accuracy rise.",
    params=PARAMS,
)
def build(p: dict, rng: np.random.Generator, trace) -> None:
    """Record the first iteration in full, then loss and accuracy per epoch."""
    schedule = Schedule.of(p)
    trace.note(
        "Batches, iterations and epochs",
        intro_text(schedule),
        examples=schedule.examples,
        batch_size=schedule.batch_size,
        iterations_per_epoch=schedule.per_epoch,
    )
    run = compute(p, schedule, rng, trace)
    tell_epochs(run, trace)
    record_curves(run, trace)
    record_results(run, trace)
    record_misconceptions(schedule, trace)
