"""parameter-count: parameters, output shape and receptive field, layer by layer, of a small CNN."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from cnncore.nn import Conv2D, Flatten, Linear, MaxPool2D, Module, ReLU, Sequential
from cnncore.scenarios._common import out_of_range
from cnncore.scenarios.params import Param
from cnncore.scenarios.registry import register

PARAMS = (
    Param("input_size", "int", 32, min=4, max=32, help="input height and width"),
    Param("in_channels", "int", 3, min=1, max=3, help="input channels (3 for colour)"),
    Param("conv1_filters", "int", 8, min=1, max=32, help="filters of conv1"),
    Param("conv2_filters", "int", 16, min=0, max=32, help="filters of conv2 (0: no conv2)"),
    Param("kernel_size", "int", 3, min=1, max=7, help="kernel size of both convs"),
    Param("stride", "int", 1, min=1, max=2, help="stride of both convs"),
    Param("padding", "int", 1, min=0, max=3, help="padding of both convs"),
    Param("pool", "bool", True, help="a 2x2 max pool after each conv"),
    Param("classes", "int", 10, min=2, max=10, help="outputs of the final linear layer"),
)


def feature_layers(p: dict, *, input_size: int | None = None) -> tuple[list[Module], tuple]:
    """Return the conv/ReLU/pool layers for ``p`` and their output shape (1, C, H, W).

    Raise ``ValueError`` if a kernel or pool window does not fit. Weights are constant
    (only shapes and counts matter here).
    """
    conv = {
        "kernel_size": p["kernel_size"],
        "stride": p["stride"],
        "padding": p["padding"],
        "init": "constant",
    }
    layers: list[Module] = [Conv2D(p["in_channels"], p["conv1_filters"], **conv), ReLU()]
    if p["pool"]:
        layers.append(MaxPool2D(2))
    if p["conv2_filters"]:
        layers += [Conv2D(p["conv1_filters"], p["conv2_filters"], **conv), ReLU()]
        if p["pool"]:
            layers.append(MaxPool2D(2))
    size = p["input_size"] if input_size is None else input_size
    shape = (1, p["in_channels"], size, size)
    for layer in layers:
        shape = layer.output_shape(shape)
    return layers, shape


def check(p: dict) -> None:
    """Raise ParameterError naming input_size if the feature maps shrink to nothing."""
    try:
        feature_layers(p)
    except ValueError:
        low = PARAMS[0].max
        for size in range(p["input_size"] + 1, PARAMS[0].max + 1):
            try:
                feature_layers(p, input_size=size)
            except ValueError:
                continue
            low = size
            break
        else:
            raise out_of_range(
                "kernel_size",
                1,
                p["kernel_size"] - 1,
                p["kernel_size"],
                "no input size up to 32 fits this network",
            ) from None
        raise out_of_range(
            "input_size",
            low,
            PARAMS[0].max,
            p["input_size"],
            "smaller inputs shrink to nothing in this network",
        ) from None


def receptive_fields(layers: list[Module]) -> list[tuple[int, int]]:
    """Return ``(receptive field, jump)`` after each layer: r += (k - 1) * j, then j *= s."""
    field, jump, fields = 1, 1, []
    for layer in layers:
        if hasattr(layer, "kernel_size"):
            field += (layer.kernel_size[0] - 1) * jump
            jump *= layer.stride[0]
        fields.append((field, jump))
    return fields


def count_text(layer: Module) -> str:
    """Return how the layer's parameter count is made up, in words."""
    if isinstance(layer, Conv2D):
        (k, _), c, f = layer.kernel_size, layer.in_channels, layer.out_channels
        return f"{f} filters x ({c} x {k} x {k} weights + 1 bias) = {f * (c * k * k + 1)}"
    if isinstance(layer, Linear):
        d, m = layer.in_features, layer.out_features
        return f"{m} outputs x ({d} inputs + 1 bias) = {m * (d + 1)}"
    return "no parameters"


@dataclass
class LayerRow:
    """One layer of the network: its output shape (1, C, H, W) or (1, F), parameters and receptive field."""

    layer: Module
    shape: tuple
    parameters: int
    field: int
    jump: int

    @property
    def spatial(self) -> bool:
        """True for a layer whose output is a feature map (it has a receptive field)."""
        return len(self.shape) == 4


@dataclass
class Run:
    """The network for the parameters and its layers' numbers (nothing here is text)."""

    model: Sequential
    features: int
    """Inputs of the final linear layer: C * H * W of the last feature map."""
    rows: list[LayerRow]

    @property
    def total(self) -> int:
        return sum(row.parameters for row in self.rows)

    @property
    def spatial_fields(self) -> list[tuple[int, int]]:
        """(receptive field, jump) of every layer before Flatten and Linear."""
        return [(row.field, row.jump) for row in self.rows if not isinstance(row.layer, Flatten | Linear)]


