"""Recipe: training-iteration with a choice of loss and repeated iterations.

Used when the scenario has the ``loss`` and ``iterations`` parameters (the rewritten lab
scenario): one iteration on the image, the fc1 and conv1 weights with the largest gradients
followed through the update, then (``iterations`` > 1) the repeats on a small batch.
"""

from . import code, md

TRAINING_ITERATION_WITH_LOSSES = (
    md("""
## 1. The data
One synthetic 32x32 colour "photo" `(1, 3, 32, 32)` of the chosen label, drawn from the seeded
generator, and its one-hot target `t`.
"""),
    code("""
from cnncore.losses import one_hot
from cnncore.scenarios._data import PHOTO_LABELS, synthetic_photo

IMAGE_SIZE, CLASSES = 32, len(PHOTO_LABELS)
label, loss, lr = params["label"], params["loss"], params["learning_rate"]
target = PHOTO_LABELS.index(label)
x = synthetic_photo(rng, label, size=IMAGE_SIZE)  # (1, 3, 32, 32)
labels = np.array([target])
t = one_hot(labels, CLASSES)[0]
x.shape, t
"""),
    md("## 2. The network and its random weights\nconv (3x3) -> ReLU -> 2x2 max pool -> flatten -> linear."),
    code("""
from cnncore.optim import SGD
from cnncore.scenarios._models import small_cnn
from cnncore.train import evaluate

model = small_cnn(rng=rng, in_channels=3, image_size=IMAGE_SIZE, filters=params["filters"], classes=CLASSES)
optimizer = SGD(model.parameters(), lr)
initial = [parameter.value.copy() for parameter in model.parameters()]
before = evaluate(model, x, labels, loss=loss)
fc_before = model.layer("fc1").weight.value.copy()
conv_before = model.layer("conv1").weight.value.copy()
before.probabilities[0]
"""),
    md("## 3. Forward pass\nFrom the image to the logits `z` `(1, 3)`; softmax makes them the outputs `y`."),
    code("""
optimizer.zero_grad()
logits = model.forward(x)
logits
"""),
    md("""
## 4. Loss
`1/2 sum (y - t)^2` on the softmax outputs (mse) or `-log y[true class]` (cross_entropy), and `dL/dz`.
"""),
    code("""
from cnncore.train import loss_and_gradient

loss_value, dlogits, _ = loss_and_gradient(logits, labels, loss=loss)
loss_value, dlogits
"""),
    md("## 5. Backward pass\nThe chain rule from the loss back to every weight, the conv filters included."),
    code("""
model.backward(dlogits)
{p.name: float(np.abs(p.grad).max()) for p in model.parameters()}
"""),
    md("## 6. Update\n`w <- w - learning_rate * dL/dw` for every weight; then the loss again."),
    code("""
optimizer.step()
after = evaluate(model, x, labels, loss=loss)


def followed(layer, weights_before):
    weight = model.layer(layer).weight
    index = tuple(int(i) for i in np.unravel_index(int(np.argmax(np.abs(weight.grad))), weight.grad.shape))
    return {"name": f"{layer}.weight[{', '.join(map(str, index))}]", "index": index,
            "before": float(weights_before[index]), "gradient": float(weight.grad[index]),
            "after": float(weight.value[index])}


fc, conv = followed("fc1", fc_before), followed("conv1", conv_before)
y = before.probabilities[0]
output_gradient = y - t
logits_gradient = (np.diag(y) - np.outer(y, y)) @ (y - t) if loss == "mse" else y - t
before.loss, after.loss, fc, conv
"""),
    md("""
## 7. Repeats
With `iterations` > 1 the iteration repeats from the same initial weights on a batch: the image
and one image of each other label (drawn after the model).
"""),
    code("""
from cnncore.train import train_step, weights_exploded

curve, diverged = [before.loss, after.loss], False
if params["iterations"] > 1:
    batch_labels = [label, *(other for other in PHOTO_LABELS if other != label)]
    others = [synthetic_photo(rng, name, size=IMAGE_SIZE) for name in batch_labels[1:]]
    batch = np.concatenate([x, *others])
    batch_targets = np.array([PHOTO_LABELS.index(name) for name in batch_labels])
    again = small_cnn(rng=None, in_channels=3, image_size=IMAGE_SIZE, filters=params["filters"], classes=CLASSES,
                      init="constant")
    for parameter, value in zip(again.parameters(), initial):
        parameter.value[...] = value
    optimizer_again = SGD(again.parameters(), lr)
    curve = []
    for _ in range(params["iterations"]):
        curve.append(train_step(again, optimizer_again, batch, batch_targets, loss=loss))
        if weights_exploded(again):
            diverged = True
            break
    else:
        curve.append(evaluate(again, batch, batch_targets, loss=loss).loss)
curve
"""),
    md("## 8. Results"),
    code("""
import math

from cnncore.scenarios.training_iteration import UNIFORM_TOLERANCE, curve_behaviour

uniform = math.log(CLASSES) if loss == "cross_entropy" else 0.5 * ((1 - 1 / CLASSES) ** 2 + (CLASSES - 1) / CLASSES**2)
results = {
    "loss": loss,
    "loss_before": before.loss,
    "loss_after": after.loss,
    "loss_decreased": after.loss < before.loss,
    "loss_curve": np.array(curve),
    "uniform_loss": uniform,
    "probabilities_before": before.probabilities[0],
    "probabilities_after": after.probabilities[0],
    "target": t,
    "output_nearly_uniform": bool(np.max(np.abs(y - 1 / len(y))) <= UNIFORM_TOLERANCE),
    "output_gradient": output_gradient,
    "logits_gradient": logits_gradient,
    "target_label": label,
    "target_probability_before": float(before.probabilities[0, target]),
    "target_probability_after": float(after.probabilities[0, target]),
    "predicted_label_before": PHOTO_LABELS[before.predictions[0]],
    "predicted_label_after": PHOTO_LABELS[after.predictions[0]],
    "learning_rate": lr,
}
for prefix, weight in (("", fc), ("conv_", conv)):
    results[f"{prefix}weight_name"] = weight["name"]
    results[f"{prefix}weight_index"] = weight["index"]
    results[f"{prefix}weight_before"] = weight["before"]
    results[f"{prefix}weight_gradient"] = weight["gradient"]
    results[f"{prefix}updated_weight"] = weight["after"]
results["iterations"] = len(curve) - 1
results["loss_curve_behaviour"] = curve_behaviour(curve, diverged=diverged)
"""),
)
