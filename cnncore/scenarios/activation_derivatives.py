"""activation-derivatives: ReLU, sigmoid, tanh, their derivatives, and gradients through depth.

Computing and telling are apart: ``compute`` evaluates every activation and returns a ``Run``
of plain numbers (an ``ActivationRun`` per activation); ``value_text``, ``chain_text``,
``sigmoid_sentence`` and the ``record_*`` functions turn those numbers into the trace's curves,
notes, results and misconceptions.
"""

from __future__ import annotations

from dataclasses import dataclass

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


@dataclass
class ActivationRun:
    """The numbers of one activation f (nothing here is text)."""

    name: str
    values: np.ndarray
    """(P,) f on the curve's points."""
    derivatives: np.ndarray
    """(P,) f' on the curve's points."""
    value: float
    """f(z) at the preactivation z."""
    derivative: float
    """f'(z) at the preactivation z."""
    gradient: float
    """d output / d z through the chain of ``depth`` layers w * (.) then f."""
    factors: np.ndarray
    """(depth,) the chain's local factors w * f'(...), first layer first."""


@dataclass
class Run:
    """The numbers of every activation at one preactivation and through one chain."""

    z: float
    depth: int
    weight: float
    xs: np.ndarray
    """(P,) the curves' points, from -x_range to x_range."""
    activations: dict[str, ActivationRun]
    """By name, in the order of ``ACTIVATIONS``."""


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


def compute(p: dict) -> Run:
    """Return each activation's curves, its value and derivative at z, and its chain's gradient."""
    z, depth, weight = p["preactivation"], p["depth"], p["weight"]
    xs = np.linspace(-p["x_range"], p["x_range"], p["points"])
    activations = {}
    for name in ACTIVATIONS:
        values, derivatives = value_and_derivative(name, xs)
        value, derivative = (float(a[0]) for a in value_and_derivative(name, np.array([z])))
        gradient, factors = chain(name, z, depth, weight)
        activations[name] = ActivationRun(name, values, derivatives, value, derivative, gradient, factors)
    return Run(z=z, depth=depth, weight=weight, xs=xs, activations=activations)


# -- telling: every text below is made from the numbers of the ``Run`` -------------------------


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


def value_text(activation: ActivationRun) -> str:
    """Return the activation's value and derivative at z, with their formulas."""
    formula, derivative_formula = FORMULAS[activation.name]
    return (f"{activation.name}(z) = {formula} = {fmt(activation.value)}; its derivative "
            f"{derivative_formula} = {fmt(activation.derivative)}.")


def chain_text(run: Run, activation: ActivationRun) -> str:
    """Return the chain's gradient as a product of local factors (and, for the sigmoid, whether it vanishes)."""
    name = activation.name
    return (
        f"By the chain rule the gradient is the product of each layer's local factor "
        f"w * {name}'(.) = {run.weight:g} * {name}'(.): {fmt(activation.gradient)}."
        + (sigmoid_sentence(run.weight, activation.gradient, run.depth) if name == "sigmoid" else "")
    )


def tell_values(run: Run, trace) -> None:
    """Record each activation's curves (values and derivatives) and its note at z."""
    for activation in run.activations.values():
        name = activation.name
        for chart, ys in (("activations", activation.values), ("derivatives", activation.derivatives)):
            trace.add_series(
                f"{name}_{chart}",
                label=name if chart == "activations" else f"{name}'",
                chart=chart,
                x=run.xs.tolist(),
                y=ys.tolist(),
                x_label="z",
                y_label="f(z)" if chart == "activations" else "f'(z)",
            )
        trace.note(
            f"{name} at z = {fmt(run.z)}",
            value_text(activation),
            value=activation.value,
            derivative=activation.derivative,
        )


def tell_chains(run: Run, trace) -> None:
    """Record each activation's gradient through depth (a curve) and its note on the chain."""
    for activation in run.activations.values():
        name, factors = activation.name, activation.factors
        trace.add_series(
            f"{name}_depth",
            label=name,
            chart="depth",
            x=list(range(1, run.depth + 1)),
            y=np.abs(np.cumprod(factors)).tolist(),
            x_label="layers",
            y_label="|d output / d z|",
        )
        trace.note(
            f"Backward through {run.depth} {name} layer(s)",
            chain_text(run, activation),
            local_factors=factors,
            gradient_so_far=np.cumprod(factors),
            gradient=activation.gradient,
        )


def record_results(run: Run, trace) -> None:
    """Record each value and derivative at z, each chain's gradient, and the sigmoid's bounds."""
    z, depth = run.z, run.depth
    for name, activation in run.activations.items():
        trace.add_result(f"{name}_value", activation.value, f"{name}(z) at z = {fmt(z)}")
        trace.add_result(f"{name}_derivative", activation.derivative, f"{name}'(z) at z = {fmt(z)}")
    for name, activation in run.activations.items():
        trace.add_result(
            f"{name}_chain_gradient", activation.gradient, f"d output / d z through {depth} layer(s) of w * {name}"
        )
    trace.add_result("sigmoid_derivative_max", 0.25, "the largest value of s(z)(1 - s(z)), at z = 0")
    trace.add_result(
        "sigmoid_chain_bound",
        (0.25 * run.weight) ** depth,
        "(0.25 w)^depth: no sigmoid chain's gradient is larger",
    )


def record_derivative_misconceptions(run: Run, trace) -> None:
    """Record the derivatives at z that using f itself, or the formula on z, gives."""
    z, activations = run.z, run.activations
    trace.add_misconception(
        "sigmoid_derivative",
        "used_sigmoid_value",
        activations["sigmoid"].value,
        "used the sigmoid itself instead of its derivative",
    )
    trace.add_misconception(
        "sigmoid_derivative", "formula_on_input", z * (1 - z), "applied s(1 - s) to z instead of to s(z)"
    )
    trace.add_misconception(
        "tanh_derivative", "used_tanh_value", activations["tanh"].value, "used tanh itself instead of its derivative"
    )
    trace.add_misconception(
        "tanh_derivative", "formula_on_input", 1 - z * z, "applied 1 - t^2 to z instead of to tanh(z)"
    )
    trace.add_misconception(
        "relu_derivative",
        "used_relu_value",
        activations["relu"].value,
        "used max(0, z) instead of its derivative (1 or 0)",
    )


def record_chain_misconceptions(run: Run, trace) -> None:
    """Record the sigmoid chain's gradients that adding, keeping one, or dropping the factors gives."""
    factors = run.activations["sigmoid"].factors
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
        run.weight**run.depth,
        "multiplied the weights but forgot the sigmoid derivatives",
    )


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
    run = compute(p)
    tell_values(run, trace)
    tell_chains(run, trace)
    record_results(run, trace)
    record_derivative_misconceptions(run, trace)
    record_chain_misconceptions(run, trace)
