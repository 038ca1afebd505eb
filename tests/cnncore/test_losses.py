"""Tests of cnncore.losses."""

import numpy as np
import pytest

from cnncore.functional import softmax, softmax_backward
from cnncore.losses import (
    binary_cross_entropy_loss,
    cross_entropy_loss,
    half_squared_error,
    mse_loss,
    one_hot,
    softmax_squared_error,
)
from tests.cnncore.gradcheck import numerical_gradient, relative_error

REDUCTIONS = ["mean", "sum"]


def loss_only(loss_fn, *rest, **kwargs):
    """Return ``a -> loss_fn(a, *rest)[0]``, for numerical gradients."""
    return lambda a: loss_fn(a, *rest, **kwargs)[0]


# --------------------------------------------------------------------------- mse


def test_mse_mean_and_sum_values():
    pred, target = np.array([1.0, 2.0, 4.0]), np.array([0.0, 2.0, 2.0])
    assert mse_loss(pred, target) == (pytest.approx(5 / 3), pytest.approx([2 / 3, 0, 4 / 3]))
    loss, grad = mse_loss(pred, target, reduction="sum")
    assert loss == 5.0
    np.testing.assert_array_equal(grad, [2.0, 0.0, 4.0])


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_mse_gradient_matches_numerical_gradient(reduction):
    rng = np.random.default_rng(0)
    pred, target = rng.standard_normal((3, 4)), rng.standard_normal((3, 4))
    _, grad = mse_loss(pred, target, reduction)
    num = numerical_gradient(loss_only(mse_loss, target, reduction=reduction), pred)
    assert relative_error(grad, num) < 1e-7


def test_loss_is_a_python_float_and_gradient_keeps_float32():
    loss, grad = mse_loss(np.ones(3, dtype=np.float32), np.zeros(3, dtype=np.float32))
    assert type(loss) is float
    assert grad.dtype == np.float32


def test_half_squared_error_is_half_the_summed_mse():
    loss, grad = half_squared_error(np.array([0.8]), np.array([1.0]))
    assert loss == pytest.approx(0.5 * 0.2**2)
    assert loss == pytest.approx(0.5 * mse_loss([0.8], [1.0], reduction="sum")[0])
    np.testing.assert_allclose(grad, [-0.2])  # dL/dprediction = prediction - target


def test_half_squared_error_accepts_python_scalars():
    loss, grad = half_squared_error(3.0, 1.0)
    assert loss == 2.0
    assert grad.shape == () and float(grad) == 2.0


def test_mse_shape_mismatch_raises_value_error():
    with pytest.raises(ValueError, match=r"pred has shape \(3,\) but target has shape \(2,\)"):
        mse_loss(np.ones(3), np.ones(2))


@pytest.mark.parametrize("loss_fn", [mse_loss, binary_cross_entropy_loss])
def test_unknown_reduction_raises_value_error(loss_fn):
    with pytest.raises(ValueError, match=r"reduction must be 'mean' or 'sum', got 'none'"):
        loss_fn(np.full(2, 0.5), np.full(2, 0.5), reduction="none")


def test_mse_nan_target_raises_value_error():
    with pytest.raises(ValueError, match=r"target contains NaN or inf"):
        mse_loss(np.ones(2), np.array([1.0, np.nan]))


# --------------------------------------------------------------------------- cross-entropy


def test_cross_entropy_of_uniform_logits_is_log_k():
    loss, grad = cross_entropy_loss(np.zeros((2, 4)), np.array([0, 3]))
    assert loss == pytest.approx(np.log(4))
    np.testing.assert_allclose(grad, [[-0.375, 0.125, 0.125, 0.125], [0.125, 0.125, 0.125, -0.375]])


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_cross_entropy_gradient_matches_numerical_gradient(reduction):
    rng = np.random.default_rng(1)
    logits, labels = rng.standard_normal((5, 3)), np.array([0, 2, 1, 1, 0])
    _, grad = cross_entropy_loss(logits, labels, reduction)
    num = numerical_gradient(loss_only(cross_entropy_loss, labels, reduction=reduction), logits)
    assert relative_error(grad, num) < 1e-7


def test_cross_entropy_sum_is_n_times_mean():
    logits, labels = np.random.default_rng(2).standard_normal((4, 3)), np.array([0, 1, 2, 0])
    assert cross_entropy_loss(logits, labels, "sum")[0] == pytest.approx(
        4 * cross_entropy_loss(logits, labels, "mean")[0]
    )


def test_cross_entropy_is_stable_for_huge_logits():
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        loss, grad = cross_entropy_loss(np.array([[1000.0, -1000.0]]), np.array([1]))
    assert loss == pytest.approx(2000.0)
    np.testing.assert_allclose(grad, [[1.0, -1.0]])


@pytest.mark.parametrize(
    ("labels", "message"),
    [
        (np.array([0, 3]), r"labels must be in \[0, 3\) for 3 classes, got labels\[1\] = 3"),
        (np.array([-1, 0]), r"labels must be in \[0, 3\) for 3 classes, got labels\[0\] = -1"),
        (np.array([0.0, 1.0]), r"labels must be integer class indices, got dtype float64"),
        (np.array([0, 1, 2]), r"labels must have shape \(2,\) for logits of shape \(2, 3\), got \(3,\)"),
        (np.array([[0], [1]]), r"labels must have shape \(2,\)"),
    ],
)
def test_bad_labels_raise_value_error_naming_the_problem(labels, message):
    with pytest.raises(ValueError, match=message):
        cross_entropy_loss(np.zeros((2, 3)), labels)


