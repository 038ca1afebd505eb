"""Elementwise activations: ``ReLU``, ``Sigmoid``, ``Tanh`` (math in ``cnncore.functional``).

Their backward step in a trace shows the local derivative, computed by the functional
backward with an upstream gradient of ones, so it is the exact factor that multiplies dout.
"""

from __future__ import annotations

from cnncore import functional as F
from cnncore.nn.module import FunctionLayer


class ReLU(FunctionLayer):
    """max(0, x); derivative 1 where x > 0 and 0 elsewhere (0 at x = 0, as PyTorch)."""

    prefix = "relu"
    forward_fn = staticmethod(F.relu_forward)
    backward_fn = staticmethod(F.relu_backward)
    local_name = "mask"
    forward_explanation = "ReLU keeps positive values and sets negative ones to 0."
    backward_explanation = (
        "ReLU's derivative is 1 where its input was positive and 0 elsewhere: the upstream "
        "gradient passes through the mask and is blocked where the unit was off."
    )


class Sigmoid(FunctionLayer):
    """1 / (1 + exp(-x)); derivative s (1 - s), at most 0.25."""

    prefix = "sigmoid"
    forward_fn = staticmethod(F.sigmoid_forward)
    backward_fn = staticmethod(F.sigmoid_backward)
    forward_explanation = "The sigmoid squashes every value into (0, 1)."
    backward_explanation = (
        "The sigmoid's derivative is s(1 - s) (at most 0.25), so the gradient shrinks at "
        "every sigmoid it passes through."
    )


class Tanh(FunctionLayer):
    """tanh(x); derivative 1 - tanh(x)^2, at most 1."""

    prefix = "tanh"
    forward_fn = staticmethod(F.tanh_forward)
    backward_fn = staticmethod(F.tanh_backward)
    forward_explanation = "tanh squashes every value into (-1, 1)."
    backward_explanation = "tanh's derivative is 1 - tanh(x)^2 (at most 1, at x = 0)."
