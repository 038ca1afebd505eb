"""Recipes: learning rates compared, constant versus random initialisation, the training loop."""

from . import code, md

LEARNING_RATE = (
    md("""
## 1. The data
A full batch of 8x8 edge images (horizontal or vertical), then one seed for the model, so
every learning rate starts from the same weights.
"""),
    code("""
from cnncore.scenarios._data import EDGE_LABELS, edge_images

IMAGE_SIZE, FILTERS, DIVERGENCE_FACTOR = 8, 4, 10.0
RATES = ("small", "good", "large")
x, labels = edge_images(rng, params["examples"], size=IMAGE_SIZE)  # (N, 1, 8, 8), (N,)
seed_model = int(rng.integers(2**32))
x.shape, seed_model
"""),
    md("""
## 2. Training at one rate
Forward, loss, backward and update, `iterations` times; a run stops early when the loss grows
past ten times its start or the weights explode.
"""),
    code("""
from cnncore.optim import SGD
from cnncore.scenarios._models import small_cnn
from cnncore.train import evaluate, train_step, weights_exploded


def train_curve(lr, iterations):
    model = small_cnn(rng=np.random.default_rng(seed_model), in_channels=1, image_size=IMAGE_SIZE,
                      filters=FILTERS, classes=len(EDGE_LABELS))
    optimizer = SGD(model.parameters(), lr)
    losses = []
    for _ in range(iterations):
        losses.append(train_step(model, optimizer, x, labels))
        if losses[-1] > DIVERGENCE_FACTOR * losses[0] or weights_exploded(model):
            return losses, True
    losses.append(evaluate(model, x, labels).loss)
    return losses, False


def behaviour(losses, *, diverged, iterations):
    start, end = losses[0], losses[-1]
    rises = sum(b > a + 0.01 * start for a, b in zip(losses, losses[1:]))
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
"""),
    md("## 3. The three rates\nThe same start, three learning rates, three loss curves."),
    code("""
finals, curves = {}, {}
for rate in RATES:
    lr = params[f"{rate}_learning_rate"]
    losses, diverged = train_curve(lr, params["iterations"])
    curves[rate] = losses
    finals[rate] = (lr, losses[-1], behaviour(losses, diverged=diverged, iterations=params["iterations"]))
finals
"""),
    md("## 4. Results"),
    code("""
best = min(RATES, key=lambda rate: finals[rate][1])
results = {"initial_loss": curves[RATES[-1]][0]}
for rate in RATES:
    lr, final, kind = finals[rate]
    results[f"final_loss_{rate}"] = final
    results[f"behaviour_{rate}"] = kind
results["best_learning_rate"] = finals[best][0]
"""),
)

INITIALIZATION = (
    md("## 1. The data\n16 edge images of 8x8, drawn from the seed."),
    code("""
from cnncore.scenarios._data import EDGE_LABELS, edge_images

IMAGE_SIZE, EXAMPLES, IDENTICAL_TOLERANCE = 8, 16, 1e-12
x, labels = edge_images(rng, EXAMPLES, size=IMAGE_SIZE)
x.shape
"""),
    md("""
## 2. Two starts, the same training
Every weight equal to `init_value`, or random (uniform). Each network trains `iterations` steps
on the batch.
"""),
    code("""
from cnncore.optim import SGD
from cnncore.scenarios._models import small_cnn
from cnncore.train import evaluate, train_step


def filter_spread(weight):
    return float(np.max(np.abs(weight - weight[:1])))


def distinct_filters(weight):
    scale = max(1.0, float(np.max(np.abs(weight))))
    kept = []
    for candidate in weight:
        if all(np.max(np.abs(candidate - other)) > IDENTICAL_TOLERANCE * scale for other in kept):
            kept.append(candidate)
    return len(kept)


starts = {"constant": {"rng": None, "init": "constant", "init_value": params["init_value"]},
          "random": {"rng": rng, "init": "uniform"}}
outcome = {}
for start, init_args in starts.items():
    model = small_cnn(in_channels=1, image_size=IMAGE_SIZE, filters=params["filters"],
                      classes=len(EDGE_LABELS), **init_args)
    conv = model.layer("conv1")
    initial = conv.weight.value.copy()
    optimizer = SGD(model.parameters(), params["learning_rate"])
    losses = [train_step(model, optimizer, x, labels) for _ in range(params["iterations"])]
    final = evaluate(model, x, labels)
    weight = conv.weight.value
    outcome[start] = {"distinct": distinct_filters(weight), "spread": filter_spread(weight),
                      "moved": float(np.max(np.abs(weight - initial))), "accuracy": final.accuracy}
outcome
"""),
    md("## 3. Results\nIdentical filters get identical gradients: a constant start never tells them apart."),
    code("""
constant, random = outcome["constant"], outcome["random"]
results = {
    "distinct_filters_constant": constant["distinct"],
    "distinct_filters_random": random["distinct"],
    "filters_identical_constant": constant["distinct"] == 1,
    "filters_identical_random": random["distinct"] == 1,
    "filter_spread_constant": constant["spread"],
    "filter_spread_random": random["spread"],
    "filters_moved_constant": constant["moved"],
    "accuracy_constant": constant["accuracy"],
    "accuracy_random": random["accuracy"],
    "filters": params["filters"],
}
"""),
)

