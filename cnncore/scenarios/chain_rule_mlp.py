"""chain-rule-mlp: a two-layer network, every local derivative, and their products."""

from __future__ import annotations

import numpy as np

from cnncore.losses import half_squared_error
from cnncore.nn import Linear, Sequential
from cnncore.scenarios._common import fmt, small_values
from cnncore.scenarios.activation_derivatives import ACTIVATIONS
from cnncore.scenarios.params import Param
from cnncore.scenarios.registry import register

PARAMS = (
    Param("inputs", "int", 2, min=1, max=4, help="input features D"),
    Param("hidden", "int", 2, min=1, max=4, help="hidden units H"),
    Param(
        "activation", "choice", "sigmoid", choices=tuple(ACTIVATIONS), help="the hidden layer's activation"
    ),
    Param("target", "float", 1.0, min=-5, max=5, help="the target t of the single output"),
)


@register(
    name="chain-rule-mlp",
    title="The chain rule in a two-layer network",
    topic="chain-rule",
    summary=(
        "Follow every local derivative of a two-layer network and multiply them into each weight's gradient."
    ),
    params=PARAMS,
)
def build(p: dict, rng: np.random.Generator, trace) -> None:
    """Record forward, loss and backward, then dL/dW1[0, 0] as a product of four factors."""
    d, h, target = p["inputs"], p["hidden"], p["target"]
    x = small_values(rng, (1, d), integer=False, low=-1, high=1)
    fc1 = Linear.from_arrays(
        small_values(rng, (h, d), integer=False, low=-1, high=1),
        small_values(rng, (h,), integer=False, low=-0.5, high=0.5),
    )
    fc2 = Linear.from_arrays(
        small_values(rng, (1, h), integer=False, low=-1, high=1),
        small_values(rng, (1,), integer=False, low=-0.5, high=0.5),
    )
    activation = ACTIVATIONS[p["activation"]]()
    model = Sequential(fc1, activation, fc2)
    trace.note(
        "The network",
        f"z = W1 x + b1 ({h} hidden pre-activations), h = {p['activation']}(z), "
        f"y = W2 h + b2 (one output), loss L = 1/2 (t - y)^2 with target t = {fmt(target)}.",
        x=x[0],
    )
    z = fc1.forward(x, trace=trace)  # the model's forward, layer by layer, to keep z and h
    hidden = activation.forward(z, trace=trace)
    y = fc2.forward(hidden, trace=trace)
    loss, dy = half_squared_error(y, np.array([[target]]))
    trace.add_step(
        "loss",
        "L = 1/2 (t - y)^2",
        explanation="The loss measures the error; its derivative with respect to the "
        "prediction is dL/dy = y - t (the 1/2 cancels the 2 of the square).",
        arrays={"prediction": y, "dL_dy": dy},
        scalars={"target": target, "loss": loss},
    )
    model.backward(dy, trace=trace)

    local = activation.local_derivative()
    dl_dy = float(dy[0, 0])
    w2 = fc2.weight.value
    dl_dh = dl_dy * w2  # (1, H)
    dl_dz = dl_dh * local  # (1, H)
    product = dl_dy * w2[0, 0] * local[0, 0] * x[0, 0]
    trace.note(
        "The chain rule for dL/dW1[0, 0]",
        f"dL/dW1[0,0] = dL/dy * dy/dh0 * dh0/dz0 * dz0/dW1[0,0] = ({fmt(dl_dy)}) * "
        f"({fmt(w2[0, 0])}) * ({fmt(local[0, 0])}) * ({fmt(x[0, 0])}) = {fmt(product)}: "
        f"the loss's derivative, W2, the activation's derivative at z0, and the input x0. "
        f"Backpropagation computes the same number layer by layer.",
        dL_dy=dl_dy,
        dy_dh=w2[0],
        dh_dz=local[0],
        dz_dW1=x[0],
        dL_dh=dl_dh[0],
        dL_dz=dl_dz[0],
        dL_dW1=fc1.weight.grad,
    )

    dw1, dw2 = fc1.weight.grad, fc2.weight.grad
    chain_dw1 = dl_dz.T @ x
    trace.add_result("prediction", float(y[0, 0]), "the network's output y")
    trace.add_result("loss", loss, "L = 1/2 (t - y)^2")
    trace.add_result("dL_dprediction", dl_dy, "dL/dy = y - t")
    trace.add_result("preactivation", z[0], "hidden pre-activations z = W1 x + b1 (H,)")
    trace.add_result("hidden", hidden[0], "hidden activations h (H,)")
    trace.add_result("hidden_derivative", local[0], "activation derivatives at z (H,)")
    trace.add_result("dw1", dw1, "dL/dW1 (H, D)")
    trace.add_result("dw2", dw2, "dL/dW2 (1, H)")
    trace.add_result("dw1_00", float(dw1[0, 0]), "dL/dW1[0, 0]")
    trace.add_result("dw2_0", float(dw2[0, 0]), "dL/dW2[0, 0]")
    trace.add_result("db1_0", float(fc1.bias.grad[0]), "dL/db1[0]")
    trace.add_result(
        "chain_matches_backward",
        bool(np.allclose(chain_dw1, dw1, rtol=1e-12, atol=1e-15)),
        "the product of local derivatives equals backprop's dL/dW1",
    )

    trace.add_misconception(
        "dw1_00",
        "forgot_activation_derivative",
        dl_dy * w2[0, 0] * x[0, 0],
        "skipped the activation's derivative in the chain",
    )
    trace.add_misconception(
        "dw1_00",
        "used_activation_value",
        dl_dy * w2[0, 0] * hidden[0, 0] * x[0, 0],
        "multiplied by the activation's value instead of its derivative",
    )
    trace.add_misconception(
        "dw1_00", "sign_flipped", -float(dw1[0, 0]), "used t - y instead of y - t for dL/dy"
    )
    trace.add_misconception(
        "dw1_00",
        "forgot_input",
        float(fc1.bias.grad[0]),
        "forgot the last factor dz/dW = x (that is the bias gradient)",
    )
    trace.add_misconception(
        "dw2_0",
        "used_preactivation",
        dl_dy * float(z[0, 0]),
        "used the pre-activation z instead of the activation h",
    )
    trace.add_misconception(
        "dw2_0", "sign_flipped", -float(dw2[0, 0]), "used t - y instead of y - t for dL/dy"
    )
    trace.add_misconception("loss", "forgot_half", 2 * loss, "forgot the 1/2 in front of the square")
