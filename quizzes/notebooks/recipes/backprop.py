"""Recipes: one training iteration, the chain rule, loss functions, activation derivatives."""

from . import code, md

TRAINING_ITERATION = (
    md("""
## 1. The data
One synthetic 32x32 colour "photo" (shape `(1, 3, 32, 32)`) of the chosen label, drawn from the
seeded generator exactly as the lab draws it.
"""),
    code("""
from cnncore.scenarios._data import PHOTO_LABELS, synthetic_photo

IMAGE_SIZE = 32
lr, label = params["learning_rate"], params["label"]
target = PHOTO_LABELS.index(label)
x = synthetic_photo(rng, label, size=IMAGE_SIZE)  # (1, 3, 32, 32)
labels = np.array([target])                         # (1,)
x.shape, label
"""),
    md("""
## 2. The network and its random weights
conv (3x3, padding 1) -> ReLU -> 2x2 max pool -> flatten -> linear, weights drawn from the
same generator. Before training its output is nearly uniform.
"""),
    code("""
from cnncore.optim import SGD
from cnncore.scenarios._models import small_cnn
from cnncore.train import evaluate

model = small_cnn(rng=rng, in_channels=3, image_size=IMAGE_SIZE, filters=params["filters"],
                  classes=len(PHOTO_LABELS))
optimizer = SGD(model.parameters(), lr)
before = evaluate(model, x, labels)
fc1 = model.layer("fc1")
weights_before = fc1.weight.value.copy()  # (classes, features)
before.probabilities[0]
"""),
    md("## 3. Forward pass\nLayer by layer from the image to the logits `(1, 3)`."),
    code("""
optimizer.zero_grad()
logits = model.forward(x)
logits
"""),
    md("## 4. Loss\nSoftmax cross-entropy: `-log p[true class]`; its gradient is `p - one-hot`."),
    code("""
from cnncore.losses import cross_entropy_loss

loss, dlogits = cross_entropy_loss(logits, labels)
loss, dlogits
"""),
    md("## 5. Backward pass\nThe chain rule, layer by layer from the loss back: every weight gets `dL/dW`."),
    code("""
model.backward(dlogits)
{p.name: float(np.abs(p.grad).max()) for p in model.parameters()}
"""),
    md("## 6. Update\nEach weight moves against its gradient: `w <- w - learning_rate * dL/dw`. Then forward again."),
    code("""
optimizer.step()
after = evaluate(model, x, labels)
before.loss, after.loss
"""),
    md("## 7. Results\nThe weight of `fc1` with the largest gradient, followed through the update."),
    code("""
import math

index = np.unravel_index(np.argmax(np.abs(fc1.weight.grad)), fc1.weight.grad.shape)
name = f"fc1.weight[{index[0]}, {index[1]}]"
results = {
    "loss_before": before.loss,
    "loss_after": after.loss,
    "loss_decreased": after.loss < before.loss,
    "uniform_loss": math.log(len(PHOTO_LABELS)),
    "probabilities_before": before.probabilities[0],
    "probabilities_after": after.probabilities[0],
    "target_label": label,
    "target_probability_before": float(before.probabilities[0, target]),
    "target_probability_after": float(after.probabilities[0, target]),
    "predicted_label_before": PHOTO_LABELS[before.predictions[0]],
    "predicted_label_after": PHOTO_LABELS[after.predictions[0]],
    "learning_rate": lr,
    "weight_name": name,
    "weight_index": tuple(int(i) for i in index),
    "weight_before": float(weights_before[index]),
    "weight_gradient": float(fc1.weight.grad[index]),
    "updated_weight": float(fc1.weight.value[index]),
}
"""),
)

CHAIN_RULE_MLP = (
    md("## 1. The network\n`z = W1 x + b1`, `h = f(z)`, `y = W2 h + b2`, small random numbers from the seed."),
    code("""
from cnncore.nn import Linear, ReLU, Sequential, Sigmoid, Tanh
from cnncore.scenarios._common import small_values

d, h, target = params["inputs"], params["hidden"], params["target"]
x = small_values(rng, (1, d), integer=False, low=-1, high=1)  # (1, D)
fc1 = Linear.from_arrays(small_values(rng, (h, d), integer=False, low=-1, high=1),
                         small_values(rng, (h,), integer=False, low=-0.5, high=0.5))
fc2 = Linear.from_arrays(small_values(rng, (1, h), integer=False, low=-1, high=1),
                         small_values(rng, (1,), integer=False, low=-0.5, high=0.5))
activation = {"relu": ReLU, "sigmoid": Sigmoid, "tanh": Tanh}[params["activation"]]()
model = Sequential(fc1, activation, fc2)
x
"""),
    md("## 2. Forward pass"),
    code("""
z = fc1.forward(x)             # (1, H) pre-activations
hidden = activation.forward(z)  # (1, H)
y = fc2.forward(hidden)         # (1, 1)
z, hidden, y
"""),
    md("## 3. Loss\n`L = 1/2 (t - y)^2`, so `dL/dy = y - t`."),
    code("""
from cnncore.losses import half_squared_error

loss, dy = half_squared_error(y, np.array([[target]]))
loss, dy
"""),
    md("## 4. Backward pass"),
    code("""
model.backward(dy)
fc1.weight.grad, fc2.weight.grad
"""),
    md("## 5. The chain rule by hand\n`dL/dW1 = (dL/dy * W2 * f'(z))^T x`: the same numbers as backprop."),
    code("""
local = activation.local_derivative()  # (1, H)
dl_dy = float(dy[0, 0])
dl_dz = dl_dy * fc2.weight.value * local
chain_dw1 = dl_dz.T @ x
chain_dw1
"""),
    md("## 6. Results"),
    code("""
dw1, dw2 = fc1.weight.grad, fc2.weight.grad
results = {
    "prediction": float(y[0, 0]),
    "loss": loss,
    "dL_dprediction": dl_dy,
    "preactivation": z[0],
    "hidden": hidden[0],
    "hidden_derivative": local[0],
    "dw1": dw1,
    "dw2": dw2,
    "dw1_00": float(dw1[0, 0]),
    "dw2_0": float(dw2[0, 0]),
    "db1_0": float(fc1.bias.grad[0]),
    "chain_matches_backward": bool(np.allclose(chain_dw1, dw1, rtol=1e-12, atol=1e-15)),
}
"""),
)

