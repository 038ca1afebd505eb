"""conv-output-size: Ho = (H + 2P - K) // S + 1, including sizes where windows do not fit.

Computing and telling are apart: ``compute`` works out the sizes (and checks them with
``conv2d_forward`` when a window fits) and returns ``Sizes`` of plain numbers;
``explain_axis``, ``check_text`` and the ``record_*`` functions turn those numbers into the
trace's notes, results and misconceptions.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from cnncore.functional import conv2d_forward
from cnncore.scenarios._common import add_output_size_misconceptions, output_size
from cnncore.scenarios.params import Param
from cnncore.scenarios.registry import register

PARAMS = (
    Param("input_height", "int", 32, min=1, max=64, help="input height H"),
    Param("input_width", "int", 32, min=1, max=64, help="input width W"),
    Param("kernel_size", "int", 5, min=1, max=11, help="kernel height and width K"),
    Param("stride", "int", 1, min=1, max=5, help="stride S"),
    Param("padding", "int", 0, min=0, max=5, help="zero padding P on each side"),
)


@dataclass
class Sizes:
    """The sizes of one convolution's input, kernel and output (nothing here is text)."""

    height: int
    width: int
    kernel: int
    stride: int
    padding: int
    out_h: int
    """Output height (0 if the kernel does not fit)."""
    out_w: int
    """Output width (0 if the kernel does not fit)."""
    unused: list[int]
    """[rows, columns] at the bottom and right that no window covers (0 where none fits)."""
    checked_shape: tuple[int, ...] | None
    """(1, 1, Ho, Wo) the shape conv2d_forward gives; None when no window fits."""

    @property
    def fits(self) -> bool:
        """Return whether at least one window fits in the padded input."""
        return self.out_h > 0 and self.out_w > 0


def compute(p: dict) -> Sizes:
    """Return the output sizes, the uncovered rows and columns, and conv2d_forward's output shape."""
    height, width = p["input_height"], p["input_width"]
    kernel, stride, padding = p["kernel_size"], p["stride"], p["padding"]
    out_h = output_size(height, kernel, stride, padding)
    out_w = output_size(width, kernel, stride, padding)
    unused = [
        (size + 2 * padding - kernel) % stride if kernel <= size + 2 * padding else 0
        for size in (height, width)
    ]
    checked_shape = None
    if out_h > 0 and out_w > 0:
        out, _ = conv2d_forward(
            np.zeros((1, 1, height, width)),
            np.zeros((1, 1, kernel, kernel)),
            np.zeros(1),
            stride=stride,
            padding=padding,
        )
        checked_shape = out.shape
    return Sizes(height, width, kernel, stride, padding, out_h, out_w, unused, checked_shape)


# -- telling: every text below is made from the numbers of the ``Sizes`` -----------------------


def explain_axis(axis: str, size: int, kernel: int, stride: int, padding: int) -> str:
    """Return the arithmetic of the output size along one axis, in words."""
    padded = size + 2 * padding
    head = f"{axis}: padded size {size} + 2*{padding} = {padded}. "
    if kernel > padded:
        return head + (
            f"The {kernel}-wide kernel is larger than the padded input ({padded}), so there is "
            f"no position where a whole window fits: the output would be empty (0), and a "
            f"framework raises an error. More padding or a smaller kernel makes it fit."
        )
    room, leftover = divmod(padded - kernel, stride)
    text = head + (
        f"The window can move {padded} - {kernel} = {padded - kernel} cells; in steps of "
        f"{stride} that is {padded - kernel} // {stride} = {room} moves, plus the first position: "
        f"{room + 1}."
    )
    if leftover:
        text += (
            f" {padded - kernel} is not a multiple of {stride}: the floor drops the last "
            f"{leftover} cell(s), which no window covers."
        )
    return text


def check_text(sizes: Sizes) -> str:
    """Return that conv2d_forward's output shape is the one the formula gives (when it fits)."""
    return (
        f"Running a convolution on a {sizes.height}x{sizes.width} input gives an output of shape "
        f"{sizes.checked_shape}: {sizes.out_h}x{sizes.out_w}, as the formula says."
    )


def tell_sizes(sizes: Sizes, trace) -> None:
    """Record the notes: the formula, its arithmetic per axis, and the check (or that it does not fit)."""
    kernel, stride, padding = sizes.kernel, sizes.stride, sizes.padding
    trace.note(
        "The formula",
        "Output size = (input + 2 x padding - kernel) // stride + 1, along each axis: pad, "
        "count how far the window can move, divide by the stride rounding down (a window "
        "must fit entirely), and add 1 for the first position.",
        formula="(H + 2P - K) // S + 1",
    )
    trace.note(
        "Height",
        explain_axis("Height", sizes.height, kernel, stride, padding),
        out_h=sizes.out_h,
        unused_rows=sizes.unused[0],
    )
    trace.note(
        "Width",
        explain_axis("Width", sizes.width, kernel, stride, padding),
        out_w=sizes.out_w,
        unused_cols=sizes.unused[1],
    )
    if sizes.fits:
        trace.note("Checked with conv2d_forward", check_text(sizes), output_shape=str(sizes.checked_shape))
    else:
        trace.note(
            "It does not fit",
            "With these sizes no window fits inside the padded input, so there is no output.",
        )


def record_results(sizes: Sizes, trace) -> None:
    """Record the output size, whether it fits exactly, the padded sizes and the uncovered cells."""
    trace.add_result("out_h", sizes.out_h, "output height (0 if the kernel does not fit)")
    trace.add_result("out_w", sizes.out_w, "output width (0 if the kernel does not fit)")
    trace.add_result("fits", sizes.fits, "whether at least one window fits in the padded input")
    trace.add_result(
        "exact",
        sizes.fits and sizes.unused == [0, 0],
        "whether the windows reach the last row and column (no cells dropped)",
    )
    trace.add_result("padded_height", sizes.height + 2 * sizes.padding, "H + 2P")
    trace.add_result("padded_width", sizes.width + 2 * sizes.padding, "W + 2P")
    trace.add_result("unused_rows", sizes.unused[0], "rows at the bottom no window covers")
    trace.add_result("unused_cols", sizes.unused[1], "columns at the right no window covers")
    trace.add_result("output_elements", sizes.out_h * sizes.out_w, "outputs per channel (out_h * out_w)")


def record_misconceptions(sizes: Sizes, trace) -> None:
    """Record the classic wrong output sizes along height and width."""
    for result, size in (("out_h", sizes.height), ("out_w", sizes.width)):
        add_output_size_misconceptions(
            trace, result, size=size, kernel=sizes.kernel, stride=sizes.stride, padding=sizes.padding
        )


@register(
    name="conv-output-size",
    title="Output size of a convolution",
    topic="output-size",
    summary="Compute the output size from input, kernel, stride and padding, and see when it does not fit.",
    params=PARAMS,
)
def build(p: dict, rng: np.random.Generator, trace) -> None:
    """Record the formula along height and width, and check it with conv2d_forward."""
    sizes = compute(p)
    tell_sizes(sizes, trace)
    record_results(sizes, trace)
    record_misconceptions(sizes, trace)
