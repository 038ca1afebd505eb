"""conv-window: one output element is the sum of window x kernel products plus the bias.

Computing and telling are apart: ``compute`` computes the element and the layer's output map
(recording its forward step) and returns a ``Run`` of plain numbers; the ``*_text`` functions
and the ``record_*`` functions turn those numbers into the trace's notes, results and
misconceptions.
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


@dataclass
class Run:
    """The numbers of one output element and the layer's whole output (nothing here is text)."""

    size: int
    kernel: int
    stride: int
    padding: int
    row: int
    col: int
    padded_input: np.ndarray
    """(C, H + 2P, W + 2P) the zero-padded input."""
    weights: np.ndarray
    """(C, K, K) the kernel of the one filter."""
    bias: float
    window: np.ndarray
    """(C, K, K) the input window under the kernel for output (row, col)."""
    products: np.ndarray
    """(C, K, K) window x kernel, element by element."""
    value: float
    """Output element (row, col): the sum of the products plus the bias."""
    out: np.ndarray
    """(1, 1, Ho, Wo) the layer's output map."""
    flipped_value: float
    """The element with the kernel flipped (a true convolution): a mistake."""
    unstrided_value: float | None
    """The element with the window moved by 1 (a mistake); None when it is no different or out of range."""
    unpadded_value: float | None
    """The element read without the padding (a mistake); None when it is no different or out of range."""

    @property
    def sum_of_products(self) -> float:
        """Return the sum of the window x kernel products (without the bias)."""
        return float(self.products.sum())

    @property
    def top(self) -> int:
        """Return the padded-input row of the window's top-left corner."""
        return self.row * self.stride

    @property
    def left(self) -> int:
        """Return the padded-input column of the window's top-left corner."""
        return self.col * self.stride


def check(p: dict) -> None:
    """Raise ParameterError unless the kernel fits and (row, col) is inside the output."""
    check_kernel_fits(p)
    size = output_size(p["input_size"], p["kernel_size"], p["stride"], p["padding"])
    for name in ("row", "col"):
        if p[name] >= size:
            raise out_of_range(name, 0, size - 1, p[name], f"the output is {size}x{size}")


