"""conv-window: one output element is the sum of window x kernel products plus the bias."""

from __future__ import annotations

import numpy as np

from cnncore.functional import conv2d_window
from cnncore.nn import Conv2D
from cnncore.scenarios._common import (
    INTEGER_VALUES,
    add_output_size_misconceptions,
    check_kernel_fits,
    fmt,
    out_of_range,
    output_size,
    small_values,
)
from cnncore.scenarios.params import Param
from cnncore.scenarios.registry import register

PARAMS = (
    Param("input_size", "int", 5, min=3, max=8, help="height and width of the input"),
    Param("in_channels", "int", 1, min=1, max=3, help="input channels (the filter spans all)"),
    Param("kernel_size", "int", 3, min=1, max=5, help="height and width of the kernel"),
    Param("stride", "int", 1, min=1, max=3, help="how far the window moves per output step"),
    Param("padding", "int", 0, min=0, max=2, help="zeros added on each side"),
    Param("row", "int", 0, min=0, max=11, help="row i of the output element"),
    Param("col", "int", 0, min=0, max=11, help="column j of the output element"),
    INTEGER_VALUES,
)


def check(p: dict) -> None:
    """Raise ParameterError unless the kernel fits and (row, col) is inside the output."""
    check_kernel_fits(p)
    size = output_size(p["input_size"], p["kernel_size"], p["stride"], p["padding"])
    for name in ("row", "col"):
        if p[name] >= size:
            raise out_of_range(name, 0, size - 1, p[name], f"the output is {size}x{size}")


@register(
    name="conv-window",
    title="One convolution output: window times kernel, summed, plus bias",
    topic="convolution",
    summary="Compute one output element as the sum of window x kernel products plus the bias.",
    params=PARAMS,
    check=check,
)
def build(p: dict, rng: np.random.Generator, trace) -> None:
    """Record the padded input, the window at (row, col), its products and the sum."""
    size, channels, k = p["input_size"], p["in_channels"], p["kernel_size"]
    stride, padding, row, col = p["stride"], p["padding"], p["row"], p["col"]
    integer = p["integer_values"]
    x = small_values(rng, (1, channels, size, size), integer=integer, low=0, high=5)
    w = small_values(rng, (1, channels, k, k), integer=integer, low=-2, high=2)
    b = small_values(rng, (1,), integer=integer, low=-3, high=3)

    def window(*, flip=False, stride=stride, padding=padding):
        weights = w[:, :, ::-1, ::-1] if flip else w
        return conv2d_window(x, weights, b, 0, 0, row, col, stride=stride, padding=padding)

    element = window()
    top, left = row * stride, col * stride
    padded_input = np.pad(x[0], ((0, 0), (padding, padding), (padding, padding)))
    trace.note(
        "The input, zero-padded",
        f"The {size}x{size} input gets {padding} row(s) and column(s) of zeros on each side, "
        f"so it is {size + 2 * padding}x{size + 2 * padding}.",
        padded_input=padded_input,
        kernel=w[0],
        bias=float(b[0]),
    )
    sum_of_products = float(element.products.sum())
    trace.note(
        f"The window for output ({row}, {col})",
        f"Output ({row}, {col}) reads the {k}x{k} window whose top-left corner is at padded "
        f"row {row}*{stride} = {top}, column {col}*{stride} = {left}. Multiply it element by "
        f"element with the kernel, add all {element.products.size} products "
        f"({fmt(sum_of_products)}) and the bias ({fmt(b[0])}): {fmt(element.value)}.",
        window=element.window,
        kernel=w[0],
        products=element.products,
        sum_of_products=sum_of_products,
        bias=float(b[0]),
        value=element.value,
    )
    layer = Conv2D.from_arrays(w, b, stride, padding, name="conv1")
    out = layer.forward(x, trace=trace)
    out_size = out.shape[-1]
    trace.note(
        "Every window position gives one output",
        f"Sliding the window over all positions gives the {out_size}x{out_size} output map; "
        f"element ({row}, {col}) is {fmt(out[0, 0, row, col])}, the value computed above.",
        output=out[0, 0],
    )

    trace.add_result("value", element.value, f"output element ({row}, {col})")
    trace.add_result("sum_of_products", sum_of_products, "sum of window x kernel products")
    trace.add_result("bias", float(b[0]), "the filter's bias")
    trace.add_result("window", element.window, "the input window (C, K, K) under the kernel")
    trace.add_result("kernel", w[0], "the kernel (C, K, K)")
    trace.add_result("products", element.products, "window x kernel, element by element")
    trace.add_result("window_top", top, "padded-input row of the window's top-left corner")
    trace.add_result("window_left", left, "padded-input column of the window's top-left corner")
    trace.add_result("out_h", out_size, "output height")
    trace.add_result("out_w", out_size, "output width")
    trace.add_result("output", out[0, 0], "the whole output map (Ho, Wo)")
    add_value_misconceptions(trace, window, element, float(b[0]), p)
    add_output_size_misconceptions(trace, "out_h", size=size, kernel=k, stride=stride, padding=padding)


def add_value_misconceptions(trace, window, element, bias: float, p: dict) -> None:
    """Record wrong values of the element: ``window`` computed with wrong arguments."""
    size, k, stride, padding = p["input_size"], p["kernel_size"], p["stride"], p["padding"]
    row, col = p["row"], p["col"]
    sum_of_products = float(element.products.sum())
    trace.add_misconception("value", "forgot_bias", sum_of_products, "added the products but forgot the bias")
    trace.add_misconception(
        "value",
        "flipped_kernel",
        window(flip=True).value,
        "flipped the kernel (true convolution); deep learning correlates",
    )
    trace.add_misconception(
        "value",
        "mean_instead_of_sum",
        sum_of_products / element.products.size + bias,
        "averaged the products instead of adding them",
    )
    if stride > 1 and max(row, col) < output_size(size, k, 1, padding):
        trace.add_misconception(
            "value", "forgot_stride", window(stride=1).value, "moved the window by 1 instead of by the stride"
        )
    if padding > 0 and max(row, col) < output_size(size, k, stride, 0):
        trace.add_misconception(
            "value",
            "forgot_padding",
            window(padding=0).value,
            "read the window from the input without its zero padding",
        )
