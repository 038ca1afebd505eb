"""The activation-derivatives scenario: its numbers agree with an independent recomputation."""

import math

import numpy as np
import pytest

from cnncore import scenarios
from cnncore.functional import sigmoid_forward
from tests.cnncore.scenarios.helpers import result


def test_activation_derivatives_match_the_formulas_and_the_chain_product():
    trace = scenarios.run("activation-derivatives", {"preactivation": -1.5, "depth": 7,
                                                     "weight": 1.5})
    s = float(sigmoid_forward(np.array(-1.5))[0])
    assert result(trace, "sigmoid_derivative") == pytest.approx(s * (1 - s), rel=1e-14)
    assert result(trace, "tanh_derivative") == pytest.approx(1 - math.tanh(-1.5) ** 2, rel=1e-14)
    assert result(trace, "relu_derivative") == 0.0 and result(trace, "relu_chain_gradient") == 0.0
    chain = next(step for step in trace.steps if step.title.startswith("Backward through 7 sigmoid"))
    assert result(trace, "sigmoid_chain_gradient") == pytest.approx(
        np.prod(chain.arrays["local_factors"]), rel=1e-12)
    assert abs(result(trace, "sigmoid_chain_gradient")) <= result(trace, "sigmoid_chain_bound")
    z, expected = -1.5, 1.0  # the chain by hand: a <- sigmoid(w a), gradient *= w s (1 - s)
    for _ in range(7):
        a = 1 / (1 + math.exp(-1.5 * z))
        expected *= 1.5 * a * (1 - a)
        z = a
    assert result(trace, "sigmoid_chain_gradient") == pytest.approx(expected, rel=1e-12)
