"""chain-rule-mlp: a two-layer network, every local derivative, and their products.

Computing and telling are apart: ``compute`` runs the network forward and backward (recording
its steps) and returns a ``Run`` of plain numbers; ``intro_text``, ``chain_text`` and the
``record_*`` functions turn those numbers into the trace's notes, results and misconceptions.
"""

from __future__ import annotations

from dataclasses import dataclass

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


@dataclass
class Run:
    """The numbers of one forward and backward pass (nothing here is text)."""

    activation: str
    target: float
    x: np.ndarray
    """(1, D) the input."""
    z: np.ndarray
    """(1, H) hidden pre-activations W1 x + b1."""
    hidden: np.ndarray
    """(1, H) hidden activations h = f(z)."""
    y: np.ndarray
    """(1, 1) the output W2 h + b2."""
    loss: float
    """1/2 (t - y)^2."""
    dy: np.ndarray
    """(1, 1) dL/dy = y - t."""
    w2: np.ndarray
    """(1, H) W2."""
    local: np.ndarray
    """(1, H) the activation's derivative f'(z)."""
    dl_dh: np.ndarray
    """(1, H) dL/dh = dL/dy * W2."""
    dl_dz: np.ndarray
    """(1, H) dL/dz = dL/dh * f'(z)."""
    dw1: np.ndarray
    """(H, D) dL/dW1 by backpropagation."""
    dw2: np.ndarray
    """(1, H) dL/dW2 by backpropagation."""
    db1: np.ndarray
    """(H,) dL/db1 by backpropagation."""
    chain_matches_backward: bool
    """Whether dL/dz^T x, the product of local derivatives, equals backpropagation's dL/dW1."""

    @property
    def dl_dy(self) -> float:
        """Return dL/dy as a number."""
        return float(self.dy[0, 0])

    @property
    def product(self) -> float:
        """Return dL/dW1[0, 0] as the product dL/dy * W2[0, 0] * f'(z0) * x0."""
        return self.dl_dy * self.w2[0, 0] * self.local[0, 0] * self.x[0, 0]


def random_network(d: int, h: int, rng: np.random.Generator) -> tuple[np.ndarray, Linear, Linear]:
    """Return an input x (1, D) and the layers fc1 (D -> H) and fc2 (H -> 1) with small random values."""
    x = small_values(rng, (1, d), integer=False, low=-1, high=1)
    fc1 = Linear.from_arrays(
        small_values(rng, (h, d), integer=False, low=-1, high=1),
        small_values(rng, (h,), integer=False, low=-0.5, high=0.5),
    )
    fc2 = Linear.from_arrays(
        small_values(rng, (1, h), integer=False, low=-1, high=1),
        small_values(rng, (1,), integer=False, low=-0.5, high=0.5),
    )
    return x, fc1, fc2


def record_loss_step(trace, y: np.ndarray, dy: np.ndarray, target: float, loss: float) -> None:
    """Record the loss step: the prediction y (1, 1), the target, the loss and dL/dy (1, 1)."""
    trace.add_step(
        "loss",
        "L = 1/2 (t - y)^2",
        explanation="The loss measures the error; its derivative with respect to the "
        "prediction is dL/dy = y - t (the 1/2 cancels the 2 of the square).",
        arrays={"prediction": y, "dL_dy": dy},
        scalars={"target": target, "loss": loss},
    )


def compute(p: dict, rng: np.random.Generator, trace) -> Run:
    """Run forward, loss and backward on a random two-layer network, recording each step into ``trace``."""
    target = p["target"]
    x, fc1, fc2 = random_network(p["inputs"], p["hidden"], rng)
    activation = ACTIVATIONS[p["activation"]]()
    model = Sequential(fc1, activation, fc2)
    z = fc1.forward(x, trace=trace)  # the model's forward, layer by layer, to keep z and h
    hidden = activation.forward(z, trace=trace)
    y = fc2.forward(hidden, trace=trace)
    loss, dy = half_squared_error(y, np.array([[target]]))
    record_loss_step(trace, y, dy, target, loss)
    model.backward(dy, trace=trace)
    local = activation.local_derivative()
    w2 = fc2.weight.value
    dl_dh = float(dy[0, 0]) * w2
    dl_dz = dl_dh * local
    return Run(
        activation=p["activation"], target=target, x=x, z=z, hidden=hidden, y=y, loss=loss, dy=dy,
        w2=w2, local=local, dl_dh=dl_dh, dl_dz=dl_dz, dw1=fc1.weight.grad, dw2=fc2.weight.grad,
        db1=fc1.bias.grad,
        chain_matches_backward=bool(np.allclose(dl_dz.T @ x, fc1.weight.grad, rtol=1e-12, atol=1e-15)),
    )