@register(
    name="parameter-count",
    title="Parameters, shapes and receptive fields of a small CNN",
    topic="cnn-architecture",
    summary=(
        "Count parameters and follow output shapes and receptive fields through a small CNN, layer by layer."
    ),
    params=PARAMS,
    check=check,
)
def build(p: dict, rng: np.random.Generator, trace) -> None:
    """Record one step per layer with its output shape, parameter count and receptive field."""
    run = compute(p)
    for row in run.rows:
        tell_layer(row, trace)
    record_results(run, trace)
    add_misconceptions(trace, run.model, run.features, run.total, run.spatial_fields)


def compute(p: dict) -> Run:
    """Return the network for ``p`` and, per layer, its output shape, parameters and receptive field."""
    layers, shape = feature_layers(p)
    features = int(np.prod(shape[1:]))
    model = Sequential(*layers, Flatten(), Linear(features, p["classes"], init="constant"))
    shape = (1, p["in_channels"], p["input_size"], p["input_size"])
    rows = []
    for layer, (field, jump) in zip(model.layers, receptive_fields(model.layers), strict=True):
        shape = layer.output_shape(shape)
        rows.append(LayerRow(layer, shape, sum(param.size for param in layer.parameters()), field, jump))
    return Run(model, features, rows)


def tell_layer(row: LayerRow, trace) -> None:
    """Record one layer's step (what it is, its output shape, its parameters, what one value sees) and results."""
    layer, shape_text = row.layer, "x".join(map(str, row.shape[1:]))
    trace.add_step(
        "note",
        f"{layer.name}: {layer.describe()}",
        layer=layer.name,
        explanation=f"Output {shape_text}; {count_text(layer)}."
        + (f" Each output value sees a {row.field}x{row.field} patch of the input." if row.spatial else ""),
        scalars={
            "output_shape": shape_text,
            "parameters": row.parameters,
            **({"receptive_field": row.field, "jump": row.jump} if row.spatial else {}),
        },
    )
    trace.add_result(f"{layer.name}_parameters", row.parameters, f"parameters of {layer.name}")
    trace.add_result(f"{layer.name}_output_shape", row.shape[1:], f"output shape of {layer.name}")


def record_results(run: Run, trace) -> None:
    """Record the whole network's totals: parameters, flattened features, receptive field, largest layer."""
    biggest = max(run.model.layers, key=lambda layer: sum(q.size for q in layer.parameters()))
    trace.add_result("total_parameters", run.total, "parameters of the whole network")
    trace.add_result("flatten_features", run.features, "inputs of the linear layer (C*H*W)")
    trace.add_result(
        "receptive_field",
        run.spatial_fields[-1][0],
        "input patch (pixels per side) that one value of the last feature map sees",
    )
    trace.add_result("largest_layer", biggest.name, "the layer with the most parameters")


def add_misconceptions(trace, model: Sequential, features: int, total: int, fields) -> None:
    """Record wrong counts: biases forgotten, input channels forgotten, jumps ignored."""
    conv1 = model.layer("conv1")
    (k, _), c, f = conv1.kernel_size, conv1.in_channels, conv1.out_channels
    trace.add_misconception(
        "conv1_parameters", "forgot_bias", f * c * k * k, "counted the weights but not the biases"
    )
    trace.add_misconception(
        "conv1_parameters",
        "forgot_input_channels",
        f * (k * k + 1),
        "gave each filter one KxK kernel instead of one per input channel",
    )
    fc1 = model.layer("fc1")
    trace.add_misconception(
        "fc1_parameters",
        "forgot_bias",
        fc1.in_features * fc1.out_features,
        "counted the weights but not the biases",
    )
    biases = sum(q.size for q in model.parameters() if q.name.endswith(".bias"))
    trace.add_misconception(
        "total_parameters", "forgot_biases", total - biases, "counted the weights but not the biases"
    )
    last_conv = [layer for layer in model.layers if isinstance(layer, Conv2D)][-1]
    trace.add_misconception(
        "flatten_features",
        "forgot_channels",
        features // last_conv.out_channels,
        "multiplied height by width but forgot the channels",
    )
    kernels = [layer.kernel_size[0] for layer in model.layers if hasattr(layer, "kernel_size")]
    trace.add_misconception(
        "receptive_field",
        "ignored_jump",
        1 + sum(k - 1 for k in kernels),
        "added the kernel sizes, ignoring that strides and pools spread later layers",
    )
