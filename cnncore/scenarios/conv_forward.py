"""conv-forward: a multi-channel convolution layer's full output maps.

Computing and telling are apart: ``compute`` runs the layer forward (recording its step) and
returns a ``Run`` of plain numbers; ``layer_text``, ``output_map_text`` and the ``record_*``
functions turn those numbers into the trace's notes, results and misconceptions.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from cnncore.functional import conv2d_window
from cnncore.nn import Conv2D
from cnncore.scenarios._common import (
    INTEGER_VALUES,
    add_output_size_misconceptions,
    check_kernel_fits,
    fmt,
    small_values,
)
from cnncore.scenarios.params import Param
from cnncore.scenarios.registry import register

PARAMS = (
    Param("in_channels", "int", 2, min=1, max=3, help="input channels C"),
    Param("out_channels", "int", 2, min=1, max=4, help="filters F (output channels)"),
    Param("input_size", "int", 5, min=3, max=10, help="input height and width"),
    Param("kernel_size", "int", 3, min=1, max=5, help="kernel height and width"),
    Param("stride", "int", 1, min=1, max=3, help="stride"),
    Param("padding", "int", 1, min=0, max=2, help="zero padding on each side"),
    INTEGER_VALUES,
)


@dataclass
class Run:
    """The numbers of one forward pass through the layer (nothing here is text)."""

    size: int
    kernel: int
    stride: int
    padding: int
    x: np.ndarray
    """(1, C, H, W) the input."""
    w: np.ndarray
    """(F, C, K, K) the filters."""
    b: np.ndarray
    """(F,) the biases."""
    out: np.ndarray
    """(1, F, Ho, Wo) the output maps."""
    corner: float
    """output[0, 0, 0, 0]: filter 0 at the top-left."""
    flipped_corner: float
    """The corner with every kernel flipped (a true convolution): a mistake."""
    first_channel_corner: float | None
    """The corner from input channel 0 alone (a mistake); None for one input channel."""

    @property
    def in_channels(self) -> int:
        """Return C, the number of input channels."""
        return self.x.shape[1]

    @property
    def out_channels(self) -> int:
        """Return F, the number of filters."""
        return self.w.shape[0]


def compute(p: dict, rng: np.random.Generator, trace) -> Run:
    """Run a layer of random filters on a random input (recording the forward step into ``trace``)."""
    c, f, size, k = p["in_channels"], p["out_channels"], p["input_size"], p["kernel_size"]
    stride, padding, integer = p["stride"], p["padding"], p["integer_values"]
    x = small_values(rng, (1, c, size, size), integer=integer, low=0, high=4)
    w = small_values(rng, (f, c, k, k), integer=integer, low=-2, high=2)
    b = small_values(rng, (f,), integer=integer, low=-2, high=2)
    out = Conv2D.from_arrays(w, b, stride, padding, name="conv1").forward(x, trace=trace)

    def corner(inputs: np.ndarray, filters: np.ndarray) -> float:
        """Return output[0, 0, 0, 0] of ``filters`` (F, C', K, K) on ``inputs`` (1, C', H, W)."""
        return conv2d_window(inputs, filters, b, 0, 0, 0, 0, stride=stride, padding=padding).value

    return Run(
        size=size, kernel=k, stride=stride, padding=padding, x=x, w=w, b=b, out=out,
        corner=corner(x, w), flipped_corner=corner(x, w[:, :, ::-1, ::-1]),
        first_channel_corner=corner(x[:, :1], w[:, :1]) if c > 1 else None,
    )


# -- telling: every text below is made from the numbers of the ``Run`` -------------------------


def layer_text(run: Run) -> str:
    """Return the first note: the filters' shape and how an output channel is made."""
    c, f, k = run.in_channels, run.out_channels, run.kernel
    return (
        f"{f} filter(s), each of shape {c}x{k}x{k}: a filter has one {k}x{k} kernel per input "
        f"channel. Output channel f is the sum over the {c} input channel(s) of each channel "
        f"correlated with its kernel, plus the bias b[f]."
    )


def output_map_text(run: Run, index: int) -> str:
    """Return how filter ``index`` gives its output map."""
    c, k = run.in_channels, run.kernel
    return (
        f"Filter {index} ({c}x{k}x{k}) slides over all {c} input channel(s) at once; every "
        f"position gives one number, plus its bias {fmt(run.b[index])}."
    )


def tell_output_maps(run: Run, trace) -> None:
    """Record one note per filter: its weights, its bias and its output map."""
    for index in range(run.out_channels):
        trace.note(
            f"Output map {index}",
            output_map_text(run, index),
            filter=run.w[index],
            bias=float(run.b[index]),
            output=run.out[0, index],
        )


def record_results(run: Run, trace) -> None:
    """Record the output maps, their shape, the corner value and the layer's costs."""
    c, k = run.in_channels, run.kernel
    out_size = run.out.shape[-1]
    trace.add_result("output", run.out[0], "the output maps (F, Ho, Wo)")
    trace.add_result("out_channels", run.out_channels, "output channels: one per filter")
    trace.add_result("out_h", out_size, "output height")
    trace.add_result("out_w", out_size, "output width")
    trace.add_result("corner_value", run.corner, "output[0, 0, 0]: filter 0 at the top-left")
    trace.add_result(
        "multiplications", int(run.out[0].size * c * k * k), "multiplications for the whole layer: F*Ho*Wo*C*K*K"
    )
    trace.add_result("weight_count", int(run.w.size + run.b.size), "parameters: F*C*K*K + F")


def record_misconceptions(run: Run, trace) -> None:
    """Record the corner, channel count, output size and weight count that mistakes give."""
    trace.add_misconception(
        "corner_value",
        "flipped_kernel",
        run.flipped_corner,
        "flipped the kernel (true convolution); deep learning correlates",
    )
    trace.add_misconception(
        "corner_value", "forgot_bias", run.corner - float(run.b[0]), "added the products but forgot the bias"
    )
    if run.first_channel_corner is not None:
        trace.add_misconception(
            "corner_value",
            "only_first_channel",
            run.first_channel_corner,
            "used only the first input channel: a filter spans all channels",
        )
    trace.add_misconception(
        "out_channels",
        "used_input_channels",
        run.in_channels,
        "took the number of input channels: each filter gives one map",
    )
    add_output_size_misconceptions(
        trace, "out_h", size=run.size, kernel=run.kernel, stride=run.stride, padding=run.padding
    )
    record_weight_count_misconceptions(run, trace)


def record_weight_count_misconceptions(run: Run, trace) -> None:
    """Record the parameter counts that forget the biases or the input channels."""
    f, k = run.out_channels, run.kernel
    trace.add_misconception(
        "weight_count", "forgot_bias", int(run.w.size), "counted the weights but not the F biases"
    )
    trace.add_misconception(
        "weight_count",
        "forgot_input_channels",
        int(f * k * k + f),
        "counted one KxK kernel per filter, not one per input channel",
    )


@register(
    name="conv-forward",
    title="A convolution layer's output maps",
    topic="convolution",
    summary="Run a multi-channel convolution layer: each filter spans all input channels and gives one map.",
    params=PARAMS,
    check=check_kernel_fits,
)
def build(p: dict, rng: np.random.Generator, trace) -> None:
    """Record the layer's forward pass and, per filter, its weights and output map."""
    start = len(trace.steps)
    run = compute(p, rng, trace)
    computed = len(trace.steps)
    trace.note("The layer", layer_text(run), input=run.x[0])
    trace.move_to_end(start, computed)
    tell_output_maps(run, trace)
    record_results(run, trace)
    record_misconceptions(run, trace)
