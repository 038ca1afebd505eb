"""training-iteration: forward, loss, backward and update on a 32x32x3 image of a dog, cat or bird.

The worked example: random filter weights, one image, an output over dog / cat / bird that is
(usually) nearly uniform, the loss 1/2 sum (y - t)^2 on the softmax outputs (or the
cross-entropy), dL/dW for every weight by the chain rule, filter weights included, and the
update w - learning_rate * dL/dw. With ``iterations`` > 1 the iteration repeats on a small
batch (the image, a cat and a bird, or whichever two labels it is not) and the loss is drawn
per iteration.

Computing and telling are apart: ``compute`` runs the network and returns a ``Run`` of plain
numbers; ``intro_text``, ``tell_after`` and the ``*_sentence`` functions turn those numbers into text, and every
sentence about the run is decided by a predicate of the same numbers (tested over many seeds).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from cnncore.losses import one_hot
from cnncore.optim import SGD
from cnncore.scenarios._common import fmt
from cnncore.scenarios._data import PHOTO_LABELS, synthetic_photo
from cnncore.scenarios._models import small_cnn
from cnncore.scenarios.params import Param
from cnncore.scenarios.registry import register
from cnncore.train import LOSSES, Evaluation, evaluate, train_step, weights_exploded

IMAGE_SIZE = 32
CLASSES = len(PHOTO_LABELS)
UNIFORM_TOLERANCE = 0.1
"""The output counts as "nearly uniform" when every probability is within this of 1/3."""
CONVERGED_CHANGE = 0.01
"""A curve "has settled" when its last ``SETTLED_POINTS`` values differ by less than this
fraction of its start."""
SETTLED_POINTS = 5
BARELY = 0.95
"""A curve that ends above this fraction of its start "barely moved"."""
OVERSHOOT_LEARNING_RATE = 0.5
"""For the default seed and parameters, 30 iterations at this rate make the loss go up (tested)."""
OVERSHOOT_ITERATIONS = 30

PARAMS = (
    Param("learning_rate", "float", 0.05, min=0.0001, max=10,
          help="how far each weight moves against its gradient"),
    Param("label", "choice", "dog", choices=PHOTO_LABELS, help="the image's true label"),
    Param("filters", "int", 4, min=1, max=8, help="filters of the conv layer"),
    Param("loss", "choice", "mse", choices=LOSSES,
          help="mse: 1/2 sum (y - t)^2 on the softmax outputs; cross_entropy: -log of the true class's probability"),
    Param("iterations", "int", 1, min=1, max=30,
          help="1: one iteration on the one image; more: repeat it on a small batch of a dog, a cat and a bird"),
)
LOSS_SHORT = {"mse": "squared-error", "cross_entropy": "cross-entropy"}
LOSS_TEXT = {"mse": "squared error 1/2 * sum (y - t)^2", "cross_entropy": "cross-entropy -log p(true class)"}


@dataclass
class FollowedWeight:
    """One weight followed through the iteration: where it is, its gradient and its update."""

    layer: str
    index: tuple[int, ...]
    before: float
    gradient: float
    after: float

    @property
    def name(self) -> str:
        return f"{self.layer}.weight[{', '.join(map(str, self.index))}]"


@dataclass
class ConvChain:
    """The chain rule for one conv weight w[f, c, i, j], along its largest term.

    dL/dw = sum over images n and output positions (p, q) of
    dL/d(conv1 out)[n, f, p, q] * x_pad[n, c, p + i, q + j]; the largest term's path: loss ->
    logits -> fc1 input m (= pool1 out [n, f, p // 2, q // 2]) -> pool1 (routed when (p, q)
    was its window's maximum) -> relu1 (mask) -> conv1 out.
    """

    image: int
    position: tuple[int, int]
    pooled: tuple[int, int]
    feature: int
    dy: np.ndarray
    """(K,) dL/dy of image n as used: (y - t) / N (MSE only; zeros for cross-entropy)."""
    dz: np.ndarray
    """(K,) dL/dz of image n as used (the batch mean divides it by N)."""
    fc_column: np.ndarray
    """(K,) fc1.weight[:, feature] before the update."""
    dfeature: float
    """dL/d(fc1 input)[n, feature] = sum_k dL/dz_k * fc1.weight[k, feature]."""
    conv_output: float
    routed: bool
    dconv_output: float
    input_value: float
    term: float
    terms: int
    """How many (image, position) pairs give a nonzero term."""
    positions: int


@dataclass
class Run:
    """The numbers of one run (nothing here is text)."""

    label: str
    target: int
    loss: str
    learning_rate: float
    batch_labels: list[str]
    x: np.ndarray
    before: Evaluation
    after: Evaluation
    """On the batch (the one image when iterations is 1); row 0 is the image followed."""
    fc: FollowedWeight
    conv: FollowedWeight
    chain: ConvChain | None
    output_gradient: np.ndarray
    """(K,) y - t of the image followed (dL/dy of its own loss, for MSE)."""
    logits_gradient: np.ndarray
    """(K,) dL/dz of the image followed's own loss (the batch mean divides it by N)."""
    jacobian: np.ndarray
    """(K, K) dy/dz = diag(y) - y y^T of the image followed."""
    loss_curve: list[float] = field(default_factory=list)
    """Loss on the batch (the image alone for one iteration): before any update, then after each."""
    batch: np.ndarray | None = None
    """(B, 3, 32, 32) the batch of the repeats (None for one iteration: the batch is the image)."""
    diverged: bool = False
    iterations: int = 1
    """Iterations asked for (the curve is shorter when the weights blew up)."""


def batch_labels(label: str, iterations: int) -> list[str]:
    """Return the labels of the images trained on: the label alone, or it and the other two."""
    return [label] if iterations == 1 else [label, *(other for other in PHOTO_LABELS if other != label)]


def largest(array: np.ndarray) -> tuple[int, ...]:
    """Return the index of the element of ``array`` with the largest magnitude (first on ties)."""
    return tuple(int(i) for i in np.unravel_index(int(np.argmax(np.abs(array))), array.shape))


def conv_chain(trace, conv: FollowedWeight, fc_weight: np.ndarray, dy: np.ndarray) -> ConvChain | None:
    """Return the chain rule of ``conv``'s gradient along its largest term (None if all are 0).

    Reads the iteration's recorded steps: conv1's input x (N, C, H, W), conv1's output and
    upstream gradient (N, F, H, W), pool1's routing, the loss step's dL/dz (N, K);
    ``fc_weight`` (K, D) is fc1's weight before the update and ``dy`` (N, K) is dL/dy as used.
    """
    steps = {(s.kind, s.layer): s for s in trace.steps}
    x = steps["forward", "conv1"].arrays["input"]
    conv_out = steps["forward", "conv1"].arrays["output"]
    upstream = steps["backward", "conv1"].arrays["upstream"]
    routing = steps["backward", "pool1"].arrays["routing"]
    dlogits = next(s for s in trace.steps if s.kind == "loss").arrays["dlogits"]
    f, c, i, j = conv.index
    height, width = upstream.shape[2:]
    windows = np.pad(x[:, c], ((0, 0), (1, 1), (1, 1)))[:, i:i + height, j:j + width]
    terms = upstream[:, f] * windows
    if not np.any(terms):
        return None
    n, p, q = largest(terms)
    pooled_h, pooled_w = height // 2, width // 2
    feature = f * pooled_h * pooled_w + (p // 2) * pooled_w + q // 2
    column = fc_weight[:, feature]
    return ConvChain(
        image=n, position=(p, q), pooled=(p // 2, q // 2), feature=feature, dy=dy[n].copy(),
        dz=dlogits[n].copy(), fc_column=column.copy(), dfeature=float(dlogits[n] @ column),
        conv_output=float(conv_out[n, f, p, q]), routed=bool(routing[n, f, p, q] > 0),
        dconv_output=float(upstream[n, f, p, q]), input_value=float(windows[n, p, q]),
        term=float(terms[n, p, q]), terms=int(np.count_nonzero(terms)), positions=terms.size,
    )


def compute(p: dict, rng: np.random.Generator, trace) -> Run:
    """Run iteration 1 on the image (recorded step by step into ``trace``), then the repeats.

    Repeats (``iterations`` - 1) train on the batch (the image and the two other labels, full
    batch); the loss curve is measured on the image followed, and on the whole batch.
    """
    label, loss, lr = p["label"], p["loss"], p["learning_rate"]
    target = PHOTO_LABELS.index(label)
    x = synthetic_photo(rng, label, size=IMAGE_SIZE)
    model = small_cnn(rng=rng, in_channels=3, image_size=IMAGE_SIZE, filters=p["filters"], classes=CLASSES)
    labels = np.array([target])
    optimizer = SGD(model.parameters(), lr)
    initial = [parameter.value.copy() for parameter in model.parameters()]
    fc_before, conv_before = model.layer("fc1").weight.value.copy(), model.layer("conv1").weight.value.copy()

    first = len(trace.steps)
    train_step(model, optimizer, x, labels, loss=loss, trace=trace)
    loss_step = next(step for step in trace.steps[first:] if step.kind == "loss")
    probabilities = loss_step.arrays["probabilities"]  # the iteration's own forward pass, before the update
    before = Evaluation(loss_step.scalars["loss"], float(np.mean(probabilities.argmax(axis=1) == labels)),
                        probabilities, probabilities.argmax(axis=1))
    after = evaluate(model, x, labels, loss=loss)
    y = before.probabilities[0]
    t = one_hot(labels, CLASSES)[0]
    followed = {}
    for layer, weights_before in (("fc1", fc_before), ("conv1", conv_before)):
        weight = model.layer(layer).weight
        index = largest(weight.grad)
        followed[layer] = FollowedWeight(layer, index, float(weights_before[index]),
                                         float(weight.grad[index]), float(weight.value[index]))
    dy = (y - t)[np.newaxis] if loss == "mse" else np.zeros((1, CLASSES))
    run = Run(
        label=label, target=target, loss=loss, learning_rate=lr,
        batch_labels=batch_labels(label, p["iterations"]), x=x,
        before=before, after=after, fc=followed["fc1"], conv=followed["conv1"],
        chain=conv_chain(trace, followed["conv1"], fc_before, dy),
        output_gradient=y - t,
        logits_gradient=(np.diag(y) - np.outer(y, y)) @ (y - t) if loss == "mse" else y - t,
        jacobian=np.diag(y) - np.outer(y, y), loss_curve=[before.loss, after.loss],
        iterations=p["iterations"],
    )
    if p["iterations"] > 1:
        repeat(run, initial, p["filters"], rng)
    return run


def repeat(run: Run, initial: list[np.ndarray], filters: int, rng: np.random.Generator) -> None:
    """Train from the ``initial`` weights on the batch, ``run.iterations`` times; set the curve.

    The batch (B, 3, 32, 32) is the image followed and one image of each other label, drawn
    after the model, so iteration 1 on the image does not depend on ``iterations``. One
    iteration is forward, loss (mean over the batch), backward and update on all B images.
    """
    others = [synthetic_photo(rng, name, size=IMAGE_SIZE) for name in run.batch_labels[1:]]
    run.batch = np.concatenate([run.x, *others])
    labels = np.array([PHOTO_LABELS.index(name) for name in run.batch_labels])
    model = small_cnn(rng=None, in_channels=3, image_size=IMAGE_SIZE, filters=filters, classes=CLASSES,
                      init="constant")
    for parameter, value in zip(model.parameters(), initial, strict=True):
        parameter.value[...] = value
    optimizer = SGD(model.parameters(), run.learning_rate)
    curve = []
    for _ in range(run.iterations):
        curve.append(train_step(model, optimizer, run.batch, labels, loss=run.loss))
        if weights_exploded(model):
            run.diverged = True
            break
    else:
        curve.append(evaluate(model, run.batch, labels, loss=run.loss).loss)
    run.loss_curve = curve


# -- telling: every sentence below is decided from the run's numbers ---------------------------


def describe_probabilities(probabilities: np.ndarray) -> str:
    """Return "dog 0.34, cat 0.35, bird 0.31"."""
    return ", ".join(f"{name} {p:.2f}" for name, p in zip(PHOTO_LABELS, probabilities, strict=True))


def nearly_uniform(probabilities: np.ndarray) -> bool:
    """Return whether every probability is within ``UNIFORM_TOLERANCE`` of 1/K."""
    return bool(np.max(np.abs(probabilities - 1 / len(probabilities))) <= UNIFORM_TOLERANCE)


def output_sentence(probabilities: np.ndarray) -> str:
    """Return what the untrained output looks like: nearly uniform, or which class it favours."""
    text = describe_probabilities(probabilities)
    if nearly_uniform(probabilities):
        return f"its output is nearly uniform, about 1/3 each ({text})"
    favoured = PHOTO_LABELS[int(np.argmax(probabilities))]
    return (f"yet its output is not uniform: the random weights already favour {favoured} ({text}); "
            f"another seed usually gives about 1/3 each")


def change_sentence(before: float, after: float) -> str:
    """Return how one iteration changed the loss: lower, higher (overshot) or unchanged."""
    if after < before:
        return f"{fmt(after)}, lower than {fmt(before)} before"
    if after > before:
        return f"{fmt(after)}, higher than {fmt(before)} before: the step overshot"
    return f"{fmt(after)}, unchanged"


def curve_behaviour(curve: list[float], *, diverged: bool = False) -> str:
    """Return "fell", "never rose", "rose", "went up and down", "ended higher" or "stayed" for a curve."""
    steps = list(zip(curve, curve[1:], strict=False))
    if diverged or curve[-1] > curve[0]:
        return "ended higher"
    ups = sum(b > a for a, b in steps)
    downs = sum(b < a for a, b in steps)
    if ups and downs:
        return "went up and down"
    if downs == len(steps):
        return "fell"
    if downs:
        return "never rose"
    if ups:
        return "rose"
    return "stayed"


def settled(curve: list[float]) -> bool:
    """Return whether the curve's last ``SETTLED_POINTS`` values lie within ``CONVERGED_CHANGE``."""
    tail = curve[-SETTLED_POINTS:]
    return len(curve) > SETTLED_POINTS and max(tail) - min(tail) < CONVERGED_CHANGE * max(curve[0], 1e-12)


def curve_sentence(curve: list[float], *, diverged: bool) -> str:
    """Return what ``iterations`` repeats did to the loss, decided from the curve alone."""
    kind = curve_behaviour(curve, diverged=diverged)
    iterations = len(curve) - 1
    head = f"loss went from {fmt(curve[0])} to {fmt(curve[-1])} over {iterations} iterations"
    if diverged:
        return head + ": the weights blew up, so the run stopped; the learning rate is far too high."
    rises = [k for k in range(1, len(curve)) if curve[k] > curve[k - 1]]
    where = ("iteration " if len(rises) == 1 else "iterations ") + ", ".join(map(str, rises[:5])) + (
        " ..." if len(rises) > 5 else "")
    texts = {
        "ended higher": f": it ended higher than it started (it rose at {where}): "
                        "the steps overshoot, the learning rate is too high.",
        "went up and down": f": it ended {'lower' if curve[-1] < curve[0] else 'where it started'} but "
                            f"rose at {where}: some steps overshot.",
        "fell": ": it fell at every iteration.",
        "never rose": ": it fell and never rose (some steps left it unchanged).",
        "rose": ": it rose.",
        "stayed": ": it did not change.",
    }
    text = head + texts[kind]
    if kind in ("fell", "never rose") and curve[-1] > BARELY * curve[0]:
        text += " But it barely moved: the learning rate is so small that the steps are tiny."
    elif kind == "fell" and settled(curve) and curve[-1] <= 0.5 * curve[0]:
        text += " Its last values barely change: it has (nearly) converged."
    return text


def chain_sentences(run: Run) -> str:
    """Return the chain rule of the followed conv weight, factor by factor."""
    chain, conv = run.chain, run.conv
    if chain is None:
        return (f"No gradient reaches {conv.name}: every term of its sum is 0 (the ReLUs or the "
                f"pooling blocked it), so it does not move.")
    f, c, i, j = conv.index
    p, q = chain.position

    def vector(values) -> str:
        return "(" + ", ".join(fmt(v) for v in values) + ")"

    if run.loss == "mse":
        first = (f"1. At the output: dL/dy = y - t = {vector(chain.dy)}. "
                 f"2. Through the softmax Jacobian dy/dz = diag(y) - y y^T: dL/dz = {vector(chain.dz)}. ")
        k = 3
    else:
        first = f"1. For cross-entropy the softmax and the loss together give dL/dz = y - t = {vector(chain.dz)}. "
        k = 2
    return (
        first
        + f"{k}. fc1: its input {chain.feature} (pool1's output [{f}, {chain.pooled[0]}, "
        f"{chain.pooled[1]}]) gets sum_k dL/dz_k * fc1.weight[k, {chain.feature}], with that column "
        f"{vector(chain.fc_column)}: {fmt(chain.dfeature)}. "
        f"{k + 1}. pool1: conv1's output at ({p}, {q}) was the largest of its 2x2 window, so the "
        f"gradient passes to it unchanged. "
        f"{k + 2}. relu1: that output was {fmt(chain.conv_output)} > 0, so the mask is 1: "
        f"dL/d(conv1 output)[{f}, {p}, {q}] = {fmt(chain.dconv_output)}. "
        f"{k + 3}. conv1: this position's term is that gradient times the input value the weight "
        f"multiplied there, channel {c} at padded ({p + i}, {q + j}), {fmt(chain.input_value)}: "
        f"{fmt(chain.dconv_output)} * {fmt(chain.input_value)} = {fmt(chain.term)}. "
        f"{k + 4}. The filter slides over all {chain.positions} positions; "
        f"summing the {chain.terms} nonzero terms gives dL/dw = {fmt(conv.gradient)}."
    )


def update_sentence(weight: FollowedWeight, lr: float) -> str:
    """Return "w moved from a to a - lr * g = b"."""
    gradient = fmt(weight.gradient)
    if weight.gradient < 0:
        gradient = f"({gradient})"
    return (f"{weight.name} moved from {fmt(weight.before)} to {fmt(weight.before)} - {lr:g} * "
            f"{gradient} = {fmt(weight.after)}")


def intro_text(run: Run) -> str:
    """Return the first note: the data, the untrained output, the loss and the plan."""
    then = ""
    if run.iterations > 1:
        then = (f" Then, from the same random weights, {run.iterations} iterations on a small batch of "
                f"{len(run.batch_labels)} images ({', '.join(run.batch_labels)}) draw the loss per "
                "iteration (see the curve).")
    return (
        f"A {IMAGE_SIZE}x{IMAGE_SIZE} colour image (3 channels) labelled '{run.label}'. The weights "
        f"start random, so the network knows nothing yet: {output_sentence(run.before.probabilities[0])}. "
        f"The loss is the {LOSS_TEXT[run.loss]}. Next: the forward pass computes the output layer by "
        "layer; the loss measures the error; the backward pass computes dL/dW for every weight, "
        "filter weights included, by the chain rule, layer by layer from the loss back; the update "
        f"moves each weight against its gradient, scaled by the learning rate ({run.learning_rate:g})."
        + then
    )


def record_results(run: Run, trace) -> None:
    """Record the results and misconceptions of the run."""
    before, after, lr = run.before, run.after, run.learning_rate
    target = run.target
    loss_name = LOSS_SHORT[run.loss]
    trace.add_result("loss", run.loss, "the loss function")
    trace.add_result("loss_before", before.loss, f"{loss_name} loss before the update")
    trace.add_result("loss_after", after.loss, f"{loss_name} loss after one update")
    trace.add_result("loss_decreased", after.loss < before.loss, "whether the update lowered the loss")
    trace.add_result("loss_curve", np.array(run.loss_curve), "the loss before any update, then after each iteration")
    trace.add_result("uniform_loss", uniform_loss(run.loss), "the loss of a perfectly uniform output")
    trace.add_result("probabilities_before", before.probabilities[0], "dog, cat, bird before")
    trace.add_result("probabilities_after", after.probabilities[0], "dog, cat, bird after")
    trace.add_result("target", one_hot(np.array([target]), CLASSES)[0], "the one-hot target t (dog, cat, bird)")
    trace.add_result("output_nearly_uniform", nearly_uniform(before.probabilities[0]),
                     f"whether every output probability was within {UNIFORM_TOLERANCE:g} of 1/3")
    trace.add_result("output_gradient", run.output_gradient, "dL/dy = y - t of the image followed (dog, cat, bird)")
    trace.add_result("logits_gradient", run.logits_gradient, "dL/dz of the image followed (dog, cat, bird)")
    trace.add_result("target_label", run.label, "the true label")
    trace.add_result("target_probability_before", float(before.probabilities[0, target]),
                     "probability of the true label before")
    trace.add_result("target_probability_after", float(after.probabilities[0, target]),
                     "probability of the true label after")
    trace.add_result("predicted_label_before", PHOTO_LABELS[before.predictions[0]], "the most probable label before")
    trace.add_result("predicted_label_after", PHOTO_LABELS[after.predictions[0]], "the most probable label after")
    trace.add_result("learning_rate", lr, "the learning rate")
    for prefix, weight, where in (("", run.fc, "fc1"), ("conv_", run.conv, "conv1, filter weights")):
        trace.add_result(f"{prefix}weight_name", weight.name, f"the weight followed (largest gradient in {where})")
        trace.add_result(f"{prefix}weight_index", weight.index, f"its index in {weight.layer}.weight")
        trace.add_result(f"{prefix}weight_before", weight.before, f"{weight.name} before the update")
        trace.add_result(f"{prefix}weight_gradient", weight.gradient, f"dL/d({weight.name})")
        trace.add_result(f"{prefix}updated_weight", weight.after, f"{weight.name} after: w - learning_rate * gradient")
        result = f"{prefix}updated_weight"
        trace.add_misconception(result, "added_gradient", weight.before + lr * weight.gradient,
                                "added the gradient instead of subtracting it (that climbs the loss)")
        trace.add_misconception(result, "forgot_learning_rate", weight.before - weight.gradient,
                                "subtracted the whole gradient, without the learning rate")
        trace.add_misconception(result, "divided_by_learning_rate", weight.before - weight.gradient / lr,
                                "divided the gradient by the learning rate instead of multiplying")
    trace.add_result("iterations", len(run.loss_curve) - 1, "iterations run")
    trace.add_result("loss_curve_behaviour", curve_behaviour(run.loss_curve, diverged=run.diverged),
                     "what the loss did over the iterations")
    p_true = float(before.probabilities[0, target])
    if run.loss == "cross_entropy":
        trace.add_misconception("loss_before", "forgot_minus", math.log(p_true), "forgot the minus sign of -log p")
        trace.add_misconception("loss_before", "used_probability", 1 - p_true, "took 1 - p instead of -log p")
    else:
        squares = float(np.sum(run.output_gradient ** 2))
        trace.add_misconception("loss_before", "forgot_half", squares, "forgot the 1/2 of 1/2 sum (y - t)^2")
        trace.add_misconception("loss_before", "true_class_only", 0.5 * (1 - p_true) ** 2,
                                "counted only the true class's term, not every output's")
        trace.add_misconception("loss_before", "mean_over_classes", squares / CLASSES,
                                "took the mean of the squares over the classes instead of 1/2 times the sum")


def uniform_loss(loss: str) -> float:
    """Return the loss of the output 1/3 each: ln 3, or 1/2 ((2/3)^2 + 2 (1/3)^2) = 1/3."""
    if loss == "cross_entropy":
        return math.log(CLASSES)
    return 0.5 * ((1 - 1 / CLASSES) ** 2 + (CLASSES - 1) / CLASSES**2)


@register(
    name="training-iteration",
    title="One training iteration, step by step",
    topic="backprop-fundamentals",
    summary=(
        "Follow one image through forward pass, loss, backward pass and weight update: a filter "
        "weight and a last-layer weight, their gradients by the chain rule and their updates."
    ),
    params=PARAMS,
)
def build(p: dict, rng: np.random.Generator, trace) -> None:
    """Record an iteration of conv -> ReLU -> pool -> linear -> softmax, then any repeats."""
    trace.class_names = PHOTO_LABELS
    start = len(trace.steps)
    run = compute(p, rng, trace)
    computed = len(trace.steps)
    trace.note("The image, its label and random weights", intro_text(run), image=run.x[0], label=run.label,
               target=one_hot(np.array([run.target]), CLASSES)[0])
    trace.move_to_end(start, computed)
    tell_after(run, trace)
    record_results(run, trace)


def tell_after(run: Run, trace) -> None:
    """Record the notes after the iteration: the conv weight's chain, the update, the repeats."""
    trace.note(
        f"Following the filter weight {run.conv.name}",
        f"Its gradient by the chain rule, layer by layer from the loss back: {chain_sentences(run)} "
        f"The update: {update_sentence(run.conv, run.learning_rate)}.",
        dL_dy=run.output_gradient, dL_dz=run.logits_gradient,
        **({"softmax_jacobian": run.jacobian} if run.loss == "mse" else {}),
    )
    trace.note(
        "After the update",
        f"Forward again with the new weights: the loss is "
        f"{change_sentence(run.before.loss, run.after.loss)}. The probabilities "
        f"are now {describe_probabilities(run.after.probabilities[0])}. {update_sentence(run.fc, run.learning_rate)}; "
        f"{update_sentence(run.conv, run.learning_rate)}. Forward pass, loss, backward pass and update "
        "make one iteration; training repeats it over many images.",
        probabilities_before=run.before.probabilities[0],
        probabilities_after=run.after.probabilities[0],
        loss_before=run.before.loss,
        loss_after=run.after.loss,
    )
    curve = run.loss_curve
    on = "the image" if run.iterations == 1 else f"the batch ({', '.join(run.batch_labels)})"
    if run.iterations > 1:
        trace.note(
            "Repeating the iteration on a batch",
            f"From the same random weights, one iteration is now forward, loss (the mean over the "
            f"batch), backward and update on all {len(run.batch_labels)} images. The mean "
            f"{curve_sentence(curve, diverged=run.diverged)}",
            iterations=len(curve) - 1, loss_first=curve[0], loss_last=curve[-1],
        )
    trace.add_series("loss_curve", label=f"{LOSS_SHORT[run.loss]} loss on {on}", chart="loss",
                     x=list(range(len(curve))), y=curve, x_label="iteration", y_label="loss")
