"""conv-output-size: Ho = (H + 2P - K) // S + 1, including sizes where windows do not fit."""

from __future__ import annotations

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


@register(
    name="conv-output-size",
    title="Output size of a convolution",
    topic="output-size",
    summary="Compute the output size from input, kernel, stride and padding, and see when it does not fit.",
    params=PARAMS,
)
def build(p: dict, rng: np.random.Generator, trace) -> None:
    """Record the formula along height and width, and check it with conv2d_forward."""
    height, width = p["input_height"], p["input_width"]
    kernel, stride, padding = p["kernel_size"], p["stride"], p["padding"]
    out_h = output_size(height, kernel, stride, padding)
    out_w = output_size(width, kernel, stride, padding)
    fits = out_h > 0 and out_w > 0
    unused = [
        (size + 2 * padding - kernel) % stride if kernel <= size + 2 * padding else 0
        for size in (height, width)
    ]
    trace.note(
        "The formula",
        "Output size = (input + 2 x padding - kernel) // stride + 1, along each axis: pad, "
        "count how far the window can move, divide by the stride rounding down (a window "
        "must fit entirely), and add 1 for the first position.",
        formula="(H + 2P - K) // S + 1",
    )
    trace.note(
        "Height", explain_axis("Height", height, kernel, stride, padding), out_h=out_h, unused_rows=unused[0]
    )
    trace.note(
        "Width", explain_axis("Width", width, kernel, stride, padding), out_w=out_w, unused_cols=unused[1]
    )
    if fits:
        out, _ = conv2d_forward(
            np.zeros((1, 1, height, width)),
            np.zeros((1, 1, kernel, kernel)),
            np.zeros(1),
            stride=stride,
            padding=padding,
        )
        trace.note(
            "Checked with conv2d_forward",
            f"Running a convolution on a {height}x{width} input gives an output of shape "
            f"{out.shape}: {out_h}x{out_w}, as the formula says.",
            output_shape=str(out.shape),
        )
    else:
        trace.note(
            "It does not fit",
            "With these sizes no window fits inside the padded input, so there is no output.",
        )

    trace.add_result("out_h", out_h, "output height (0 if the kernel does not fit)")
    trace.add_result("out_w", out_w, "output width (0 if the kernel does not fit)")
    trace.add_result("fits", fits, "whether at least one window fits in the padded input")
    trace.add_result(
        "exact",
        fits and unused == [0, 0],
        "whether the windows reach the last row and column (no cells dropped)",
    )
    trace.add_result("padded_height", height + 2 * padding, "H + 2P")
    trace.add_result("padded_width", width + 2 * padding, "W + 2P")
    trace.add_result("unused_rows", unused[0], "rows at the bottom no window covers")
    trace.add_result("unused_cols", unused[1], "columns at the right no window covers")
    trace.add_result("output_elements", out_h * out_w, "outputs per channel (out_h * out_w)")
    for result, size in (("out_h", height), ("out_w", width)):
        add_output_size_misconceptions(
            trace, result, size=size, kernel=kernel, stride=stride, padding=padding
        )
