"""``Parameter``: a trainable array with its gradient."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np


@dataclass(eq=False)
class Parameter:
    """A trainable array ``value`` and the gradient ``grad`` (same shape) accumulated for it.

    ``name`` reads ``"<layer>.<role>"``, e.g. ``"conv1.weight"``; it follows the layer's name.
    """

    name: str
    value: np.ndarray
    grad: np.ndarray = field(init=False)

    def __post_init__(self) -> None:
        self.grad = np.zeros_like(self.value)

    @property
    def size(self) -> int:
        """Return the number of scalars in ``value``."""
        return int(self.value.size)

    def zero_grad(self) -> None:
        """Set every element of ``grad`` to zero, in place."""
        self.grad[...] = 0.0
