"""Tests of cnncore.optim.SGD against hand computations."""

import numpy as np
import pytest

from cnncore.nn import Parameter
from cnncore.optim import SGD
from cnncore.trace import Trace


def parameter(value, grad):
    param = Parameter("fc1.weight", np.array(value, dtype=float))
    param.grad[...] = grad
    return param


def test_plain_sgd_subtracts_learning_rate_times_gradient():
    param = parameter([1.0, -2.0], [0.5, -1.0])
    SGD([param], 0.1).step()
    np.testing.assert_allclose(param.value, [1.0 - 0.05, -2.0 + 0.1])


def test_momentum_follows_the_velocity_by_hand():
    param = parameter([1.0], [2.0])
    optimizer = SGD([param], lr=0.1, momentum=0.9)
    optimizer.step()  # v = 2, w = 1 - 0.2 = 0.8
    assert param.value[0] == pytest.approx(0.8)
    param.grad[...] = 1.0
    optimizer.step()  # v = 0.9 * 2 + 1 = 2.8, w = 0.8 - 0.28 = 0.52
    assert param.value[0] == pytest.approx(0.52)
    param.grad[...] = 0.0
    optimizer.step()  # v = 2.52, w = 0.52 - 0.252 = 0.268
    assert param.value[0] == pytest.approx(0.268)


def test_step_updates_the_array_in_place():
    param = parameter([[1.0, 2.0]], [[1.0, 1.0]])
    array = param.value
    SGD([param], 0.5).step()
    assert param.value is array


def test_zero_grad_clears_every_gradient():
    params = [parameter([1.0], [3.0]), parameter([2.0, 3.0], [1.0, -1.0])]
    SGD(params, 0.1).zero_grad()
    assert all(not p.grad.any() for p in params)


def test_step_records_before_gradient_and_after():
    param = parameter([1.0, 2.0], [0.5, 0.25])
    trace = Trace()
    SGD([param], 0.2).step(trace=trace)
    (step,) = trace.steps
    assert step.kind == "update" and step.title == "update fc1.weight" and step.layer == "fc1"
    np.testing.assert_allclose(step.arrays["before"], [1.0, 2.0])
    np.testing.assert_allclose(step.arrays["gradient"], [0.5, 0.25])
    np.testing.assert_allclose(step.arrays["after"], [0.9, 1.95])
    assert step.scalars["learning_rate"] == 0.2
    assert "velocity" not in step.arrays


def test_momentum_step_records_the_velocity():
    param = parameter([1.0], [2.0])
    trace = Trace()
    optimizer = SGD([param], 0.1, momentum=0.5)
    optimizer.step()
    optimizer.step(trace=trace)
    np.testing.assert_allclose(trace.steps[0].arrays["velocity"], [3.0])


@pytest.mark.parametrize(("lr", "momentum"), [(0.0, 0.0), (-1.0, 0.0), (float("nan"), 0.0),
                                              (0.1, 1.0), (0.1, -0.1)])
def test_invalid_learning_rate_or_momentum_raises(lr, momentum):
    with pytest.raises(ValueError, match="lr|momentum"):
        SGD([parameter([1.0], [1.0])], lr, momentum=momentum)
