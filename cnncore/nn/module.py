"""``Module``: the base of every layer; runs a layer and records it into a ``Trace``.

A subclass implements the math by calling ``cnncore.functional`` (never by rewriting it):

* ``_forward(x) -> out``, keeping what backward needs (the functional cache);
* ``_backward(dout) -> (dx, {role: gradient})``, one gradient per parameter role;
* optionally ``_local_gradients() -> {name: array}`` (the ReLU mask, sigmoid's derivative...)
  and ``_forward_arrays() -> {name: array}`` (the weights used), shown in the trace;
* ``describe()`` and the ``forward_explanation`` / ``backward_explanation`` texts.

``forward(x, trace=...)`` and ``backward(dout, trace=...)`` add one step each to the trace;
``backward`` adds each parameter's gradient to ``Parameter.grad`` (accumulates, as PyTorch:
call ``zero_grad`` between iterations).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, ClassVar

import numpy as np

from cnncore.nn.parameter import Parameter

if TYPE_CHECKING:
    from cnncore.trace import Trace


class Module:
    """A layer with ``forward``, ``backward``, ``parameters`` and ``zero_grad``."""

    prefix: ClassVar[str] = "layer"
    forward_explanation: ClassVar[str] = ""
    backward_explanation: ClassVar[str] = ""

    def __init__(self, *, name: str | None = None) -> None:
        self._params: dict[str, Parameter] = {}
        self._name = ""
        self.name = name or ""

    # -- naming ----------------------------------------------------------------------------

    @property
    def name(self) -> str:
        """Return the layer's readable name, e.g. ``"conv1"`` (``""`` until named)."""
        return self._name

    @name.setter
    def name(self, name: str) -> None:
        self._name = name
        for role, param in self._params.items():
            param.name = f"{name}.{role}" if name else role

    def _add_parameter(self, role: str, value: np.ndarray) -> Parameter:
        param = Parameter(f"{self.name}.{role}" if self.name else role, value)
        self._params[role] = param
        return param

    # -- running ---------------------------------------------------------------------------

    def forward(self, x: np.ndarray, *, trace: Trace | None = None) -> np.ndarray:
        """Return the layer's output for ``x``; record a "forward" step into ``trace``."""
        out = self._forward(np.asarray(x))
        if trace is not None:
            trace.add_step(
                "forward",
                f"{self.name}: {self.describe()}",
                layer=self.name,
                explanation=self.forward_explanation,
                arrays={"input": x, **self._forward_arrays(), "output": out},
            )
        return out

    def backward(self, dout: np.ndarray, *, trace: Trace | None = None) -> np.ndarray:
        """Return dL/d(input) for the upstream gradient ``dout``; accumulate parameter grads."""
        dx, grads = self._backward(np.asarray(dout))
        for role, grad in grads.items():
            self._params[role].grad += grad
        if trace is not None:
            trace.add_step(
                "backward",
                f"{self.name}: backward through {self.describe()}",
                layer=self.name,
                explanation=self.backward_explanation,
                arrays={
                    "upstream": dout,
                    **self._local_gradients(),
                    **{f"d{role}": grad for role, grad in grads.items()},
                    "downstream": dx,
                },
            )
        return dx

    __call__ = forward

    def parameters(self) -> list[Parameter]:
        """Return the layer's parameters (weights first, then biases)."""
        return list(self._params.values())

    def zero_grad(self) -> None:
        """Set every parameter's gradient to zero."""
        for param in self.parameters():
            param.zero_grad()

    def output_shape(self, input_shape: tuple[int, ...]) -> tuple[int, ...]:
        """Return the output shape for ``input_shape`` (elementwise layers keep it)."""
        return tuple(input_shape)

    def describe(self) -> str:
        """Return a one-line description such as ``"ReLU"`` or ``"Conv2D 3->8, 3x3"``."""
        return type(self).__name__

    def __repr__(self) -> str:
        return f"<{self.name or '?'}: {self.describe()}>"

    # -- for subclasses --------------------------------------------------------------------

    def _forward(self, x: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    def _backward(self, dout: np.ndarray) -> tuple[np.ndarray, dict[str, np.ndarray]]:
        raise NotImplementedError

    def _forward_arrays(self) -> dict[str, np.ndarray]:
        return {role: param.value for role, param in self._params.items()}

    def _local_gradients(self) -> dict[str, np.ndarray]:
        return {}

    def _require_cache(self):
        if getattr(self, "_cache", None) is None:
            raise RuntimeError(f"{self!r}: call forward before backward")
        return self._cache


class FunctionLayer(Module):
    """A layer without parameters whose math is a functional pair.

    ``forward_fn(x, *self._forward_args()) -> (out, cache)`` and
    ``backward_fn(dout, cache) -> dx``. Its trace shows ``local_name``: ``backward_fn`` applied
    to an upstream gradient of ones, i.e. the factor each input's gradient gets.
    """

    forward_fn: ClassVar[Callable]
    backward_fn: ClassVar[Callable]
    local_name: ClassVar[str] = "local_derivative"

    def __init__(self, *, name: str | None = None) -> None:
        super().__init__(name=name)
        self._cache = None
        self._out_shape: tuple[int, ...] | None = None

    def _forward_args(self) -> tuple:
        return ()

    def _forward(self, x):
        out, self._cache = type(self).forward_fn(x, *self._forward_args())
        self._out_shape = out.shape
        return out

    def _backward(self, dout):
        return type(self).backward_fn(dout, self._require_cache()), {}

    def local_derivative(self) -> np.ndarray:
        """Return ``backward_fn`` of ones for the last forward input (e.g. f'(x), the ReLU mask)."""
        return type(self).backward_fn(np.ones(self._out_shape), self._require_cache())

    def _local_gradients(self):
        return {self.local_name: self.local_derivative()}
