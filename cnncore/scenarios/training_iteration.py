"""training-iteration: one forward, loss, backward and update on a 32x32x3 image of a dog, cat or bird."""

from __future__ import annotations

import math

import numpy as np

from cnncore.optim import SGD
from cnncore.scenarios._common import fmt
from cnncore.scenarios._data import PHOTO_LABELS, synthetic_photo
from cnncore.scenarios._models import small_cnn
from cnncore.scenarios.params import Param
from cnncore.scenarios.registry import register
from cnncore.train import evaluate, train_step

IMAGE_SIZE = 32
PARAMS = (
    Param(
        "learning_rate",
        "float",
        0.01,
        min=0.0001,
        max=10,
        help="how far each weight moves against its gradient",
    ),
    Param("label", "choice", "dog", choices=PHOTO_LABELS, help="the image's true label"),
    Param("filters", "int", 4, min=1, max=8, help="filters of the conv layer"),
)


def describe_probabilities(probabilities: np.ndarray) -> str:
    """Return "dog 0.34, cat 0.35, bird 0.31"."""
    return ", ".join(f"{name} {p:.2f}" for name, p in zip(PHOTO_LABELS, probabilities, strict=True))


@register(
    name="training-iteration",
    title="One training iteration, step by step",
    topic="backprop-fundamentals",
    summary=(
        "Follow one image through forward pass, loss, backward pass and weight update, and see the loss drop."
    ),
    params=PARAMS,
)
def build(p: dict, rng: np.random.Generator, trace) -> None:
    """Record a full iteration of conv -> ReLU -> pool -> linear -> softmax on one image."""
    lr, label = p["learning_rate"], p["label"]
    target = PHOTO_LABELS.index(label)
    x = synthetic_photo(rng, label, size=IMAGE_SIZE)
    labels = np.array([target])
    model = small_cnn(
        rng=rng, in_channels=3, image_size=IMAGE_SIZE, filters=p["filters"], classes=len(PHOTO_LABELS)
    )
    optimizer = SGD(model.parameters(), lr)
    before = evaluate(model, x, labels)
    trace.note(
        "The image, its label and random weights",
        f"A {IMAGE_SIZE}x{IMAGE_SIZE} colour image (3 channels) labelled '{label}'. The weights "
        f"start random, so the network knows nothing yet: its output is nearly uniform "
        f"({describe_probabilities(before.probabilities[0])}). Next: the forward pass computes "
        f"the output layer by layer; the loss measures the error; the backward pass computes "
        f"dL/dW for every weight by the chain rule, layer by layer from the loss back, "
        f"multiplying by each activation's derivative; the update moves each weight against "
        f"its gradient, scaled by the learning rate ({lr:g}; too high overshoots).",
        image=x[0],
        label=label,
    )
    fc1 = model.layer("fc1")
    weights_before = fc1.weight.value.copy()
    train_step(model, optimizer, x, labels, trace=trace)
    after = evaluate(model, x, labels)

    index = np.unravel_index(np.argmax(np.abs(fc1.weight.grad)), fc1.weight.grad.shape)
    weight_before = float(weights_before[index])
    gradient = float(fc1.weight.grad[index])
    updated = float(fc1.weight.value[index])
    name = f"fc1.weight[{index[0]}, {index[1]}]"
    change = "lower" if after.loss < before.loss else "higher (the step overshot)"
    trace.note(
        "After the update",
        f"Forward again with the new weights: the loss is {fmt(after.loss)}, {change} than "
        f"{fmt(before.loss)} before. The probabilities are now "
        f"{describe_probabilities(after.probabilities[0])}. For example {name} moved from "
        f"{fmt(weight_before)} to {fmt(weight_before)} - {lr:g} * {fmt(gradient)} = "
        f"{fmt(updated)}. Forward pass, loss, backward pass and update make one iteration; "
        f"training repeats it over many images.",
        probabilities_before=before.probabilities[0],
        probabilities_after=after.probabilities[0],
        loss_before=before.loss,
        loss_after=after.loss,
    )

    trace.add_result("loss_before", before.loss, "cross-entropy before the update")
    trace.add_result("loss_after", after.loss, "cross-entropy after one update")
    trace.add_result("loss_decreased", after.loss < before.loss, "whether the update lowered the loss")
    trace.add_result(
        "uniform_loss", math.log(len(PHOTO_LABELS)), "ln 3: the loss of a perfectly uniform output"
    )
    trace.add_result("probabilities_before", before.probabilities[0], "dog, cat, bird before")
    trace.add_result("probabilities_after", after.probabilities[0], "dog, cat, bird after")
    trace.add_result("target_label", label, "the true label")
    trace.add_result(
        "target_probability_before",
        float(before.probabilities[0, target]),
        "probability of the true label before",
    )
    trace.add_result(
        "target_probability_after",
        float(after.probabilities[0, target]),
        "probability of the true label after",
    )
    trace.add_result(
        "predicted_label_before", PHOTO_LABELS[before.predictions[0]], "the most probable label before"
    )
    trace.add_result(
        "predicted_label_after", PHOTO_LABELS[after.predictions[0]], "the most probable label after"
    )
    trace.add_result("learning_rate", lr, "the learning rate")
    trace.add_result("weight_name", name, "the weight followed (largest gradient in fc1)")
    trace.add_result("weight_index", tuple(int(i) for i in index), "(row, column) in fc1.weight")
    trace.add_result("weight_before", weight_before, f"{name} before the update")
    trace.add_result("weight_gradient", gradient, f"dL/d({name})")
    trace.add_result("updated_weight", updated, f"{name} after: w - learning_rate * gradient")

    trace.add_misconception(
        "updated_weight",
        "added_gradient",
        weight_before + lr * gradient,
        "added the gradient instead of subtracting it (that climbs the loss)",
    )
    trace.add_misconception(
        "updated_weight",
        "forgot_learning_rate",
        weight_before - gradient,
        "subtracted the whole gradient, without the learning rate",
    )
    trace.add_misconception(
        "updated_weight",
        "divided_by_learning_rate",
        weight_before - gradient / lr,
        "divided the gradient by the learning rate instead of multiplying",
    )
    p_true = float(before.probabilities[0, target])
    trace.add_misconception(
        "loss_before", "forgot_minus", math.log(p_true), "forgot the minus sign of -log p"
    )
    trace.add_misconception("loss_before", "used_probability", 1 - p_true, "took 1 - p instead of -log p")
