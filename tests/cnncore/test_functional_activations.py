"""Tests of cnncore.functional relu_*, sigmoid_* and tanh_*."""

import numpy as np
import pytest

from cnncore.functional import (
    ReluCache,
    SigmoidCache,
    TanhCache,
    relu_backward,
    relu_forward,
    sigmoid_backward,
    sigmoid_forward,
    tanh_backward,
    tanh_forward,
)
from tests.cnncore.gradcheck import numerical_gradient, relative_error

ACTIVATIONS = [
    (relu_forward, relu_backward),
    (sigmoid_forward, sigmoid_backward),
    (tanh_forward, tanh_backward),
]


def away_from_zero(shape, seed=0):
    """Return float64 values with |x| >= 0.1, so no ReLU kink lies within a finite-difference step."""
    rng = np.random.default_rng(seed)
    magnitude = rng.uniform(0.1, 3.0, size=shape)
    return np.where(rng.random(shape) < 0.5, -magnitude, magnitude)


@pytest.mark.parametrize(("forward", "backward"), ACTIVATIONS)
@pytest.mark.parametrize("shape", [(7,), (3, 4), (2, 3, 4, 5)])
def test_backward_matches_numerical_gradients(forward, backward, shape):
    x = away_from_zero(shape)
    out, cache = forward(x)
    dout = np.random.default_rng(1).standard_normal(shape)
    num_dx = numerical_gradient(lambda a: forward(a)[0], x, dout)
    assert relative_error(backward(dout, cache), num_dx) < 1e-7


def test_relu_zeroes_negative_values_and_keeps_positive_ones():
    out, cache = relu_forward(np.array([-2.0, -0.5, 0.0, 0.5, 2.0]))
    np.testing.assert_array_equal(out, [0.0, 0.0, 0.0, 0.5, 2.0])
    assert isinstance(cache, ReluCache)


def test_relu_derivative_at_zero_is_zero():
    _, cache = relu_forward(np.array([-1.0, 0.0, 1.0]))
    np.testing.assert_array_equal(relu_backward(np.array([3.0, 3.0, 3.0]), cache), [0.0, 0.0, 3.0])


def test_sigmoid_values_match_the_formula():
    x = np.linspace(-5, 5, 11)
    out, cache = sigmoid_forward(x)
    np.testing.assert_allclose(out, 1 / (1 + np.exp(-x)), rtol=1e-15)
    assert isinstance(cache, SigmoidCache) and cache.out is out


def test_sigmoid_is_stable_for_large_magnitudes():
    with np.errstate(
        over="raise", invalid="raise", divide="raise"
    ):  # overflow (not harmless underflow) would raise
        out, cache = sigmoid_forward(np.array([-1000.0, -50.0, 50.0, 1000.0]))
        dx = sigmoid_backward(np.ones(4), cache)
    np.testing.assert_allclose(out, [0.0, np.exp(-50.0), 1.0, 1.0], rtol=1e-15, atol=0)
    assert np.all(np.isfinite(dx))


def test_sigmoid_derivative_at_zero_is_a_quarter():
    _, cache = sigmoid_forward(np.zeros(1))
    assert sigmoid_backward(np.ones(1), cache)[0] == 0.25


def test_tanh_values_and_derivative():
    out, cache = tanh_forward(np.array([0.0, 1.0]))
    np.testing.assert_allclose(out, [0.0, np.tanh(1.0)])
    assert isinstance(cache, TanhCache)
    np.testing.assert_allclose(tanh_backward(np.ones(2), cache), [1.0, 1 - np.tanh(1.0) ** 2])


@pytest.mark.parametrize(("forward", "backward"), ACTIVATIONS)
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_dtype_and_shape_are_preserved(forward, backward, dtype):
    x = away_from_zero((2, 3)).astype(dtype)
    out, cache = forward(x)
    dx = backward(np.ones((2, 3)), cache)
    assert out.dtype == dtype and dx.dtype == dtype
    assert out.shape == dx.shape == (2, 3)


@pytest.mark.parametrize(("forward", "backward"), ACTIVATIONS)
def test_integer_input_is_computed_in_float64(forward, backward):
    out, _ = forward([-1, 0, 2])
    assert out.dtype == np.float64


@pytest.mark.parametrize(("forward", "backward"), ACTIVATIONS)
def test_nan_input_raises_value_error(forward, backward):
    with pytest.raises(ValueError, match=r"x contains NaN or inf: x\[\(1,\)\] = nan"):
        forward(np.array([1.0, np.nan]))


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_huge_finite_values_are_not_mistaken_for_inf(dtype):
    huge = np.finfo(dtype).max
    with np.errstate(over="raise", invalid="raise"):
        out, _ = relu_forward(np.array([huge, huge, -huge], dtype=dtype))
    assert out[0] == huge


@pytest.mark.parametrize(("forward", "backward"), ACTIVATIONS)
def test_dout_of_the_wrong_shape_raises_value_error(forward, backward):
    _, cache = forward(np.ones((2, 3)))
    with pytest.raises(ValueError, match=r"dout has shape \(3, 2\) but .* \(2, 3\)"):
        backward(np.ones((3, 2)), cache)