TRAINING_LOOP = (
    md("## 1. Training and test data\nEdge images: one set to train on, a fresh one to test."),
    code("""
import math

from cnncore.scenarios._data import EDGE_LABELS, edge_images

IMAGE_SIZE, FILTERS = 8, 4
n, batch_size, epochs = params["examples"], params["batch_size"], params["epochs"]
x, labels = edge_images(rng, n, size=IMAGE_SIZE, noise=params["noise"])
x_test, labels_test = edge_images(rng, n, size=IMAGE_SIZE, noise=params["noise"])
per_epoch = math.ceil(n / batch_size)
last_batch = n - (per_epoch - 1) * batch_size
per_epoch, last_batch
"""),
    md("## 2. The model and the optimiser"),
    code("""
from cnncore.optim import SGD
from cnncore.scenarios._models import small_cnn
from cnncore.train import evaluate, minibatches, train_step, weights_exploded

model = small_cnn(rng=rng, in_channels=1, image_size=IMAGE_SIZE, filters=FILTERS, classes=len(EDGE_LABELS))
optimizer = SGD(model.parameters(), params["learning_rate"], momentum=params["momentum"])
start, start_test = evaluate(model, x, labels), evaluate(model, x_test, labels_test)
start.loss, start.accuracy
"""),
    md("""
## 3. The loop
Each epoch shuffles the images into mini-batches; each batch is one iteration (forward, loss,
backward, update). Training stops if the weights blow up.
"""),
    code("""
epoch_loss, train_accuracy, test_accuracy = [start.loss], [start.accuracy], [start_test.accuracy]
iteration_losses, diverged = [], False
for epoch in range(1, epochs + 1):
    for batch in minibatches(n, batch_size, rng):
        iteration_losses.append(train_step(model, optimizer, x[batch], labels[batch]))
        if weights_exploded(model):
            diverged = True
            break
    if diverged:
        break
    trained, tested = evaluate(model, x, labels), evaluate(model, x_test, labels_test)
    epoch_loss.append(trained.loss)
    train_accuracy.append(trained.accuracy)
    test_accuracy.append(tested.accuracy)
list(zip(epoch_loss, train_accuracy, test_accuracy))
"""),
    md("## 4. Results"),
    code("""
results = {
    "iterations_per_epoch": per_epoch,
    "total_iterations": per_epoch * epochs,
    "last_batch_size": last_batch,
    "initial_accuracy": start.accuracy,
    "final_accuracy": train_accuracy[-1],
    "diverged": diverged,
    "final_test_accuracy": test_accuracy[-1],
    "initial_loss": start.loss,
    "final_loss": epoch_loss[-1],
    "examples": n,
    "batch_size": batch_size,
    "epochs": epochs,
}
"""),
)

RECIPES = {
    "learning-rate": LEARNING_RATE,
    "initialization": INITIALIZATION,
    "training-loop": TRAINING_LOOP,
}
