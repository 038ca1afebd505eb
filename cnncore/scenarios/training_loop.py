"""training-loop: mini-batches, iterations and epochs; accuracy rising epoch by epoch."""

from __future__ import annotations

import math

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


@register(
    name="training-loop",
    title="The training loop: batches, iterations and epochs",
    topic="training-loop",
    summary="Train a tiny CNN with mini-batches for several epochs and watch the accuracy rise.",
    params=PARAMS,
)
def build(p: dict, rng: np.random.Generator, trace) -> None:
    """Record the first iteration in full, then loss and accuracy per epoch."""
    n, batch_size, epochs = p["examples"], p["batch_size"], p["epochs"]
    x, labels = edge_images(rng, n, size=IMAGE_SIZE, noise=p["noise"])
    x_test, labels_test = edge_images(rng, n, size=IMAGE_SIZE, noise=p["noise"])
    model = small_cnn(
        rng=rng, in_channels=1, image_size=IMAGE_SIZE, filters=FILTERS, classes=len(EDGE_LABELS)
    )
    optimizer = SGD(model.parameters(), p["learning_rate"], momentum=p["momentum"])
    per_epoch = math.ceil(n / batch_size)
    last_batch = n - (per_epoch - 1) * batch_size
    detailed = min(batch_size, n) <= DETAILED_BATCH_LIMIT
    trace.note(
        "Batches, iterations and epochs",
        f"{n} training images (horizontal or vertical edges) in mini-batches of {batch_size}: "
        f"one iteration (forward, loss, backward, update) per batch, so an epoch (one pass "
        f"over all images) takes ceil({n} / {batch_size}) = {per_epoch} iteration(s)"
        + (f", the last with {last_batch} image(s)" if last_batch != batch_size else "")
        + f". {epochs} epoch(s) make {per_epoch * epochs} iterations. The images are shuffled "
        "every epoch. "
        + (
            "The first iteration is shown in full below."
            if detailed
            else f"(The first iteration is shown in full for batches up to {DETAILED_BATCH_LIMIT}.)"
        ),
        examples=n,
        batch_size=batch_size,
        iterations_per_epoch=per_epoch,
    )
    start = evaluate(model, x, labels)
    start_test = evaluate(model, x_test, labels_test)
    epoch_loss, train_accuracy, test_accuracy = [start.loss], [start.accuracy], [start_test.accuracy]
    iteration_losses: list[float] = []
    diverged = False
    for epoch in range(1, epochs + 1):
        for batch in minibatches(n, batch_size, rng):
            first = detailed and not iteration_losses
            iteration_losses.append(
                train_step(model, optimizer, x[batch], labels[batch], trace=trace if first else None)
            )
            if weights_exploded(model):
                diverged = True
                break
        if diverged:
            trace.note(
                f"Epoch {epoch}: the weights blew up",
                f"At iteration {len(iteration_losses)} the weights grew past "
                f"{WEIGHT_LIMIT:g}: the learning rate is too high and each step overshoots "
                "further. Training stops here.",
                iterations=len(iteration_losses),
            )
            break
        trained, tested = evaluate(model, x, labels), evaluate(model, x_test, labels_test)
        epoch_loss.append(trained.loss)
        train_accuracy.append(trained.accuracy)
        test_accuracy.append(tested.accuracy)
        trace.note(
            f"Epoch {epoch}",
            f"After {epoch * per_epoch} iterations: training loss {fmt(trained.loss)}, accuracy "
            f"{trained.accuracy:.0%} on the training images and {tested.accuracy:.0%} on "
            f"{n} new test images.",
            loss=trained.loss,
            train_accuracy=trained.accuracy,
            test_accuracy=tested.accuracy,
        )

    epochs_axis = list(range(len(epoch_loss)))
    trace.add_series(
        "loss_per_epoch",
        label="training loss",
        chart="loss",
        x=epochs_axis,
        y=epoch_loss,
        x_label="epoch",
        y_label="loss",
    )
    trace.add_series(
        "loss_per_iteration",
        label="batch loss",
        chart="iteration_loss",
        x=list(range(1, len(iteration_losses) + 1)),
        y=iteration_losses,
        x_label="iteration",
        y_label="loss",
    )
    trace.add_series(
        "train_accuracy",
        label="training accuracy",
        chart="accuracy",
        x=epochs_axis,
        y=train_accuracy,
        x_label="epoch",
        y_label="accuracy",
    )
    trace.add_series(
        "test_accuracy",
        label="test accuracy",
        chart="accuracy",
        x=epochs_axis,
        y=test_accuracy,
        x_label="epoch",
        y_label="accuracy",
    )

    trace.add_result("iterations_per_epoch", per_epoch, "ceil(N / batch size)")
    trace.add_result("total_iterations", per_epoch * epochs, "iterations per epoch x epochs")
    trace.add_result("last_batch_size", last_batch, "images in the last batch of an epoch")
    trace.add_result("initial_accuracy", start.accuracy, "training accuracy before training")
    trace.add_result("final_accuracy", train_accuracy[-1], "training accuracy after the last epoch")
    trace.add_result("diverged", diverged, "whether the weights blew up (training stopped early)")
    trace.add_result("final_test_accuracy", test_accuracy[-1], "accuracy on new test images")
    trace.add_result("initial_loss", start.loss, "training loss before training")
    trace.add_result("final_loss", epoch_loss[-1], "training loss after the last epoch")
    trace.add_result("examples", n, "training images N")
    trace.add_result("batch_size", batch_size, "images per iteration")
    trace.add_result("epochs", epochs, "passes over the training set")

    trace.add_misconception(
        "iterations_per_epoch",
        "floor_instead_of_ceil",
        n // batch_size,
        "rounded N / batch size down: the last, smaller batch still counts",
    )
    trace.add_misconception(
        "iterations_per_epoch",
        "one_per_example",
        n,
        "counted one iteration per image: an iteration processes a batch",
    )
    trace.add_misconception("iterations_per_epoch", "one_per_epoch", 1, "thought an epoch is one iteration")
    trace.add_misconception("total_iterations", "forgot_epochs", per_epoch, "counted one epoch only")
    trace.add_misconception(
        "total_iterations", "examples_times_epochs", n * epochs, "counted images instead of batches"
    )
