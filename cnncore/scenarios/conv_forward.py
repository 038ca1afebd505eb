"""conv-forward: a multi-channel convolution layer's full output maps."""

from __future__ import annotations

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
    c, f, size, k = p["in_channels"], p["out_channels"], p["input_size"], p["kernel_size"]
    stride, padding, integer = p["stride"], p["padding"], p["integer_values"]
    x = small_values(rng, (1, c, size, size), integer=integer, low=0, high=4)
    w = small_values(rng, (f, c, k, k), integer=integer, low=-2, high=2)
    b = small_values(rng, (f,), integer=integer, low=-2, high=2)
    layer = Conv2D.from_arrays(w, b, stride, padding, name="conv1")
    trace.note(
        "The layer",
        f"{f} filter(s), each of shape {c}x{k}x{k}: a filter has one {k}x{k} kernel per input "
        f"channel. Output channel f is the sum over the {c} input channel(s) of each channel "
        f"correlated with its kernel, plus the bias b[f].",
        input=x[0],
    )
    out = layer.forward(x, trace=trace)
    for index in range(f):
        trace.note(
            f"Output map {index}",
            f"Filter {index} ({c}x{k}x{k}) slides over all {c} input channel(s) at once; every "
            f"position gives one number, plus its bias {fmt(b[index])}.",
            filter=w[index],
            bias=float(b[index]),
            output=out[0, index],
        )
    corner = conv2d_window(x, w, b, 0, 0, 0, 0, stride=stride, padding=padding)
    out_size = out.shape[-1]
    trace.add_result("output", out[0], "the output maps (F, Ho, Wo)")
    trace.add_result("out_channels", f, "output channels: one per filter")
    trace.add_result("out_h", out_size, "output height")
    trace.add_result("out_w", out_size, "output width")
    trace.add_result("corner_value", corner.value, "output[0, 0, 0]: filter 0 at the top-left")
    trace.add_result(
        "multiplications", int(out[0].size * c * k * k), "multiplications for the whole layer: F*Ho*Wo*C*K*K"
    )
    trace.add_result("weight_count", int(w.size + b.size), "parameters: F*C*K*K + F")

    flipped = conv2d_window(x, w[:, :, ::-1, ::-1], b, 0, 0, 0, 0, stride=stride, padding=padding)
    trace.add_misconception(
        "corner_value",
        "flipped_kernel",
        flipped.value,
        "flipped the kernel (true convolution); deep learning correlates",
    )
    trace.add_misconception(
        "corner_value", "forgot_bias", corner.value - float(b[0]), "added the products but forgot the bias"
    )
    if c > 1:
        one = conv2d_window(x[:, :1], w[:, :1], b, 0, 0, 0, 0, stride=stride, padding=padding)
        trace.add_misconception(
            "corner_value",
            "only_first_channel",
            one.value,
            "used only the first input channel: a filter spans all channels",
        )
    trace.add_misconception(
        "out_channels",
        "used_input_channels",
        c,
        "took the number of input channels: each filter gives one map",
    )
    add_output_size_misconceptions(trace, "out_h", size=size, kernel=k, stride=stride, padding=padding)
    trace.add_misconception(
        "weight_count", "forgot_bias", int(w.size), "counted the weights but not the F biases"
    )
    trace.add_misconception(
        "weight_count",
        "forgot_input_channels",
        int(f * k * k + f),
        "counted one KxK kernel per filter, not one per input channel",
    )