def test_cross_entropy_logits_must_be_2d():
    with pytest.raises(ValueError, match=r"logits must be 2-D \(N, K\), got shape \(3,\)"):
        cross_entropy_loss(np.zeros(3), np.array([0]))


def test_cross_entropy_unknown_reduction_raises_value_error():
    with pytest.raises(ValueError, match=r"reduction must be 'mean' or 'sum', got 'avg'"):
        cross_entropy_loss(np.zeros((1, 2)), [0], reduction="avg")


# --------------------------------------------------------------------------- binary cross-entropy


def test_bce_value_matches_the_formula():
    p, t = np.array([0.9, 0.2]), np.array([1.0, 0.0])
    loss, _ = binary_cross_entropy_loss(p, t)
    assert loss == pytest.approx(-(np.log(0.9) + np.log(0.8)) / 2)


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_bce_gradient_matches_numerical_gradient(reduction):
    rng = np.random.default_rng(3)
    probs, targets = rng.uniform(0.05, 0.95, size=(3, 4)), rng.uniform(0, 1, size=(3, 4))
    _, grad = binary_cross_entropy_loss(probs, targets, reduction)
    num = numerical_gradient(loss_only(binary_cross_entropy_loss, targets, reduction=reduction), probs)
    assert relative_error(grad, num) < 1e-7


def test_bce_clamps_the_log_at_minus_100_for_certain_wrong_predictions():
    loss, grad = binary_cross_entropy_loss(np.array([0.0, 1.0]), np.array([1.0, 0.0]), "sum")
    assert loss == 200.0
    assert np.all(np.isfinite(grad))


def test_bce_certain_right_predictions_cost_nothing():
    loss, grad = binary_cross_entropy_loss(np.array([0.0, 1.0]), np.array([0.0, 1.0]))
    assert loss == 0.0
    np.testing.assert_array_equal(grad, [0.0, 0.0])


@pytest.mark.parametrize(
    ("probs", "targets", "message"),
    [
        (
            np.array([0.5, 1.5]),
            np.array([0.0, 1.0]),
            r"probs must lie in \[0, 1\], got probs\[\(1,\)\] = 1.5",
        ),
        (np.array([0.5, 0.5]), np.array([-0.1, 1.0]), r"targets must lie in \[0, 1\], got targets\[\(0,\)\]"),
        (np.array([0.5, 0.5]), np.array([1.0]), r"probs has shape \(2,\) but targets has shape \(1,\)"),
    ],
)
def test_bad_bce_input_raises_value_error_naming_the_problem(probs, targets, message):
    with pytest.raises(ValueError, match=message):
        binary_cross_entropy_loss(probs, targets)


# --------------------------------------------------------------------------- squared error on softmax


def test_softmax_squared_error_is_half_the_summed_squares_of_y_minus_t():
    logits = np.array([[0.2, -0.1, 0.3]])
    y = softmax(logits)[0]
    t = np.array([1.0, 0.0, 0.0])
    loss, _ = softmax_squared_error(logits, np.array([0]))
    assert loss == pytest.approx(0.5 * np.sum((y - t) ** 2), rel=1e-15)


def test_uniform_output_of_three_classes_costs_one_third():
    loss, _ = softmax_squared_error(np.zeros((2, 3)), np.array([0, 2]))
    assert loss == pytest.approx(1 / 3)


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_softmax_squared_error_gradient_matches_numerical_gradient(reduction):
    rng = np.random.default_rng(4)
    logits, labels = rng.standard_normal((5, 3)) * 2, rng.integers(0, 3, size=5)
    _, grad = softmax_squared_error(logits, labels, reduction)
    num = numerical_gradient(loss_only(softmax_squared_error, labels, reduction=reduction), logits)
    assert relative_error(grad, num) < 1e-7


def test_softmax_backward_is_the_jacobian_times_the_upstream_gradient():
    rng = np.random.default_rng(5)
    logits, dprobs = rng.standard_normal((1, 4)), rng.standard_normal((1, 4))
    y = softmax(logits)[0]
    jacobian = np.diag(y) - np.outer(y, y)
    np.testing.assert_allclose(softmax_backward(dprobs, softmax(logits))[0], jacobian @ dprobs[0], rtol=1e-12)
    num = numerical_gradient(lambda z: softmax(z), logits, dprobs)
    assert relative_error(softmax_backward(dprobs, softmax(logits)), num) < 1e-7


def test_one_hot_targets():
    np.testing.assert_array_equal(one_hot(np.array([2, 0]), 3), [[0, 0, 1], [1, 0, 0]])
    with pytest.raises(ValueError, match="labels must be in"):
        one_hot(np.array([3]), 3)


def test_softmax_squared_error_rejects_bad_labels():
    with pytest.raises(ValueError, match="labels must be in"):
        softmax_squared_error(np.zeros((1, 3)), np.array([5]))
