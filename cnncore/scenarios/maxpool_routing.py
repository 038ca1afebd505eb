"""maxpool-routing: the forward pass keeps each window's maximum; backward routes dout there."""

from __future__ import annotations

import numpy as np

from cnncore.functional import avg_pool2d_backward, avg_pool2d_forward, max_pool2d_forward
from cnncore.nn import MaxPool2D
from cnncore.scenarios._common import fmt, out_of_range
from cnncore.scenarios.params import Param
from cnncore.scenarios.registry import register

PARAMS = (
    Param("input_size", "int", 4, min=2, max=8, help="input height and width"),
    Param("kernel_size", "int", 2, min=2, max=3, help="pooling window height and width"),
    Param("stride", "int", 2, min=1, max=3, help="stride (equal to the kernel: no overlap)"),
    Param(
        "max_value",
        "int",
        9,
        min=1,
        max=99,
        help="inputs are whole numbers 0..max_value (small values make ties)",
    ),
)


def check(p: dict) -> None:
    """Raise ParameterError unless the window fits in the input."""
    if p["kernel_size"] > p["input_size"]:
        raise out_of_range(
            "kernel_size", 2, p["input_size"], p["kernel_size"], "the window must fit in the input"
        )


@register(
    name="maxpool-routing",
    title="Max pooling: forward picks the maximum, backward routes the gradient there",
    topic="pooling",
    summary="Max pooling keeps each window's maximum; backward sends the gradient only to that position.",
    params=PARAMS,
    check=check,
)
def build(p: dict, rng: np.random.Generator, trace) -> None:
    """Record pooling forward and backward, then the first window's maximum and routing."""
    size, k, stride = p["input_size"], p["kernel_size"], p["stride"]
    x = rng.integers(0, p["max_value"], size=(1, 1, size, size), endpoint=True).astype(float)
    layer = MaxPool2D(k, stride, name="pool1")
    out = layer.forward(x, trace=trace)
    dout = rng.integers(1, 9, size=out.shape, endpoint=True).astype(float)
    dx = layer.backward(dout, trace=trace)

    _, cache = max_pool2d_forward(x, k, stride)
    first = int(cache.argmax[0, 0, 0, 0])
    position = (first // k, first % k)
    window = x[0, 0, :k, :k]
    ties = int(np.sum(window == window.max()))
    overlap = stride < k
    trace.note(
        "The first window",
        f"The top-left {k}x{k} window's maximum is {fmt(window.max())} at row {position[0]}, "
        f"column {position[1]}: the output keeps it. In backward, the upstream gradient "
        f"{fmt(dout[0, 0, 0, 0])} goes to that position only; the other "
        f"{k * k - 1} positions get 0, because changing them would not change the output."
        + (
            f" The maximum appears {ties} times: the first in row-major order takes the "
            "gradient (as PyTorch)."
            if ties > 1
            else ""
        )
        + (
            f" With stride {stride} < kernel {k}, windows overlap: an input that is the "
            "maximum of several windows receives the sum of their gradients."
            if overlap
            else ""
        ),
        window=window,
        dx_window=dx[0, 0, :k, :k],
        max_value=float(window.max()),
        upstream=float(dout[0, 0, 0, 0]),
    )
    routed = float(dx[0, 0, position[0], position[1]])
    trace.add_result("output", out[0, 0], "the pooled map (Ho, Wo)")
    trace.add_result("dx", dx[0, 0], "dL/dX (H, W): nonzero only at routed maxima")
    trace.add_result("dout", dout[0, 0], "the upstream gradient (Ho, Wo)")
    trace.add_result("window", window, "the first (top-left) window")
    trace.add_result("max_value", float(window.max()), "the first window's maximum")
    trace.add_result("max_position", position, "(row, col) of that maximum in the input")
    trace.add_result("routed_gradient", routed, "dL/dX at that position")
    trace.add_result("tie_in_first_window", ties > 1, "whether the maximum appears twice or more")
    trace.add_result(
        "nonzero_gradients", int(np.count_nonzero(dx)), "input positions that receive a gradient"
    )

    trace.add_misconception(
        "max_value", "averaged", float(window.mean()), "averaged the window (that is average pooling)"
    )
    if ties > 1:
        last = np.flatnonzero(window.ravel() == window.max())[-1]
        trace.add_misconception(
            "max_position",
            "last_maximum",
            (int(last // k), int(last % k)),
            "gave the gradient to the last of the tied maxima",
        )
    trace.add_misconception(
        "routed_gradient",
        "spread_evenly",
        float(dout[0, 0, 0, 0]) / (k * k),
        "shared the gradient equally over the window (average pooling)",
    )
    if overlap:
        trace.add_misconception(
            "routed_gradient",
            "ignored_overlap",
            float(dout[0, 0, 0, 0]),
            "took one window's gradient; overlapping windows add up",
        )
    _, average_cache = avg_pool2d_forward(x, k, stride)
    covered = avg_pool2d_backward(np.ones_like(out), average_cache) > 0  # inside some window
    trace.add_misconception(
        "nonzero_gradients",
        "whole_window",
        int(covered.sum()),
        "copied the gradient to every position of each window",
    )
