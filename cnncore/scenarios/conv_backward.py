"""conv-backward: dW correlates the input with dout, dX fully convolves dout with the flipped kernel.

Both are computed here with ``conv2d_forward`` itself (the same correlation, different
arguments) and compared with what ``conv2d_backward`` returns.

Computing and telling are apart: ``compute`` runs the layer forward and backward (recording
its steps) and returns a ``Run`` of plain numbers; the ``*_text`` functions, ``tell_gradients``
and the ``record_*`` functions turn those numbers into the trace's notes, results and
misconceptions.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from cnncore.functional import conv2d_forward
from cnncore.nn import Conv2D
from cnncore.scenarios._common import INTEGER_VALUES, check_kernel_fits, fmt, small_values
from cnncore.scenarios.params import Param
from cnncore.scenarios.registry import register

PARAMS = (
    Param("in_channels", "int", 1, min=1, max=3, help="input channels C"),
    Param("out_channels", "int", 1, min=1, max=3, help="filters F"),
    Param("input_size", "int", 4, min=3, max=7, help="input height and width"),
    Param("kernel_size", "int", 2, min=1, max=4, help="kernel height and width"),
    Param("stride", "int", 1, min=1, max=2, help="stride"),
    Param("padding", "int", 0, min=0, max=1, help="zero padding on each side"),
    INTEGER_VALUES,
)
MATCH_TOLERANCE = 1e-12


@dataclass
class Run:
    """The numbers of one forward and backward pass through the layer (nothing here is text)."""

    kernel: int
    stride: int
    x: np.ndarray
    """(1, C, H, W) the input."""
    w: np.ndarray
    """(F, C, K, K) the weights."""
    out: np.ndarray
    """(1, F, Ho, Wo) the layer's output."""
    dout: np.ndarray
    """(1, F, Ho, Wo) the upstream gradient dL/d(output)."""
    dx: np.ndarray
    """(1, C, H, W) dL/dX from conv2d_backward."""
    dw: np.ndarray
    """(F, C, K, K) dL/dW from conv2d_backward."""
    db: np.ndarray
    """(F,) dL/db from conv2d_backward."""
    x_padded: np.ndarray
    """(1, C, H + 2P, W + 2P) the zero-padded input."""
    dw_by_correlation: np.ndarray
    """(F, C, K, K) dL/dW as the padded input correlated with dout."""
    dx_by_full_convolution: np.ndarray
    """(1, C, H, W) dL/dX as dout fully convolved with the flipped kernel."""
    db_by_sum: np.ndarray
    """(F,) dL/db as the sum of dout over its positions."""
    dw_from_output: np.ndarray
    """(F, C, K, K) the mistake: the input correlated with the output instead of dout."""
    dx_unflipped: np.ndarray
    """(1, C, H, W) the mistake: the full convolution with the kernel not flipped."""

    @property
    def row(self) -> int:
        """Return the row (and column) of the dL/dX element asked for: 1, or 0 for a 1-high input."""
        return min(1, self.x.shape[-1] - 1)


def dilate(maps: np.ndarray, stride: int) -> np.ndarray:
    """Return maps (..., Ho, Wo) with stride - 1 zeros between neighbours: (..., Hd, Wd)."""
    ho, wo = maps.shape[-2:]
    dilated = np.zeros((*maps.shape[:-2], (ho - 1) * stride + 1, (wo - 1) * stride + 1))
    dilated[..., ::stride, ::stride] = maps
    return dilated


def weight_gradient_by_correlation(x_padded, dout, kernel: int, stride: int) -> np.ndarray:
    """Return dW (F, C, K, K): each input channel correlated with each (dilated) dout map.

    x_padded (1, C, Hp, Wp) and dout (1, F, Ho, Wo); dout plays the kernel.
    """
    channels_as_batch = x_padded.transpose(1, 0, 2, 3)  # (C, 1, Hp, Wp)
    dout_as_kernels = dilate(dout, stride).transpose(1, 0, 2, 3)  # (F, 1, Hd, Wd)
    n_filters = dout.shape[1]
    corr, _ = conv2d_forward(channels_as_batch, dout_as_kernels, np.zeros(n_filters))
    return corr.transpose(1, 0, 2, 3)[:, :, :kernel, :kernel]  # (F, C, K, K)


