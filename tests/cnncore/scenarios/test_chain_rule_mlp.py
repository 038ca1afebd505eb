"""The chain-rule-mlp scenario: its numbers agree with an independent recomputation."""


import numpy as np
import pytest

from cnncore import scenarios
from tests.cnncore.scenarios.helpers import result


@pytest.mark.parametrize("activation", ["relu", "sigmoid", "tanh"])
def test_chain_rule_product_equals_backprop_and_a_numerical_derivative(activation):
    trace = scenarios.run("chain-rule-mlp", {"activation": activation, "inputs": 3, "hidden": 3},
                          seed=11)
    assert result(trace, "chain_matches_backward")
    fc1, fc2 = trace.steps_of("forward")[0], trace.steps_of("forward")[2]
    x, w1, b1 = fc1.arrays["input"], fc1.arrays["weight"], fc1.arrays["bias"]
    w2, b2 = fc2.arrays["weight"], fc2.arrays["bias"]
    act = {"relu": lambda z: np.maximum(z, 0), "sigmoid": lambda z: 1 / (1 + np.exp(-z)),
           "tanh": np.tanh}[activation]

    def loss(w00):
        w = w1.copy()
        w[0, 0] = w00
        y = act(x @ w.T + b1) @ w2.T + b2
        return 0.5 * (1.0 - y[0, 0]) ** 2

    h = 1e-6
    numerical = (loss(w1[0, 0] + h) - loss(w1[0, 0] - h)) / (2 * h)
    assert result(trace, "dw1_00") == pytest.approx(numerical, rel=1e-6, abs=1e-10)
    assert result(trace, "loss") == pytest.approx(loss(w1[0, 0]), rel=1e-14)
