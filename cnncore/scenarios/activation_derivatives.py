"""activation-derivatives: ReLU, sigmoid, tanh, their derivatives, and gradients through depth."""

from __future__ import annotations

import numpy as np

from cnncore.nn import Linear, ReLU, Sequential, Sigmoid, Tanh
from cnncore.scenarios._common import fmt
from cnncore.scenarios.params import Param
from cnncore.scenarios.registry import register

PARAMS = (
    Param(
        "preactivation", "float", 0.5, min=-6, max=6, help="the input z where values and derivatives are read"
    ),
    Param("x_range", "float", 5.0, min=1, max=10, help="curves run from -x_range to x_range"),
    Param("points", "int", 11, min=5, max=41, help="points on each curve"),
    Param("depth", "int", 5, min=1, max=20, help="layers in the chain z -> w*z -> f -> ..."),
    Param("weight", "float", 1.0, min=0.1, max=4, help="the weight w of every chain layer"),
)
ACTIVATIONS = {"relu": ReLU, "sigmoid": Sigmoid, "tanh": Tanh}
FORMULAS = {
    "relu": ("max(0, z)", "1 if z > 0 else 0"),
    "sigmoid": ("1 / (1 + e^-z)", "s(z) (1 - s(z))"),
    "tanh": ("tanh(z)", "1 - tanh(z)^2"),
}


def value_and_derivative(activation: str, z: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Return ``(f(z), f'(z))`` computed by the activation layer."""
    layer = ACTIVATIONS[activation]()
    return layer.forward(z), layer.local_derivative()


def chain(activation: str, z: float, depth: int, weight: float) -> tuple[float, np.ndarray]:
    """Return ``(d output / d z, factors)`` through ``depth`` layers of w * (.) then f.

    ``factors`` (depth,) are the local factors ``w * f'(...)``, first layer first; their
    product is the gradient, which the model's backward pass computes.
    """
    layers = []
    for _ in range(depth):
        layers += [Linear.from_arrays([[weight]], [0.0]), ACTIVATIONS[activation]()]
    model = Sequential(*layers)
    model.forward(np.array([[z]]))
    gradient = float(model.backward(np.ones((1, 1)))[0, 0])
    factors = np.array([weight * float(layer.local_derivative()[0, 0]) for layer in layers[1::2]])
    return gradient, factors


def sigmoid_sentence(weight: float, gradient: float, depth: int) -> str:
    """Return what the sigmoid chain did to the gradient, decided from ``weight`` and the product."""
    bound = 0.25 * abs(weight)
    if bound < 1:
        return (f" The sigmoid's derivative is at most 0.25, so with w = {weight:g} each layer multiplies "
                f"the gradient by at most {bound:g} < 1: after {depth} layer(s) it is {fmt(abs(gradient))}, "
                "and it vanishes in deep sigmoid networks.")
    return (f" The sigmoid's derivative is at most 0.25, but with w = {weight:g} a layer's factor can "
            f"reach {bound:g}, so the weights can offset the shrinking: here the gradient is "
            f"{fmt(abs(gradient))} after {depth} layer(s).")


@register(
    name="activation-derivatives",
    title="Activation functions and their derivatives",
    topic="activations",
    summary=(
        "Compare ReLU, sigmoid and tanh with their derivatives, and see sigmoid "
        "gradients shrink through depth."
    ),
    params=PARAMS,
)
def build(p: dict, rng: np.random.Generator, trace) -> None:
    """Record curves, values at z, and the gradient through a chain of each activation."""
    z, depth, weight = p["preactivation"], p["depth"], p["weight"]
    xs = np.linspace(-p["x_range"], p["x_range"], p["points"])
    at_z = {}
    for name in ACTIVATIONS:
        values, derivatives = value_and_derivative(name, xs)
        for chart, ys in (("activations", values), ("derivatives", derivatives)):
            trace.add_series(
                f"{name}_{chart}",
                label=name if chart == "activations" else f"{name}'",
                chart=chart,
                x=xs.tolist(),
                y=ys.tolist(),
                x_label="z",
                y_label="f(z)" if chart == "activations" else "f'(z)",
            )
        value, derivative = (float(a[0]) for a in value_and_derivative(name, np.array([z])))
        at_z[name] = (value, derivative)
        formula, derivative_formula = FORMULAS[name]
        trace.note(
            f"{name} at z = {fmt(z)}",
            f"{name}(z) = {formula} = {fmt(value)}; its derivative {derivative_formula} = {fmt(derivative)}.",
            value=value,
            derivative=derivative,
        )
    chains = {}
    for name in ACTIVATIONS:
        gradient, factors = chain(name, z, depth, weight)
        chains[name] = (gradient, factors)
        trace.add_series(
            f"{name}_depth",
            label=name,
            chart="depth",
            x=list(range(1, depth + 1)),
            y=np.abs(np.cumprod(factors)).tolist(),
            x_label="layers",
            y_label="|d output / d z|",
        )
        trace.note(
            f"Backward through {depth} {name} layer(s)",
            f"By the chain rule the gradient is the product of each layer's local factor "
            f"w * {name}'(.) = {weight:g} * {name}'(.): {fmt(gradient)}."
            + (sigmoid_sentence(weight, gradient, depth) if name == "sigmoid" else ""),
            local_factors=factors,
            gradient_so_far=np.cumprod(factors),
            gradient=gradient,
        )

    for name, (value, derivative) in at_z.items():
        trace.add_result(f"{name}_value", value, f"{name}(z) at z = {fmt(z)}")
        trace.add_result(f"{name}_derivative", derivative, f"{name}'(z) at z = {fmt(z)}")
    for name, (gradient, _) in chains.items():
        trace.add_result(
            f"{name}_chain_gradient", gradient, f"d output / d z through {depth} layer(s) of w * {name}"
        )
    trace.add_result("sigmoid_derivative_max", 0.25, "the largest value of s(z)(1 - s(z)), at z = 0")
    trace.add_result(
        "sigmoid_chain_bound",
        (0.25 * weight) ** depth,
        "(0.25 w)^depth: no sigmoid chain's gradient is larger",
    )

    trace.add_misconception(
        "sigmoid_derivative",
        "used_sigmoid_value",
        at_z["sigmoid"][0],
        "used the sigmoid itself instead of its derivative",
    )
    trace.add_misconception(
        "sigmoid_derivative", "formula_on_input", z * (1 - z), "applied s(1 - s) to z instead of to s(z)"
    )
    trace.add_misconception(
        "tanh_derivative", "used_tanh_value", at_z["tanh"][0], "used tanh itself instead of its derivative"
    )
    trace.add_misconception(
        "tanh_derivative", "formula_on_input", 1 - z * z, "applied 1 - t^2 to z instead of to tanh(z)"
    )
    trace.add_misconception(
        "relu_derivative",
        "used_relu_value",
        at_z["relu"][0],
        "used max(0, z) instead of its derivative (1 or 0)",
    )
    factors = chains["sigmoid"][1]
    trace.add_misconception(
        "sigmoid_chain_gradient",
        "added_factors",
        float(factors.sum()),
        "added the local derivatives instead of multiplying them",
    )
    trace.add_misconception(
        "sigmoid_chain_gradient", "only_last_layer", float(factors[-1]), "kept only the last layer's factor"
    )
    trace.add_misconception(
        "sigmoid_chain_gradient",
        "forgot_derivatives",
        weight**depth,
        "multiplied the weights but forgot the sigmoid derivatives",
    )