def random_filter(p: dict, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return a random input x (1, C, H, W), one filter w (1, C, K, K) and its bias b (1,)."""
    size, channels, k = p["input_size"], p["in_channels"], p["kernel_size"]
    integer = p["integer_values"]
    x = small_values(rng, (1, channels, size, size), integer=integer, low=0, high=5)
    w = small_values(rng, (1, channels, k, k), integer=integer, low=-2, high=2)
    b = small_values(rng, (1,), integer=integer, low=-3, high=3)
    return x, w, b


def compute(p: dict, rng: np.random.Generator, trace) -> Run:
    """Compute output (row, col) by hand, then the whole map (recording the forward step into ``trace``).

    Also the element that a flipped kernel, a window moved by 1 or a window read without the
    padding gives (the last two only when they differ and exist).
    """
    size, k, stride, padding = p["input_size"], p["kernel_size"], p["stride"], p["padding"]
    row, col = p["row"], p["col"]
    x, w, b = random_filter(p, rng)

    def window(*, flip=False, stride=stride, padding=padding):
        """Return output (row, col) of x and w (flipped if asked) computed with plain loops."""
        weights = w[:, :, ::-1, ::-1] if flip else w
        return conv2d_window(x, weights, b, 0, 0, row, col, stride=stride, padding=padding)

    element = window()
    out = Conv2D.from_arrays(w, b, stride, padding, name="conv1").forward(x, trace=trace)
    farthest = max(row, col)
    return Run(
        size=size, kernel=k, stride=stride, padding=padding, row=row, col=col,
        padded_input=np.pad(x[0], ((0, 0), (padding, padding), (padding, padding))),
        weights=w[0], bias=float(b[0]), window=element.window, products=element.products,
        value=element.value, out=out, flipped_value=window(flip=True).value,
        unstrided_value=(
            window(stride=1).value if stride > 1 and farthest < output_size(size, k, 1, padding) else None
        ),
        unpadded_value=(
            window(padding=0).value if padding > 0 and farthest < output_size(size, k, stride, 0) else None
        ),
    )


# -- telling: every text below is made from the numbers of the ``Run`` -------------------------


def padding_text(run: Run) -> str:
    """Return how many zeros pad the input and its padded size."""
    size, padding = run.size, run.padding
    return (
        f"The {size}x{size} input gets {padding} row(s) and column(s) of zeros on each side, "
        f"so it is {size + 2 * padding}x{size + 2 * padding}."
    )


def window_text(run: Run) -> str:
    """Return where the window of output (row, col) is and how its products make the value."""
    row, col, k, stride = run.row, run.col, run.kernel, run.stride
    return (
        f"Output ({row}, {col}) reads the {k}x{k} window whose top-left corner is at padded "
        f"row {row}*{stride} = {run.top}, column {col}*{stride} = {run.left}. Multiply it element by "
        f"element with the kernel, add all {run.products.size} products "
        f"({fmt(run.sum_of_products)}) and the bias ({fmt(run.bias)}): {fmt(run.value)}."
    )


def output_map_text(run: Run) -> str:
    """Return that sliding the window everywhere gives the map, which holds the value computed."""
    out_size = run.out.shape[-1]
    return (
        f"Sliding the window over all positions gives the {out_size}x{out_size} output map; "
        f"element ({run.row}, {run.col}) is {fmt(run.out[0, 0, run.row, run.col])}, the value computed above."
    )


def tell_element(run: Run, trace) -> None:
    """Record the notes on the padded input and on the window of output (row, col)."""
    trace.note(
        "The input, zero-padded",
        padding_text(run),
        padded_input=run.padded_input,
        kernel=run.weights,
        bias=run.bias,
    )
    trace.note(
        f"The window for output ({run.row}, {run.col})",
        window_text(run),
        window=run.window,
        kernel=run.weights,
        products=run.products,
        sum_of_products=run.sum_of_products,
        bias=run.bias,
        value=run.value,
    )


def record_results(run: Run, trace) -> None:
    """Record the element, its window, kernel and products, and the output map and its size."""
    out_size = run.out.shape[-1]
    trace.add_result("value", run.value, f"output element ({run.row}, {run.col})")
    trace.add_result("sum_of_products", run.sum_of_products, "sum of window x kernel products")
    trace.add_result("bias", run.bias, "the filter's bias")
    trace.add_result("window", run.window, "the input window (C, K, K) under the kernel")
    trace.add_result("kernel", run.weights, "the kernel (C, K, K)")
    trace.add_result("products", run.products, "window x kernel, element by element")
    trace.add_result("window_top", run.top, "padded-input row of the window's top-left corner")
    trace.add_result("window_left", run.left, "padded-input column of the window's top-left corner")
    trace.add_result("out_h", out_size, "output height")
    trace.add_result("out_w", out_size, "output width")
    trace.add_result("output", run.out[0, 0], "the whole output map (Ho, Wo)")


def record_value_misconceptions(run: Run, trace) -> None:
    """Record wrong values of the element: no bias, a flipped kernel, a mean, no stride, no padding."""
    sum_of_products = run.sum_of_products
    trace.add_misconception("value", "forgot_bias", sum_of_products, "added the products but forgot the bias")
    trace.add_misconception(
        "value",
        "flipped_kernel",
        run.flipped_value,
        "flipped the kernel (true convolution); deep learning correlates",
    )
    trace.add_misconception(
        "value",
        "mean_instead_of_sum",
        sum_of_products / run.products.size + run.bias,
        "averaged the products instead of adding them",
    )
    if run.unstrided_value is not None:
        trace.add_misconception(
            "value", "forgot_stride", run.unstrided_value, "moved the window by 1 instead of by the stride"
        )
    if run.unpadded_value is not None:
        trace.add_misconception(
            "value",
            "forgot_padding",
            run.unpadded_value,
            "read the window from the input without its zero padding",
        )


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
    start = len(trace.steps)
    run = compute(p, rng, trace)
    computed = len(trace.steps)
    tell_element(run, trace)
    trace.move_to_end(start, computed)
    trace.note("Every window position gives one output", output_map_text(run), output=run.out[0, 0])
    record_results(run, trace)
    record_value_misconceptions(run, trace)
    add_output_size_misconceptions(
        trace, "out_h", size=run.size, kernel=run.kernel, stride=run.stride, padding=run.padding
    )
