"""Layers with weights: ``Conv2D`` and ``Linear`` (the math is ``cnncore.functional``'s)."""

from __future__ import annotations

import numpy as np

from cnncore import functional as F
from cnncore._checks import int_pair
from cnncore._windows import output_size
from cnncore.nn.init import initial_weights
from cnncore.nn.module import Module


class WeightedLayer(Module):
    """A layer with a ``weight`` (out, in, ...) and a ``bias`` (out,) parameter."""

    def _create_parameters(self, shape: tuple[int, ...], *, rng, init: str, init_value: float, dtype) -> None:
        """Create ``weight`` of ``shape`` and ``bias`` (fan_in = the product of shape[1:])."""
        weight, bias = initial_weights(
            shape, fan_in=int(np.prod(shape[1:])), scheme=init, rng=rng, value=init_value, dtype=dtype
        )
        self.weight = self._add_parameter("weight", weight)
        self.bias = self._add_parameter("bias", bias)
        self._cache = None

    def _load(self, weight: np.ndarray, bias: np.ndarray):
        """Copy ``weight`` and ``bias`` into the parameters; return the layer."""
        self.weight.value[...] = weight
        self.bias.value[...] = bias
        return self


def _as_float64(*arrays) -> list[np.ndarray]:
    return [np.array(array, dtype=np.float64) for array in arrays]


class Conv2D(WeightedLayer):
    """A 2-D convolution (cross-correlation): x (N, C, H, W) -> (N, F, Ho, Wo).

    ``weight`` is (F, C, KH, KW), ``bias`` is (F,), and ``Ho = (H + 2*ph - KH) // sh + 1``.
    Initial weights come from ``rng`` with the ``init`` scheme of ``cnncore.nn.init``.
    """

    prefix = "conv"
    forward_explanation = (
        "Each output value is the sum, over every input channel, of a window of the input "
        "multiplied element by element with the filter, plus the filter's bias; the window "
        "slides by the stride over the zero-padded input."
    )
    backward_explanation = (
        "dL/dW is the correlation of the (padded) input with the upstream gradient; dL/db sums "
        "the upstream gradient over positions; dL/dX is the full convolution of the upstream "
        "gradient with the flipped filters."
    )

    def __init__(
        self,
        in_channels: int,
        out_channels: int,
        kernel_size: int | tuple[int, int],
        stride: int | tuple[int, int] = 1,
        padding: int | tuple[int, int] = 0,
        *,
        rng: np.random.Generator | None = None,
        init: str = "uniform",
        init_value: float = 0.0,
        dtype=np.float64,
        name: str | None = None,
    ) -> None:
        super().__init__(name=name)
        self.in_channels, self.out_channels = in_channels, out_channels
        self.kernel_size = int_pair("kernel_size", kernel_size, 1)
        self.stride = int_pair("stride", stride, 1)
        self.padding = int_pair("padding", padding, 0)
        self._create_parameters(
            (out_channels, in_channels, *self.kernel_size),
            rng=rng,
            init=init,
            init_value=init_value,
            dtype=dtype,
        )

    @classmethod
    def from_arrays(cls, weight, bias, stride=1, padding=0, *, name: str | None = None) -> Conv2D:
        """Return a layer holding a copy of ``weight`` (F, C, KH, KW) and ``bias`` (F,)."""
        weight, bias = _as_float64(weight, bias)
        return cls(
            weight.shape[1], weight.shape[0], weight.shape[2:], stride, padding, init="constant", name=name
        )._load(weight, bias)

    def _forward(self, x):
        out, self._cache = F.conv2d_forward(
            x, self.weight.value, self.bias.value, stride=self.stride, padding=self.padding
        )
        return out

    def _backward(self, dout):
        dx, dw, db = F.conv2d_backward(dout, self._require_cache())
        return dx, {"weight": dw, "bias": db}

    def output_shape(self, input_shape):
        """Return ``(N, F, Ho, Wo)``; raise ``ValueError`` if the kernel does not fit."""
        return (
            input_shape[0],
            self.out_channels,
            *output_size(input_shape, self.kernel_size, self.stride, self.padding),
        )

    def describe(self) -> str:
        (kh, kw), (sh, sw), (ph, pw) = self.kernel_size, self.stride, self.padding
        stride = sh if sh == sw else (sh, sw)
        padding = ph if ph == pw else (ph, pw)
        return (
            f"Conv2D {self.in_channels}->{self.out_channels}, {kh}x{kw} kernel, "
            f"stride {stride}, padding {padding}"
        )


class Linear(WeightedLayer):
    """A fully connected layer: x (N, D) -> x @ weight.T + bias (N, M).

    ``weight`` is (M, D) (out, in) and ``bias`` is (M,).
    """

    prefix = "fc"
    forward_explanation = "Each output is a weighted sum of all inputs plus a bias: out = x W^T + b."
    backward_explanation = (
        "dL/dW = dout^T x (each weight's gradient is its input times the upstream gradient), "
        "dL/db sums dout over the batch, and dL/dx = dout W passes the gradient down."
    )

    def __init__(
        self,
        in_features: int,
        out_features: int,
        *,
        rng: np.random.Generator | None = None,
        init: str = "uniform",
        init_value: float = 0.0,
        dtype=np.float64,
        name: str | None = None,
    ) -> None:
        super().__init__(name=name)
        self.in_features, self.out_features = in_features, out_features
        self._create_parameters(
            (out_features, in_features), rng=rng, init=init, init_value=init_value, dtype=dtype
        )

    @classmethod
    def from_arrays(cls, weight, bias, *, name: str | None = None) -> Linear:
        """Return a layer holding a copy of ``weight`` (M, D) and ``bias`` (M,)."""
        weight, bias = _as_float64(weight, bias)
        return cls(weight.shape[1], weight.shape[0], init="constant", name=name)._load(weight, bias)

    def _forward(self, x):
        out, self._cache = F.linear_forward(x, self.weight.value, self.bias.value)
        return out

    def _backward(self, dout):
        dx, dw, db = F.linear_backward(dout, self._require_cache())
        return dx, {"weight": dw, "bias": db}

    def output_shape(self, input_shape):
        """Return ``(N, M)``."""
        return (input_shape[0], self.out_features)

    def describe(self) -> str:
        return f"Linear {self.in_features}->{self.out_features}"