# -- telling: every text below is made from the numbers of the ``Run`` -------------------------


def intro_text(run: Run) -> str:
    """Return the first note: the network's layers and its loss."""
    return (
        f"z = W1 x + b1 ({run.z.shape[1]} hidden pre-activations), h = {run.activation}(z), "
        f"y = W2 h + b2 (one output), loss L = 1/2 (t - y)^2 with target t = {fmt(run.target)}."
    )


def chain_text(run: Run) -> str:
    """Return dL/dW1[0, 0] as the product of its four factors."""
    return (
        f"dL/dW1[0,0] = dL/dy * dy/dh0 * dh0/dz0 * dz0/dW1[0,0] = ({fmt(run.dl_dy)}) * "
        f"({fmt(run.w2[0, 0])}) * ({fmt(run.local[0, 0])}) * ({fmt(run.x[0, 0])}) = {fmt(run.product)}: "
        f"the loss's derivative, W2, the activation's derivative at z0, and the input x0. "
        f"Backpropagation computes the same number layer by layer."
    )


def tell_chain(run: Run, trace) -> None:
    """Record the note on the chain rule for dL/dW1[0, 0], with every factor."""
    trace.note(
        "The chain rule for dL/dW1[0, 0]",
        chain_text(run),
        dL_dy=run.dl_dy,
        dy_dh=run.w2[0],
        dh_dz=run.local[0],
        dz_dW1=run.x[0],
        dL_dh=run.dl_dh[0],
        dL_dz=run.dl_dz[0],
        dL_dW1=run.dw1,
    )


def record_results(run: Run, trace) -> None:
    """Record the output, the loss, the hidden values and the gradients."""
    trace.add_result("prediction", float(run.y[0, 0]), "the network's output y")
    trace.add_result("loss", run.loss, "L = 1/2 (t - y)^2")
    trace.add_result("dL_dprediction", run.dl_dy, "dL/dy = y - t")
    trace.add_result("preactivation", run.z[0], "hidden pre-activations z = W1 x + b1 (H,)")
    trace.add_result("hidden", run.hidden[0], "hidden activations h (H,)")
    trace.add_result("hidden_derivative", run.local[0], "activation derivatives at z (H,)")
    trace.add_result("dw1", run.dw1, "dL/dW1 (H, D)")
    trace.add_result("dw2", run.dw2, "dL/dW2 (1, H)")
    trace.add_result("dw1_00", float(run.dw1[0, 0]), "dL/dW1[0, 0]")
    trace.add_result("dw2_0", float(run.dw2[0, 0]), "dL/dW2[0, 0]")
    trace.add_result("db1_0", float(run.db1[0]), "dL/db1[0]")
    trace.add_result(
        "chain_matches_backward",
        run.chain_matches_backward,
        "the product of local derivatives equals backprop's dL/dW1",
    )


def record_misconceptions(run: Run, trace) -> None:
    """Record the gradients a wrong factor in the chain gives, and the loss without its 1/2."""
    dl_dy, w2, x = run.dl_dy, run.w2, run.x
    trace.add_misconception(
        "dw1_00",
        "forgot_activation_derivative",
        dl_dy * w2[0, 0] * x[0, 0],
        "skipped the activation's derivative in the chain",
    )
    trace.add_misconception(
        "dw1_00",
        "used_activation_value",
        dl_dy * w2[0, 0] * run.hidden[0, 0] * x[0, 0],
        "multiplied by the activation's value instead of its derivative",
    )
    trace.add_misconception(
        "dw1_00", "sign_flipped", -float(run.dw1[0, 0]), "used t - y instead of y - t for dL/dy"
    )
    trace.add_misconception(
        "dw1_00",
        "forgot_input",
        float(run.db1[0]),
        "forgot the last factor dz/dW = x (that is the bias gradient)",
    )
    trace.add_misconception(
        "dw2_0",
        "used_preactivation",
        dl_dy * float(run.z[0, 0]),
        "used the pre-activation z instead of the activation h",
    )
    trace.add_misconception(
        "dw2_0", "sign_flipped", -float(run.dw2[0, 0]), "used t - y instead of y - t for dL/dy"
    )
    trace.add_misconception("loss", "forgot_half", 2 * run.loss, "forgot the 1/2 in front of the square")


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
    start = len(trace.steps)
    run = compute(p, rng, trace)
    computed = len(trace.steps)
    trace.note("The network", intro_text(run), x=run.x[0])
    trace.move_to_end(start, computed)
    tell_chain(run, trace)
    record_results(run, trace)
    record_misconceptions(run, trace)
