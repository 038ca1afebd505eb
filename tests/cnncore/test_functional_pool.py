"""Tests of cnncore.functional max_pool2d_* and avg_pool2d_*."""

import numpy as np
import pytest

from cnncore.functional import (
    AvgPool2dCache,
    MaxPool2dCache,
    avg_pool2d_backward,
    avg_pool2d_forward,
    max_pool2d_backward,
    max_pool2d_forward,
)
from tests.cnncore.gradcheck import numerical_gradient, relative_error

# (x shape, kernel_size, stride): default stride, overlapping windows, stride pairs,
# non-square kernels, sizes that leave rows/columns uncovered, batch 1.
CONFIGS = [
    ((2, 3, 4, 4), 2, None),
    ((1, 2, 5, 5), 3, 1),
    ((2, 1, 6, 7), (2, 3), (1, 2)),
    ((1, 2, 7, 5), (3, 2), (2, 1)),
    ((2, 2, 5, 6), 2, 3),
]
POOLS = [(max_pool2d_forward, max_pool2d_backward), (avg_pool2d_forward, avg_pool2d_backward)]


def distinct_values(shape, seed=0):
    """Return a float64 array of well-separated values in random order (no ties, no near-ties)."""
    rng = np.random.default_rng(seed)
    return rng.permutation(np.prod(shape)).reshape(shape) * 0.1 - 3.0


