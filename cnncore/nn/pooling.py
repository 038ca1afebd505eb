"""Pooling layers: ``MaxPool2D`` and ``AvgPool2D`` (math in ``cnncore.functional``)."""

from __future__ import annotations

from typing import ClassVar

from cnncore import functional as F
from cnncore._checks import int_pair
from cnncore._windows import output_size
from cnncore.nn.module import FunctionLayer


class Pool2D(FunctionLayer):
    """Pool each channel over KxK windows moved by ``stride`` (``None``: the kernel size).

    x (N, C, H, W) -> (N, C, Ho, Wo) with ``Ho = (H - K) // stride + 1``; no parameters.
    """

    prefix = "pool"
    kind: ClassVar[str]

    def __init__(
        self,
        kernel_size: int | tuple[int, int] = 2,
        stride: int | tuple[int, int] | None = None,
        *,
        name: str | None = None,
    ) -> None:
        super().__init__(name=name)
        self.kernel_size = int_pair("kernel_size", kernel_size, 1)
        self.stride = self.kernel_size if stride is None else int_pair("stride", stride, 1)

    def _forward_args(self) -> tuple:
        return (self.kernel_size, self.stride)

    def output_shape(self, input_shape):
        """Return ``(N, C, Ho, Wo)``; raise ``ValueError`` if the window does not fit."""
        return (*input_shape[:2], *output_size(input_shape, self.kernel_size, self.stride, (0, 0)))

    def describe(self) -> str:
        (kh, kw), (sh, sw) = self.kernel_size, self.stride
        return f"{self.kind} {kh}x{kw}, stride {sh if sh == sw else (sh, sw)}"


class MaxPool2D(Pool2D):
    """Keep each window's maximum; backward routes dout to that position only."""

    kind = "MaxPool2D"
    forward_fn = staticmethod(F.max_pool2d_forward)
    backward_fn = staticmethod(F.max_pool2d_backward)
    local_name = "routing"
    forward_explanation = "Max pooling keeps the largest value of each window."
    backward_explanation = (
        "Only the maximum of each window affected the output, so the upstream gradient goes "
        "to that one position and every other position of the window gets 0 (with a tie, the "
        "first maximum in row-major order)."
    )


class AvgPool2D(Pool2D):
    """Average each window; backward spreads dout / (KH*KW) over the window."""

    kind = "AvgPool2D"
    forward_fn = staticmethod(F.avg_pool2d_forward)
    backward_fn = staticmethod(F.avg_pool2d_backward)
    local_name = "local_derivative"
    forward_explanation = "Average pooling replaces each window by its mean."
    backward_explanation = (
        "Every input of a window counted 1/(KH*KW) in its mean, so each receives that share "
        "of the upstream gradient."
    )