LOSS_FUNCTIONS = (
    md("## 1. A prediction\nRandom logits (rounded to 2 decimals), their softmax, and the one-hot target."),
    code("""
from cnncore.functional import softmax

k, label, reduction = params["classes"], params["target_class"], params["reduction"]
logits = np.round(rng.normal(0.0, params["logit_scale"], size=(1, k)), 2)  # (1, K)
probs = softmax(logits)
target = np.eye(k)[[label]]
logits, probs
"""),
    md("""
## 2. Four losses and their gradients
MSE and BCE reduce by the chosen `reduction`; cross-entropy works on the logits.
"""),
    code("""
from cnncore.losses import binary_cross_entropy_loss, cross_entropy_loss, half_squared_error, mse_loss

mse, dmse = mse_loss(probs, target, reduction=reduction)
half, dhalf = half_squared_error(probs, target)
ce, dce = cross_entropy_loss(logits, np.array([label]))
bce, dbce = binary_cross_entropy_loss(probs, target, reduction=reduction)
mse, half, ce, bce
"""),
    md("## 3. Results"),
    code("""
results = {
    "probabilities": probs[0],
    "target_probability": float(probs[0, label]),
    "mse": mse,
    "half_squared_error": half,
    "cross_entropy": ce,
    "binary_cross_entropy": bce,
    "mse_gradient": dmse[0],
    "cross_entropy_gradient": dce[0],
    "bce_gradient": dbce[0],
    "cross_entropy_gradient_true": float(dce[0, label]),
}
"""),
)

ACTIVATION_DERIVATIVES = (
    md("## 1. Each activation and its derivative at z"),
    code("""
from cnncore.nn import Linear, ReLU, Sequential, Sigmoid, Tanh

ACTIVATIONS = {"relu": ReLU, "sigmoid": Sigmoid, "tanh": Tanh}
z, depth, weight = params["preactivation"], params["depth"], params["weight"]
at_z = {}
for name, layer_class in ACTIVATIONS.items():
    layer = layer_class()
    value = float(layer.forward(np.array([z]))[0])
    at_z[name] = (value, float(layer.local_derivative()[0]))
at_z
"""),
    md("## 2. The curves\nValues and derivatives from `-x_range` to `x_range`."),
    code("""
xs = np.linspace(-params["x_range"], params["x_range"], params["points"])
curves = {}
for name, layer_class in ACTIVATIONS.items():
    layer = layer_class()
    curves[name] = (layer.forward(xs), layer.local_derivative())
curves["sigmoid"][1].max()
"""),
    md("""
## 3. Gradients through depth
`depth` layers of `w * (.)` then the activation; backprop multiplies one factor `w * f'` per layer.
"""),
    code("""
def chain(layer_class, z, depth, weight):
    layers = []
    for _ in range(depth):
        layers += [Linear.from_arrays([[weight]], [0.0]), layer_class()]
    model = Sequential(*layers)
    model.forward(np.array([[z]]))
    gradient = float(model.backward(np.ones((1, 1)))[0, 0])
    factors = np.array([weight * float(layer.local_derivative()[0, 0]) for layer in layers[1::2]])
    return gradient, factors


chains = {name: chain(layer_class, z, depth, weight) for name, layer_class in ACTIVATIONS.items()}
{name: gradient for name, (gradient, _) in chains.items()}
"""),
    md("## 4. Results"),
    code("""
results = {}
for name, (value, derivative) in at_z.items():
    results[f"{name}_value"] = value
    results[f"{name}_derivative"] = derivative
for name, (gradient, _) in chains.items():
    results[f"{name}_chain_gradient"] = gradient
results["sigmoid_derivative_max"] = 0.25
results["sigmoid_chain_bound"] = (0.25 * weight) ** depth
"""),
)

RECIPES = {
    "training-iteration": TRAINING_ITERATION,
    "chain-rule-mlp": CHAIN_RULE_MLP,
    "loss-functions": LOSS_FUNCTIONS,
    "activation-derivatives": ACTIVATION_DERIVATIVES,
}
