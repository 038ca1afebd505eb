"""maxpool-routing: the forward pass keeps each window's maximum; backward routes dout there.

Computing and telling are apart: ``compute`` runs the pooling layer forward and backward
(recording its steps) and returns a ``Run`` of plain numbers; ``first_window_text`` and the
``record_*`` functions turn those numbers into the trace's note, results and misconceptions.
"""

from __future__ import annotations

from dataclasses import dataclass

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


@dataclass
class Run:
    """The numbers of one forward and backward pass through the pooling layer (nothing here is text)."""

    kernel: int
    stride: int
    x: np.ndarray
    """(1, 1, H, W) the input: whole numbers 0..max_value."""
    out: np.ndarray
    """(1, 1, Ho, Wo) the pooled map."""
    dout: np.ndarray
    """(1, 1, Ho, Wo) the upstream gradient: whole numbers 1..9."""
    dx: np.ndarray
    """(1, 1, H, W) dL/dX: nonzero only at routed maxima."""
    position: tuple[int, int]
    """(row, col) of the first window's maximum in the input (the first of any ties)."""
    covered: np.ndarray
    """(1, 1, H, W) whether each input position lies inside some window."""

    @property
    def window(self) -> np.ndarray:
        """Return the first (top-left) window (K, K)."""
        return self.x[0, 0, : self.kernel, : self.kernel]

    @property
    def ties(self) -> int:
        """Return how many times the first window's maximum appears in it."""
        return int(np.sum(self.window == self.window.max()))

    @property
    def overlap(self) -> bool:
        """Return whether the windows overlap (stride < kernel)."""
        return self.stride < self.kernel

    @property
    def upstream(self) -> float:
        """Return the upstream gradient of the first window, dout[0, 0, 0, 0]."""
        return float(self.dout[0, 0, 0, 0])

    @property
    def routed(self) -> float:
        """Return dL/dX at the first window's maximum."""
        return float(self.dx[0, 0, self.position[0], self.position[1]])

    @property
    def last_tied_position(self) -> tuple[int, int]:
        """Return (row, col) of the last of the first window's tied maxima, in row-major order."""
        last = np.flatnonzero(self.window.ravel() == self.window.max())[-1]
        return int(last // self.kernel), int(last % self.kernel)


def check(p: dict) -> None:
    """Raise ParameterError unless the window fits in the input."""
    if p["kernel_size"] > p["input_size"]:
        raise out_of_range(
            "kernel_size", 2, p["input_size"], p["kernel_size"], "the window must fit in the input"
        )


def compute(p: dict, rng: np.random.Generator, trace) -> Run:
    """Pool a random input forward and a random dout backward, recording both into ``trace``."""
    size, k, stride = p["input_size"], p["kernel_size"], p["stride"]
    x = rng.integers(0, p["max_value"], size=(1, 1, size, size), endpoint=True).astype(float)
    layer = MaxPool2D(k, stride, name="pool1")
    out = layer.forward(x, trace=trace)
    dout = rng.integers(1, 9, size=out.shape, endpoint=True).astype(float)
    dx = layer.backward(dout, trace=trace)
    _, cache = max_pool2d_forward(x, k, stride)
    first = int(cache.argmax[0, 0, 0, 0])
    _, average_cache = avg_pool2d_forward(x, k, stride)
    return Run(
        kernel=k, stride=stride, x=x, out=out, dout=dout, dx=dx, position=(first // k, first % k),
        covered=avg_pool2d_backward(np.ones_like(out), average_cache) > 0,
    )


# -- telling: every text below is made from the numbers of the ``Run`` -------------------------


def first_window_text(run: Run) -> str:
    """Return where the first window's maximum is and how backward routes its gradient there."""
    k, window = run.kernel, run.window
    ties = (
        f" The maximum appears {run.ties} times: the first in row-major order takes the "
        "gradient (as PyTorch)."
        if run.ties > 1
        else ""
    )
    overlap = (
        f" With stride {run.stride} < kernel {k}, windows overlap: an input that is the "
        "maximum of several windows receives the sum of their gradients."
        if run.overlap
        else ""
    )
    return (
        f"The top-left {k}x{k} window's maximum is {fmt(window.max())} at row {run.position[0]}, "
        f"column {run.position[1]}: the output keeps it. In backward, the upstream gradient "
        f"{fmt(run.dout[0, 0, 0, 0])} goes to that position only; the other "
        f"{k * k - 1} positions get 0, because changing them would not change the output."
        + ties
        + overlap
    )


def tell_first_window(run: Run, trace) -> None:
    """Record the note on the first window: its maximum, and dL/dX over it."""
    k = run.kernel
    trace.note(
        "The first window",
        first_window_text(run),
        window=run.window,
        dx_window=run.dx[0, 0, :k, :k],
        max_value=float(run.window.max()),
        upstream=run.upstream,
    )


def record_results(run: Run, trace) -> None:
    """Record the pooled map, the gradients, and the first window's maximum and routing."""
    trace.add_result("output", run.out[0, 0], "the pooled map (Ho, Wo)")
    trace.add_result("dx", run.dx[0, 0], "dL/dX (H, W): nonzero only at routed maxima")
    trace.add_result("dout", run.dout[0, 0], "the upstream gradient (Ho, Wo)")
    trace.add_result("window", run.window, "the first (top-left) window")
    trace.add_result("max_value", float(run.window.max()), "the first window's maximum")
    trace.add_result("max_position", run.position, "(row, col) of that maximum in the input")
    trace.add_result("routed_gradient", run.routed, "dL/dX at that position")
    trace.add_result("tie_in_first_window", run.ties > 1, "whether the maximum appears twice or more")
    trace.add_result(
        "nonzero_gradients", int(np.count_nonzero(run.dx)), "input positions that receive a gradient"
    )


def record_misconceptions(run: Run, trace) -> None:
    """Record what average pooling, the last tie, one window's gradient or whole windows give."""
    k = run.kernel
    trace.add_misconception(
        "max_value", "averaged", float(run.window.mean()), "averaged the window (that is average pooling)"
    )
    if run.ties > 1:
        trace.add_misconception(
            "max_position",
            "last_maximum",
            run.last_tied_position,
            "gave the gradient to the last of the tied maxima",
        )
    trace.add_misconception(
        "routed_gradient",
        "spread_evenly",
        run.upstream / (k * k),
        "shared the gradient equally over the window (average pooling)",
    )
    if run.overlap:
        trace.add_misconception(
            "routed_gradient",
            "ignored_overlap",
            run.upstream,
            "took one window's gradient; overlapping windows add up",
        )
    trace.add_misconception(
        "nonzero_gradients",
        "whole_window",
        int(run.covered.sum()),
        "copied the gradient to every position of each window",
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
    run = compute(p, rng, trace)
    tell_first_window(run, trace)
    record_results(run, trace)
    record_misconceptions(run, trace)