def input_gradient_by_full_convolution(
    dout, w, x_shape, stride: int, padding: int, *, flip: bool = True
) -> np.ndarray:
    """Return dX (1, C, H, W): dout (dilated, zero-padded by K - 1) correlated with the flipped w.

    ``flip=False`` forgets the flip (a classic mistake).
    """
    kernel = w.shape[-1]
    kernels = w[:, :, ::-1, ::-1] if flip else w
    full, _ = conv2d_forward(
        dilate(dout, stride), kernels.transpose(1, 0, 2, 3), np.zeros(w.shape[1]), padding=kernel - 1
    )  # (1, C, Hd+K-1, Wd+K-1)
    height, width = x_shape[-2:]
    padded = np.zeros((1, w.shape[1], height + 2 * padding, width + 2 * padding))
    padded[:, :, : full.shape[2], : full.shape[3]] = full  # rows no window reached stay 0
    return padded[:, :, padding : padding + height, padding : padding + width]


def matches(computed: np.ndarray, expected: np.ndarray) -> bool:
    """Return whether ``computed`` equals ``expected`` (same shape) up to ``MATCH_TOLERANCE``."""
    return bool(np.max(np.abs(computed - expected)) <= MATCH_TOLERANCE * max(1.0, np.max(np.abs(expected))))


def random_layer(p: dict, rng: np.random.Generator) -> tuple[np.ndarray, Conv2D]:
    """Return an input x (1, C, H, W) and a layer "conv1" with small random weights (F, C, K, K)."""
    c, f, size, k = p["in_channels"], p["out_channels"], p["input_size"], p["kernel_size"]
    integer = p["integer_values"]
    x = small_values(rng, (1, c, size, size), integer=integer, low=-2, high=3)
    w = small_values(rng, (f, c, k, k), integer=integer, low=-2, high=2)
    b = small_values(rng, (f,), integer=integer, low=-1, high=1)
    return x, Conv2D.from_arrays(w, b, p["stride"], p["padding"], name="conv1")


def compute(p: dict, rng: np.random.Generator, trace) -> Run:
    """Run the layer forward and backward on a random dout (recording both into ``trace``).

    Then compute the same gradients as correlations, and the wrong ones of two mistakes.
    """
    k, stride, padding = p["kernel_size"], p["stride"], p["padding"]
    x, layer = random_layer(p, rng)
    w = layer.weight.value
    out = layer.forward(x, trace=trace)
    dout = small_values(rng, out.shape, integer=p["integer_values"], low=-2, high=2)
    dx = layer.backward(dout, trace=trace)
    x_padded = np.pad(x, ((0, 0), (0, 0), (padding, padding), (padding, padding)))
    return Run(
        kernel=k, stride=stride, x=x, w=w, out=out, dout=dout, dx=dx,
        dw=layer.weight.grad, db=layer.bias.grad, x_padded=x_padded,
        dw_by_correlation=weight_gradient_by_correlation(x_padded, dout, k, stride),
        dx_by_full_convolution=input_gradient_by_full_convolution(dout, w, x.shape, stride, padding),
        db_by_sum=dout.sum(axis=(0, 2, 3)),
        dw_from_output=weight_gradient_by_correlation(x_padded, out, k, stride),
        dx_unflipped=input_gradient_by_full_convolution(dout, w, x.shape, stride, padding, flip=False),
    )


# -- telling: every text below is made from the numbers of the ``Run`` -------------------------


def weight_gradient_text(stride: int) -> str:
    """Return why dL/dW is the input correlated with dout (spread out when ``stride`` > 1)."""
    spread = (
        f"; with stride {stride}, dout is spread out with {stride - 1} zero(s) between values"
        if stride > 1
        else ""
    )
    return (
        "Each weight touched every window it was multiplied with, so dL/dW[f, c] is the padded "
        "input channel c correlated with the upstream gradient map f (dout plays the kernel"
        + spread
        + "). The result equals conv2d_backward's dW."
    )


