"""``Flatten`` and ``Sequential``: reshape between conv and linear layers, chain layers."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import TYPE_CHECKING

import numpy as np

from cnncore.nn.module import Module
from cnncore.nn.parameter import Parameter

if TYPE_CHECKING:
    from cnncore.trace import Trace


class Flatten(Module):
    """Reshape (N, C, H, W) -> (N, C*H*W), row-major, as ``torch.flatten(x, 1)``."""

    prefix = "flatten"
    forward_explanation = "Flatten lines up every feature map value into one vector per example."
    backward_explanation = "Flatten only reshapes: the gradient is reshaped back to the maps."

    def __init__(self, *, name: str | None = None) -> None:
        super().__init__(name=name)
        self._input_shape = None

    def _forward(self, x):
        self._input_shape = x.shape
        return x.reshape(x.shape[0], -1)

    def _backward(self, dout):
        if self._input_shape is None:
            raise RuntimeError(f"{self!r}: call forward before backward")
        return dout.reshape(self._input_shape), {}

    def output_shape(self, input_shape):
        """Return ``(N, C*H*W)``."""
        return (input_shape[0], int(np.prod(input_shape[1:])))


class Sequential(Module):
    """Layers run one after the other; unnamed layers are named ``conv1``, ``relu1``, ``fc2``...

    ``forward`` runs them in order and ``backward`` in reverse, each recording its own step
    when a trace is given.
    """

    prefix = "model"

    def __init__(self, *layers: Module, name: str | None = None) -> None:
        super().__init__(name=name)
        self.layers = list(layers)
        counts: Counter[str] = Counter()
        for layer in self.layers:
            counts[layer.prefix] += 1
            if not layer.name:
                layer.name = f"{layer.prefix}{counts[layer.prefix]}"
        names = [layer.name for layer in self.layers]
        if len(set(names)) != len(names):
            raise ValueError(f"layer names must be unique, got {names}")

    def forward(self, x: np.ndarray, *, trace: Trace | None = None) -> np.ndarray:
        """Return the last layer's output, running every layer in order."""
        for layer in self.layers:
            x = layer.forward(x, trace=trace)
        return x

    __call__ = forward

    def backward(self, dout: np.ndarray, *, trace: Trace | None = None) -> np.ndarray:
        """Return dL/d(input), running every layer's backward in reverse order."""
        for layer in reversed(self.layers):
            dout = layer.backward(dout, trace=trace)
        return dout

    def parameters(self) -> list[Parameter]:
        """Return every layer's parameters, first layer first."""
        return [param for layer in self.layers for param in layer.parameters()]

    def output_shape(self, input_shape):
        """Return the last layer's output shape for ``input_shape``."""
        for layer in self.layers:
            input_shape = layer.output_shape(input_shape)
        return tuple(input_shape)

    def layer(self, name: str) -> Module:
        """Return the layer called ``name``; raise ``KeyError`` listing the names."""
        for layer in self.layers:
            if layer.name == name:
                return layer
        raise KeyError(f"no layer {name!r}; layers: {[layer.name for layer in self.layers]}")

    def __iter__(self) -> Iterator[Module]:
        return iter(self.layers)

    def __len__(self) -> int:
        return len(self.layers)

    def __getitem__(self, index: int) -> Module:
        return self.layers[index]

    def describe(self) -> str:
        return " -> ".join(layer.name for layer in self.layers)
