"""conv-backward: dW correlates the input with dout, dX fully convolves dout with the flipped kernel.

Both are computed here with ``conv2d_forward`` itself (the same correlation, different
arguments) and compared with what ``conv2d_backward`` returns.
"""

from __future__ import annotations

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
    c, f, size, k = p["in_channels"], p["out_channels"], p["input_size"], p["kernel_size"]
    stride, padding, integer = p["stride"], p["padding"], p["integer_values"]
    x = small_values(rng, (1, c, size, size), integer=integer, low=-2, high=3)
    w = small_values(rng, (f, c, k, k), integer=integer, low=-2, high=2)
    b = small_values(rng, (f,), integer=integer, low=-1, high=1)
    layer = Conv2D.from_arrays(w, b, stride, padding, name="conv1")
    out = layer.forward(x, trace=trace)
    dout = small_values(rng, out.shape, integer=integer, low=-2, high=2)
    dx = layer.backward(dout, trace=trace)
    dw, db = layer.weight.grad, layer.bias.grad

    x_padded = np.pad(x, ((0, 0), (0, 0), (padding, padding), (padding, padding)))
    dw_corr = weight_gradient_by_correlation(x_padded, dout, k, stride)
    trace.note(
        "dL/dW is a correlation of the input with dout",
        "Each weight touched every window it was multiplied with, so dL/dW[f, c] is the padded "
        "input channel c correlated with the upstream gradient map f (dout plays the kernel"
        + (
            f"; with stride {stride}, dout is spread out with {stride - 1} zero(s) between values"
            if stride > 1
            else ""
        )
        + "). The result equals conv2d_backward's dW.",
        padded_input=x_padded[0],
        dout=dout[0],
        dw_by_correlation=dw_corr,
        dw_from_backward=dw,
    )
    dx_full = input_gradient_by_full_convolution(dout, w, x.shape, stride, padding)
    trace.note(
        "dL/dX is a full convolution of dout with the flipped kernel",
        f"Each input value fed several outputs, each through a different kernel weight. Pad "
        f"dout with {k - 1} zero(s) on each side and correlate it with the kernel rotated by "
        f"180 degrees (a full convolution); then drop the padding rows and columns. The result "
        f"equals conv2d_backward's dX.",
        flipped_kernels=w[:, :, ::-1, ::-1],
        dx_by_full_convolution=dx_full[0],
        dx_from_backward=dx[0],
    )
    db_sum = dout.sum(axis=(0, 2, 3))
    trace.note(
        "dL/db sums dout",
        "The bias is added at every output position, so its gradient is the sum of the "
        f"upstream gradient over all positions: db[0] = {fmt(db_sum[0])}.",
        db_by_sum=db_sum,
        db_from_backward=db,
    )

    def matches(a, b_):
        return bool(np.max(np.abs(a - b_)) <= MATCH_TOLERANCE * max(1.0, np.max(np.abs(b_))))

    row = min(1, size - 1)
    trace.add_result("dw", dw, "dL/dW (F, C, K, K) from conv2d_backward")
    trace.add_result("dx", dx[0], "dL/dX (C, H, W) from conv2d_backward")
    trace.add_result("db", db, "dL/db (F,) from conv2d_backward")
    trace.add_result("dout", dout[0], "the upstream gradient (F, Ho, Wo)")
    trace.add_result("dw_matches", matches(dw_corr, dw), "correlation equals conv2d_backward's dW")
    trace.add_result("dx_matches", matches(dx_full, dx), "full convolution equals its dX")
    trace.add_result("db_matches", matches(db_sum, db), "the sum equals its db")
    trace.add_result("dw_element", float(dw[0, 0, 0, 0]), "dL/dW[0, 0, 0, 0]")
    trace.add_result("dx_element", float(dx[0, 0, row, row]), f"dL/dX[0, {row}, {row}]")
    trace.add_result("db_element", float(db[0]), "dL/db[0]")

    trace.add_misconception(
        "dw_element",
        "flipped",
        float(dw[0, 0, k - 1, k - 1]),
        "convolved (flipped) instead of correlating the input with dout",
    )
    dw_from_output = weight_gradient_by_correlation(x_padded, out, k, stride)
    trace.add_misconception(
        "dw_element",
        "used_output",
        float(dw_from_output[0, 0, 0, 0]),
        "correlated the input with the layer's output instead of dout",
    )
    dx_unflipped = input_gradient_by_full_convolution(dout, w, x.shape, stride, padding, flip=False)
    trace.add_misconception(
        "dx_element",
        "forgot_flip",
        float(dx_unflipped[0, 0, row, row]),
        "did the full convolution without flipping the kernel",
    )
    trace.add_misconception(
        "db_element", "mean_instead_of_sum", float(dout[0, 0].mean()), "averaged dout instead of summing it"
    )