def loop_pool(x, kernel, stride, reduce):
    """Reference pooling with explicit loops over every window."""
    (kh, kw), (sh, sw) = kernel, stride
    n, c, h, w = x.shape
    out = np.empty((n, c, (h - kh) // sh + 1, (w - kw) // sw + 1))
    for idx in np.ndindex(out.shape):
        i, j = idx[2] * sh, idx[3] * sw
        out[idx] = reduce(x[idx[0], idx[1], i : i + kh, j : j + kw])
    return out


def as_pair(value):
    return (value, value) if isinstance(value, int) else value


@pytest.mark.parametrize(("x_shape", "kernel", "stride"), CONFIGS)
@pytest.mark.parametrize(("forward", "reduce"), [(max_pool2d_forward, np.max), (avg_pool2d_forward, np.mean)])
def test_forward_matches_a_loop_over_every_window(x_shape, kernel, stride, forward, reduce):
    x = distinct_values(x_shape)
    out, _ = forward(x, kernel, stride)
    kernel = as_pair(kernel)
    stride = kernel if stride is None else as_pair(stride)
    np.testing.assert_allclose(out, loop_pool(x, kernel, stride, reduce), rtol=1e-14, atol=1e-14)


@pytest.mark.parametrize(("x_shape", "kernel", "stride"), CONFIGS)
@pytest.mark.parametrize(("forward", "backward"), POOLS)
def test_backward_matches_numerical_gradients(x_shape, kernel, stride, forward, backward):
    x = distinct_values(x_shape, seed=3)
    out, cache = forward(x, kernel, stride)
    dout = np.random.default_rng(4).standard_normal(out.shape)
    dx = backward(dout, cache)
    num_dx = numerical_gradient(lambda a: forward(a, kernel, stride)[0], x, dout)
    assert relative_error(dx, num_dx) < 1e-7


def test_max_pool_stride_defaults_to_the_kernel_size():
    out, cache = max_pool2d_forward(distinct_values((1, 1, 6, 6)), kernel_size=3)
    assert out.shape == (1, 1, 2, 2)
    assert cache.stride == (3, 3)


def test_max_pool_gradient_goes_to_the_maximum_only():
    x = np.array([[[[1.0, 2.0], [4.0, 3.0]]]])
    out, cache = max_pool2d_forward(x, 2)
    assert out[0, 0, 0, 0] == 4.0
    dx = max_pool2d_backward(np.array([[[[5.0]]]]), cache)
    np.testing.assert_array_equal(dx[0, 0], [[0.0, 0.0], [5.0, 0.0]])


def test_max_pool_tie_sends_the_gradient_to_the_first_maximum_in_row_major_order():
    x = np.array([[[[0.0, 7.0], [7.0, 7.0]]]])
    out, cache = max_pool2d_forward(x, 2)
    assert cache.argmax[0, 0, 0, 0] == 1
    dx = max_pool2d_backward(np.ones_like(out), cache)
    np.testing.assert_array_equal(dx[0, 0], [[0.0, 1.0], [0.0, 0.0]])


def test_max_pool_window_of_equal_values_sends_the_gradient_to_its_top_left():
    x = np.full((1, 1, 4, 4), 2.5)
    out, cache = max_pool2d_forward(x, 2)
    dx = max_pool2d_backward(np.ones_like(out), cache)
    expected = np.zeros((4, 4))
    expected[::2, ::2] = 1.0
    np.testing.assert_array_equal(dx[0, 0], expected)


def test_max_pool_overlapping_windows_add_their_gradients():
    # stride 1, kernel 2: the 9 is the maximum of all four windows.
    x = np.array([[[[1.0, 2.0, 3.0], [4.0, 9.0, 5.0], [6.0, 7.0, 8.0]]]])
    out, cache = max_pool2d_forward(x, 2, stride=1)
    np.testing.assert_array_equal(out[0, 0], np.full((2, 2), 9.0))
    dx = max_pool2d_backward(np.array([[[[1.0, 2.0], [3.0, 4.0]]]]), cache)
    np.testing.assert_array_equal(dx[0, 0], [[0, 0, 0], [0, 10.0, 0], [0, 0, 0]])


def test_max_pool_overlapping_windows_each_pick_their_own_first_tie():
    # All values equal: window (i, j) gives its gradient to its own top-left element.
    x = np.zeros((1, 1, 3, 3))
    out, cache = max_pool2d_forward(x, 2, stride=1)
    dx = max_pool2d_backward(np.ones_like(out), cache)
    np.testing.assert_array_equal(dx[0, 0], [[1.0, 1.0, 0.0], [1.0, 1.0, 0.0], [0.0, 0.0, 0.0]])


def test_max_pool_cache_records_the_position_of_each_maximum():
    x = np.array([[[[1.0, 2.0, 3.0], [6.0, 5.0, 4.0]]]])
    _, cache = max_pool2d_forward(x, (2, 3))
    assert isinstance(cache, MaxPool2dCache)
    assert cache.argmax.tolist() == [[[[3]]]]  # row 1, column 0 -> 1 * 3 + 0
    assert cache.kernel_size == (2, 3)


def test_avg_pool_shares_the_gradient_equally_and_overlaps_add():
    x = np.zeros((1, 1, 3, 3))
    out, cache = avg_pool2d_forward(x, 2, stride=1)
    assert isinstance(cache, AvgPool2dCache)
    dx = avg_pool2d_backward(np.ones_like(out), cache)
    np.testing.assert_array_equal(dx[0, 0], [[0.25, 0.5, 0.25], [0.5, 1.0, 0.5], [0.25, 0.5, 0.25]])


@pytest.mark.parametrize(("forward", "backward"), POOLS)
def test_inputs_outside_every_window_get_zero_gradient(forward, backward):
    out, cache = forward(distinct_values((1, 1, 5, 5)), 2)
    dx = backward(np.ones_like(out), cache)
    assert not dx[0, 0, 4, :].any() and not dx[0, 0, :, 4].any()
    assert dx.shape == (1, 1, 5, 5)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize(("forward", "backward"), POOLS)
def test_dtype_is_preserved(dtype, forward, backward):
    out, cache = forward(distinct_values((2, 2, 4, 4)).astype(dtype), 2)
    dx = backward(np.ones(out.shape), cache)
    assert out.dtype == dtype and dx.dtype == dtype


def test_integer_input_is_pooled_in_float64():
    out, _ = max_pool2d_forward(np.arange(16).reshape(1, 1, 4, 4), 2)
    assert out.dtype == np.float64
    np.testing.assert_array_equal(out[0, 0], [[5.0, 7.0], [13.0, 15.0]])


@pytest.mark.parametrize("forward", [max_pool2d_forward, avg_pool2d_forward])
@pytest.mark.parametrize(
    ("x", "kwargs", "message"),
    [
        (np.ones((1, 4, 4)), {}, r"x must be 4-D \(N, C, H, W\), got shape \(1, 4, 4\)"),
        (np.ones((1, 1, 4, 4)), {"kernel_size": 5}, r"kernel 5x5 is larger than the padded input 4x4"),
        (np.ones((1, 1, 4, 4)), {"kernel_size": (2, 5)}, r"kernel 2x5 is larger"),
        (np.ones((1, 1, 4, 4)), {"kernel_size": 0}, r"kernel_size must be positive, got 0"),
        (np.ones((1, 1, 4, 4)), {"stride": (0, 1)}, r"stride must be positive, got \(0, 1\)"),
        (np.ones((1, 1, 4, 4)), {"kernel_size": "2"}, r"kernel_size must be an int or an \(h, w\) pair"),
        (np.full((1, 1, 4, 4), np.inf), {}, r"x contains NaN or inf"),
        (np.ones((1, 0, 4, 4)), {}, r"x must not be empty"),
    ],
)
def test_bad_input_raises_value_error_naming_the_problem(forward, x, kwargs, message):
    with pytest.raises(ValueError, match=message):
        forward(x, **kwargs)


@pytest.mark.parametrize(("forward", "backward"), POOLS)
def test_dout_of_the_wrong_shape_raises_value_error(forward, backward):
    _, cache = forward(np.ones((1, 1, 4, 4)), 2)
    with pytest.raises(ValueError, match=r"dout has shape \(1, 1, 4, 4\) but .* \(1, 1, 2, 2\)"):
        backward(np.ones((1, 1, 4, 4)), cache)
