"""``SGD``: move each weight against its gradient, scaled by the learning rate.

Without momentum: ``w <- w - lr * g``. With momentum ``m`` (PyTorch's rule, no dampening):
``v <- m * v + g`` (``v`` starts at 0, so the first step uses ``v = g``), then
``w <- w - lr * v``.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import TYPE_CHECKING

import numpy as np

from cnncore.nn.parameter import Parameter

if TYPE_CHECKING:
    from cnncore.trace import Trace

UPDATE_EXPLANATION = (
    "Each weight moves against its gradient, scaled by the learning rate: "
    "w_new = w - learning_rate * dL/dw. Too high a learning rate overshoots the minimum."
)
MOMENTUM_EXPLANATION = (
    "With momentum the step follows a velocity, v = momentum * v + dL/dw, that remembers "
    "earlier gradients: w_new = w - learning_rate * v."
)


class SGD:
    """Stochastic gradient descent over ``parameters`` (updates ``Parameter.value`` in place)."""

    def __init__(self, parameters: Iterable[Parameter], lr: float, momentum: float = 0.0) -> None:
        self.parameters = list(parameters)
        if not (math.isfinite(lr) and lr > 0):
            raise ValueError(f"lr must be a positive number, got {lr!r}")
        if not (0.0 <= momentum < 1.0):
            raise ValueError(f"momentum must be in [0, 1), got {momentum!r}")
        self.lr = float(lr)
        self.momentum = float(momentum)
        self._velocity = {id(p): np.zeros_like(p.value) for p in self.parameters}

    def zero_grad(self) -> None:
        """Set every parameter's gradient to zero."""
        for param in self.parameters:
            param.zero_grad()

    def step(self, *, trace: Trace | None = None) -> None:
        """Update every parameter once; record an "update" step per parameter into ``trace``."""
        for param in self.parameters:
            before = param.value.copy() if trace is not None else None
            direction = param.grad
            if self.momentum:
                velocity = self._velocity[id(param)]
                velocity *= self.momentum
                velocity += param.grad
                direction = velocity
            param.value -= self.lr * direction
            if trace is not None:
                self._record(trace, param, before, direction)

    def _record(self, trace: Trace, param: Parameter, before: np.ndarray, direction) -> None:
        arrays = {"before": before, "gradient": param.grad}
        if self.momentum:
            arrays["velocity"] = direction
        arrays["after"] = param.value
        trace.add_step(
            "update",
            f"update {param.name}",
            layer=param.name.rpartition(".")[0],
            explanation=MOMENTUM_EXPLANATION if self.momentum else UPDATE_EXPLANATION,
            arrays=arrays,
            scalars={"learning_rate": self.lr, "momentum": self.momentum},
        )
