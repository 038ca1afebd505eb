"""Tests of cnncore.functional linear_forward / linear_backward and softmax."""

import numpy as np
import pytest

from cnncore.functional import LinearCache, linear_backward, linear_forward, softmax
from tests.cnncore.gradcheck import numerical_gradient, relative_error


def random_linear_inputs(n=3, d=4, m=2, seed=0, dtype=np.float64):
    rng = np.random.default_rng(seed)
    return tuple(rng.standard_normal(shape).astype(dtype) for shape in [(n, d), (m, d), (m,)])


def test_linear_computes_x_times_w_transposed_plus_b():
    x = np.array([[1.0, 2.0]])
    w = np.array([[1.0, 0.0], [0.5, -1.0], [2.0, 3.0]])  # (M=3, D=2), torch layout
    out, cache = linear_forward(x, w, np.array([0.0, 1.0, -1.0]))
    np.testing.assert_array_equal(out, [[1.0, -0.5, 7.0]])
    assert isinstance(cache, LinearCache)


@pytest.mark.parametrize(("n", "d", "m"), [(1, 1, 1), (1, 5, 3), (4, 3, 6)])
def test_backward_matches_numerical_gradients(n, d, m):
    x, w, b = random_linear_inputs(n, d, m)
    out, cache = linear_forward(x, w, b)
    dout = np.random.default_rng(1).standard_normal(out.shape)
    dx, dw, db = linear_backward(dout, cache)
    assert relative_error(dx, numerical_gradient(lambda a: linear_forward(a, w, b)[0], x, dout)) < 1e-7
    assert relative_error(dw, numerical_gradient(lambda a: linear_forward(x, a, b)[0], w, dout)) < 1e-7
    assert relative_error(db, numerical_gradient(lambda a: linear_forward(x, w, a)[0], b, dout)) < 1e-7


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_linear_preserves_dtype_and_gradient_shapes(dtype):
    x, w, b = random_linear_inputs(dtype=dtype)
    out, cache = linear_forward(x, w, b)
    grads = linear_backward(np.ones(out.shape), cache)
    assert out.dtype == dtype and out.shape == (3, 2)
    assert [g.shape for g in grads] == [x.shape, w.shape, b.shape]
    assert all(g.dtype == dtype for g in grads)


X, W, B = random_linear_inputs()


@pytest.mark.parametrize(
    ("x", "w", "b", "message"),
    [
        (X[0], W, B, r"x must be 2-D \(N, D\), got shape \(4,\)"),
        (X, W[None], B, r"w must be 2-D \(M, D\), got shape \(1, 2, 4\)"),
        (X, W, B[:, None], r"b must be 1-D \(M,\), got shape \(2, 1\)"),
        (X[:, :3], W, B, r"x has 3 features .* but w expects 4"),
        (X, W, np.ones(3), r"b must have shape \(2,\) for w of shape \(2, 4\), got \(3,\)"),
        (X, W, np.array([0.0, np.inf]), r"b contains NaN or inf"),
    ],
)
def test_bad_linear_input_raises_value_error_naming_the_problem(x, w, b, message):
    with pytest.raises(ValueError, match=message):
        linear_forward(x, w, b)


def test_linear_dout_of_the_wrong_shape_raises_value_error():
    _, cache = linear_forward(X, W, B)
    with pytest.raises(ValueError, match=r"dout has shape \(2, 3\) but .* \(3, 2\)"):
        linear_backward(np.ones((2, 3)), cache)


def test_softmax_rows_are_probabilities():
    p = softmax(np.random.default_rng(0).standard_normal((4, 5)))
    assert np.all(p > 0)
    np.testing.assert_allclose(p.sum(axis=1), np.ones(4), rtol=1e-15)


def test_softmax_matches_the_definition():
    z = np.array([[1.0, 2.0, 3.0]])
    np.testing.assert_allclose(softmax(z), np.exp(z) / np.exp(z).sum(), rtol=1e-15)


def test_softmax_is_stable_for_huge_logits():
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        p = softmax(np.array([[1000.0, 1000.0, -1000.0]]))
    np.testing.assert_allclose(p, [[0.5, 0.5, 0.0]])


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_softmax_preserves_dtype(dtype):
    assert softmax(np.zeros((2, 3), dtype=dtype)).dtype == dtype


@pytest.mark.parametrize(
    ("logits", "message"),
    [
        (np.zeros(3), r"logits must be 2-D \(N, K\), got shape \(3,\)"),
        (np.zeros((2, 0)), r"logits must not be empty"),
        (np.array([[0.0, np.nan]]), r"logits contains NaN or inf"),
    ],
)
def test_bad_softmax_input_raises_value_error(logits, message):
    with pytest.raises(ValueError, match=message):
        softmax(logits)