def input_gradient_text(kernel: int) -> str:
    """Return why dL/dX is dout, padded by ``kernel`` - 1, correlated with the flipped kernel."""
    return (
        f"Each input value fed several outputs, each through a different kernel weight. Pad "
        f"dout with {kernel - 1} zero(s) on each side and correlate it with the kernel rotated by "
        f"180 degrees (a full convolution); then drop the padding rows and columns. The result "
        f"equals conv2d_backward's dX."
    )


def bias_gradient_text(db_by_sum: np.ndarray) -> str:
    """Return why dL/db sums dout, with db[0] from ``db_by_sum`` (F,)."""
    return (
        "The bias is added at every output position, so its gradient is the sum of the "
        f"upstream gradient over all positions: db[0] = {fmt(db_by_sum[0])}."
    )


def tell_gradients(run: Run, trace) -> None:
    """Record one note per gradient: dL/dW, dL/dX and dL/db, each beside conv2d_backward's."""
    trace.note(
        "dL/dW is a correlation of the input with dout",
        weight_gradient_text(run.stride),
        padded_input=run.x_padded[0],
        dout=run.dout[0],
        dw_by_correlation=run.dw_by_correlation,
        dw_from_backward=run.dw,
    )
    trace.note(
        "dL/dX is a full convolution of dout with the flipped kernel",
        input_gradient_text(run.kernel),
        flipped_kernels=run.w[:, :, ::-1, ::-1],
        dx_by_full_convolution=run.dx_by_full_convolution[0],
        dx_from_backward=run.dx[0],
    )
    trace.note(
        "dL/db sums dout",
        bias_gradient_text(run.db_by_sum),
        db_by_sum=run.db_by_sum,
        db_from_backward=run.db,
    )


def record_results(run: Run, trace) -> None:
    """Record the gradients, whether the correlations match them, and one element of each."""
    row = run.row
    trace.add_result("dw", run.dw, "dL/dW (F, C, K, K) from conv2d_backward")
    trace.add_result("dx", run.dx[0], "dL/dX (C, H, W) from conv2d_backward")
    trace.add_result("db", run.db, "dL/db (F,) from conv2d_backward")
    trace.add_result("dout", run.dout[0], "the upstream gradient (F, Ho, Wo)")
    trace.add_result(
        "dw_matches", matches(run.dw_by_correlation, run.dw), "correlation equals conv2d_backward's dW"
    )
    trace.add_result("dx_matches", matches(run.dx_by_full_convolution, run.dx), "full convolution equals its dX")
    trace.add_result("db_matches", matches(run.db_by_sum, run.db), "the sum equals its db")
    trace.add_result("dw_element", float(run.dw[0, 0, 0, 0]), "dL/dW[0, 0, 0, 0]")
    trace.add_result("dx_element", float(run.dx[0, 0, row, row]), f"dL/dX[0, {row}, {row}]")
    trace.add_result("db_element", float(run.db[0]), "dL/db[0]")


def record_misconceptions(run: Run, trace) -> None:
    """Record the elements a flipped kernel, the output for dout, no flip or a mean give."""
    k, row = run.kernel, run.row
    trace.add_misconception(
        "dw_element",
        "flipped",
        float(run.dw[0, 0, k - 1, k - 1]),
        "convolved (flipped) instead of correlating the input with dout",
    )
    trace.add_misconception(
        "dw_element",
        "used_output",
        float(run.dw_from_output[0, 0, 0, 0]),
        "correlated the input with the layer's output instead of dout",
    )
    trace.add_misconception(
        "dx_element",
        "forgot_flip",
        float(run.dx_unflipped[0, 0, row, row]),
        "did the full convolution without flipping the kernel",
    )
    trace.add_misconception(
        "db_element", "mean_instead_of_sum", float(run.dout[0, 0].mean()), "averaged dout instead of summing it"
    )


@register(
    name="conv-backward",
    title="Backward through a convolution",
    topic="convolution",
    summary=(
        "Get dL/dW by correlating the input with dout, dL/dX by a full convolution with "
        "the flipped kernel, db by summing."
    ),
    params=PARAMS,
    check=check_kernel_fits,
)
def build(p: dict, rng: np.random.Generator, trace) -> None:
    """Record conv2d_backward's gradients and the same gradients as correlations."""
    run = compute(p, rng, trace)
    tell_gradients(run, trace)
    record_results(run, trace)
    record_misconceptions(run, trace)
