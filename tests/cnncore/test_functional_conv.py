"""Tests of cnncore.functional.conv2d_forward / conv2d_backward / conv2d_window."""

import numpy as np
import pytest

from cnncore import _im2col
from cnncore.functional import Conv2dCache, conv2d_backward, conv2d_forward, conv2d_window
from tests.cnncore.gradcheck import numerical_gradient, relative_error

# (x shape, w shape, stride, padding): non-square kernels, stride/padding pairs,
# overlapping windows (stride < kernel), gaps (stride > kernel), batch 1.
CONFIGS = [
    ((2, 3, 5, 5), (4, 3, 3, 3), 1, 0),
    ((2, 3, 5, 5), (4, 3, 3, 3), 1, 1),
    ((1, 2, 6, 7), (3, 2, 2, 3), (2, 1), (1, 0)),
    ((3, 1, 7, 6), (2, 1, 3, 2), 2, (0, 2)),
    ((1, 2, 8, 8), (2, 2, 2, 2), 3, 1),
    ((2, 2, 4, 5), (1, 2, 4, 5), 1, 0),
]


def random_conv_inputs(x_shape, w_shape, seed=0, dtype=np.float64):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal(x_shape).astype(dtype)
    w = rng.standard_normal(w_shape).astype(dtype)
    b = rng.standard_normal(w_shape[0]).astype(dtype)
    return x, w, b


def as_pair(value):
    return (value, value) if isinstance(value, int) else value


@pytest.mark.parametrize(("x_shape", "w_shape", "stride", "padding"), CONFIGS)
def test_output_shape_follows_the_output_size_formula(x_shape, w_shape, stride, padding):
    x, w, b = random_conv_inputs(x_shape, w_shape)
    (sh, sw), (ph, pw) = as_pair(stride), as_pair(padding)
    out, _ = conv2d_forward(x, w, b, stride, padding)
    expected_h = (x_shape[2] + 2 * ph - w_shape[2]) // sh + 1
    expected_w = (x_shape[3] + 2 * pw - w_shape[3]) // sw + 1
    assert out.shape == (x_shape[0], w_shape[0], expected_h, expected_w)


@pytest.mark.parametrize(("x_shape", "w_shape", "stride", "padding"), CONFIGS)
def test_every_output_element_equals_the_loop_arithmetic_of_its_window(x_shape, w_shape, stride, padding):
    x, w, b = random_conv_inputs(x_shape, w_shape)
    out, _ = conv2d_forward(x, w, b, stride, padding)
    for n, f, i, j in np.ndindex(out.shape):
        value = conv2d_window(x, w, b, n, f, i, j, stride, padding).value
        assert out[n, f, i, j] == pytest.approx(value, rel=1e-12, abs=1e-12)


def test_convolution_is_cross_correlation_without_kernel_flip():
    x = np.arange(9.0).reshape(1, 1, 3, 3)
    w = np.array([[[[1.0, 0.0], [0.0, 0.0]]]])  # picks the top-left element of each window
    out, _ = conv2d_forward(x, w, np.zeros(1))
    np.testing.assert_array_equal(out[0, 0], [[0.0, 1.0], [3.0, 4.0]])


def test_padding_adds_zeros_around_the_input():
    x = np.ones((1, 1, 2, 2))
    out, _ = conv2d_forward(x, np.ones((1, 1, 3, 3)), np.zeros(1), padding=1)
    np.testing.assert_array_equal(out[0, 0], [[4.0, 4.0], [4.0, 4.0]])


def test_bias_is_added_once_per_filter():
    x = np.zeros((1, 1, 3, 3))
    out, _ = conv2d_forward(x, np.ones((2, 1, 2, 2)), np.array([1.5, -2.0]))
    np.testing.assert_array_equal(out[0, 0], np.full((2, 2), 1.5))
    np.testing.assert_array_equal(out[0, 1], np.full((2, 2), -2.0))


def test_conv2d_window_shows_the_window_and_its_products():
    x = np.arange(16.0).reshape(1, 1, 4, 4)
    w = np.array([[[[1.0, 2.0], [3.0, 4.0]]]])
    result = conv2d_window(x, w, np.array([0.5]), n=0, f=0, i=1, j=0, stride=2)
    np.testing.assert_array_equal(result.window[0], [[8.0, 9.0], [12.0, 13.0]])
    np.testing.assert_array_equal(result.products[0], [[8.0, 18.0], [36.0, 52.0]])
    assert result.value == 8 + 18 + 36 + 52 + 0.5


def test_conv2d_window_reads_zeros_from_the_padding():
    x = np.ones((1, 1, 2, 2))
    result = conv2d_window(x, np.ones((1, 1, 3, 3)), np.zeros(1), 0, 0, 0, 0, padding=1)
    np.testing.assert_array_equal(result.window[0], [[0, 0, 0], [0, 1, 1], [0, 1, 1]])


@pytest.mark.parametrize(("x_shape", "w_shape", "stride", "padding"), CONFIGS)
def test_backward_matches_numerical_gradients(x_shape, w_shape, stride, padding):
    x, w, b = random_conv_inputs(x_shape, w_shape, seed=1)
    out, cache = conv2d_forward(x, w, b, stride, padding)
    dout = np.random.default_rng(2).standard_normal(out.shape)
    dx, dw, db = conv2d_backward(dout, cache)

    num_dx = numerical_gradient(lambda a: conv2d_forward(a, w, b, stride, padding)[0], x, dout)
    num_dw = numerical_gradient(lambda a: conv2d_forward(x, a, b, stride, padding)[0], w, dout)
    num_db = numerical_gradient(lambda a: conv2d_forward(x, w, a, stride, padding)[0], b, dout)
    assert relative_error(dx, num_dx) < 1e-7
    assert relative_error(dw, num_dw) < 1e-7
    assert relative_error(db, num_db) < 1e-7


def test_gradients_have_the_shapes_of_their_inputs():
    x, w, b = random_conv_inputs((2, 3, 6, 5), (4, 3, 3, 2))
    out, cache = conv2d_forward(x, w, b, stride=(2, 1), padding=1)
    dx, dw, db = conv2d_backward(np.ones_like(out), cache)
    assert (dx.shape, dw.shape, db.shape) == (x.shape, w.shape, b.shape)


def test_rows_and_columns_the_stride_skips_get_zero_gradient():
    x, w, b = random_conv_inputs((1, 1, 5, 5), (1, 1, 2, 2))
    out, cache = conv2d_forward(x, w, b, stride=2)  # Ho = Wo = 2: row 4 and column 4 unused
    dx, _, _ = conv2d_backward(np.ones_like(out), cache)
    assert not dx[0, 0, 4, :].any()
    assert not dx[0, 0, :, 4].any()


def test_cache_names_its_fields():
    x, w, b = random_conv_inputs((1, 2, 4, 4), (3, 2, 3, 3))
    _, cache = conv2d_forward(x, w, b, stride=1, padding=1)
    assert isinstance(cache, Conv2dCache)
    assert cache.stride == (1, 1) and cache.padding == (1, 1)
    assert cache.x_padded.shape == (1, 2, 6, 6)
    assert cache.cols.shape == (1, 2 * 3 * 3, 4 * 4)
    assert cache.out_shape == (1, 3, 4, 4)


def test_cache_cols_holds_each_window_as_a_column():
    x, w, b = random_conv_inputs((2, 2, 5, 4), (1, 2, 3, 2))
    out, cache = conv2d_forward(x, w, b, stride=(2, 1), padding=1)
    wo = out.shape[3]
    for n, _, i, j in np.ndindex(out.shape):
        window = conv2d_window(x, w, b, n, 0, i, j, stride=(2, 1), padding=1).window
        np.testing.assert_array_equal(cache.cols[n, :, i * wo + j], window.ravel())


# Chunk sizes giving one sample per chunk, or two with a shorter last chunk.
@pytest.mark.parametrize(("stride", "chunk_bytes"), [(1, 1), (1, 14000), (2, 1), (2, 3000)])
def test_results_do_not_depend_on_how_the_batch_is_chunked(monkeypatch, stride, chunk_bytes):
    x, w, b = random_conv_inputs((5, 2, 6, 6), (3, 2, 3, 3), seed=5)
    dout = np.random.default_rng(6).standard_normal(conv2d_forward(x, w, b, stride, 1)[0].shape)
    out, cache = conv2d_forward(x, w, b, stride, 1)  # one chunk
    expected = (out, *conv2d_backward(dout, cache))

    monkeypatch.setattr(_im2col, "CHUNK_BYTES", chunk_bytes)
    out, cache = conv2d_forward(x, w, b, stride, 1)
    assert len(cache.column_layout().chunks) > 1
    for got, want in zip((out, *conv2d_backward(dout, cache)), expected, strict=True):
        np.testing.assert_allclose(got, want, rtol=1e-13, atol=1e-13)


@pytest.mark.parametrize("layout", [_im2col.WindowColumns, _im2col.RowColumns])
def test_column_scatter_is_the_adjoint_of_gather(layout):
    # <gather(x), c> == <x, scatter_add(c)>: what makes col2im the exact gradient of im2col.
    rng = np.random.default_rng(7)
    x_padded = rng.standard_normal((2, 3, 6, 7))
    columns = layout(x_padded.shape, (3, 2), (1, 1), (4, 6), np.float64)
    cols = columns.gather(x_padded).copy()
    c = rng.standard_normal(cols.shape)
    scattered = np.zeros_like(x_padded)
    columns.scatter_add(c, scattered)
    assert np.sum(cols * c) == pytest.approx(np.sum(x_padded * scattered), rel=1e-12)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_dtype_is_preserved_forward_and_backward(dtype):
    x, w, b = random_conv_inputs((2, 2, 5, 5), (3, 2, 3, 3), dtype=dtype)
    out, cache = conv2d_forward(x, w, b, padding=1)
    grads = conv2d_backward(np.ones(out.shape), cache)  # float64 dout is cast to the forward dtype
    assert out.dtype == dtype
    assert all(g.dtype == dtype for g in grads)


def test_integer_inputs_are_computed_in_float64():
    out, _ = conv2d_forward(np.arange(9).reshape(1, 1, 3, 3), np.ones((1, 1, 2, 2), dtype=int), [0])
    assert out.dtype == np.float64
    np.testing.assert_array_equal(out[0, 0], [[8.0, 12.0], [20.0, 24.0]])


def test_float32_and_float64_inputs_are_promoted_to_float64():
    x, w, b = random_conv_inputs((1, 1, 3, 3), (1, 1, 2, 2))
    out, _ = conv2d_forward(x.astype(np.float32), w, b)
    assert out.dtype == np.float64


GOOD_X, GOOD_W, GOOD_B = random_conv_inputs((1, 2, 4, 4), (3, 2, 3, 3))


@pytest.mark.parametrize(
    ("x", "w", "b", "kwargs", "message"),
    [
        (GOOD_X[0], GOOD_W, GOOD_B, {}, r"x must be 4-D \(N, C, H, W\), got shape \(2, 4, 4\)"),
        (GOOD_X, GOOD_W[0], GOOD_B, {}, r"w must be 4-D \(F, C, KH, KW\), got shape \(2, 3, 3\)"),
        (GOOD_X, GOOD_W, GOOD_B[:2], {}, r"b must have shape \(3,\) .* got \(2,\)"),
        (GOOD_X[:, :1], GOOD_W, GOOD_B, {}, r"x has 1 channels .* but w expects 2"),
        (GOOD_X, np.ones((3, 2, 5, 5)), GOOD_B, {}, r"kernel 5x5 is larger than the padded input 4x4"),
        (GOOD_X, GOOD_W, GOOD_B, {"stride": 0}, r"stride must be positive, got 0"),
        (GOOD_X, GOOD_W, GOOD_B, {"stride": (1, -1)}, r"stride must be positive, got \(1, -1\)"),
        (GOOD_X, GOOD_W, GOOD_B, {"padding": -1}, r"padding must be >= 0, got -1"),
        (GOOD_X, GOOD_W, GOOD_B, {"stride": 1.5}, r"stride must be an int or an \(h, w\) pair"),
        (GOOD_X, GOOD_W, GOOD_B, {"padding": (1, 1, 1)}, r"padding must be an int or an \(h, w\) pair"),
        (GOOD_X * np.nan, GOOD_W, GOOD_B, {}, r"x contains NaN or inf: x\[\(0, 0, 0, 0\)\] = nan"),
        (GOOD_X, GOOD_W * np.inf, GOOD_B, {}, r"w contains NaN or inf"),
        (np.ones((0, 2, 4, 4)), GOOD_W, GOOD_B, {}, r"x must not be empty, got shape \(0, 2, 4, 4\)"),
        (GOOD_X.astype(complex), GOOD_W, GOOD_B, {}, r"x must hold real numbers, got dtype complex128"),
    ],
)
def test_bad_forward_input_raises_value_error_naming_the_problem(x, w, b, kwargs, message):
    with pytest.raises(ValueError, match=message):
        conv2d_forward(x, w, b, **kwargs)


def test_padding_makes_a_large_kernel_fit():
    out, _ = conv2d_forward(GOOD_X, np.ones((3, 2, 5, 5)), GOOD_B, padding=1)
    assert out.shape == (1, 3, 2, 2)


def test_dout_of_the_wrong_shape_raises_value_error():
    out, cache = conv2d_forward(GOOD_X, GOOD_W, GOOD_B)
    with pytest.raises(ValueError, match=r"dout has shape \(1, 3, 3, 2\) but .* \(1, 3, 2, 2\)"):
        conv2d_backward(np.ones((1, 3, 3, 2)), cache)


def test_dout_with_nan_raises_value_error():
    out, cache = conv2d_forward(GOOD_X, GOOD_W, GOOD_B)
    with pytest.raises(ValueError, match=r"dout contains NaN or inf"):
        conv2d_backward(np.full(out.shape, np.nan), cache)


@pytest.mark.parametrize(
    ("index", "message"),
    [
        ({"n": 1}, r"n must be an int in \[0, 1\), got 1"),
        ({"f": -1}, r"f must be an int in \[0, 3\), got -1"),
        ({"i": 2}, r"i must be an int in \[0, 2\), got 2"),
        ({"j": 0.0}, r"j must be an int in \[0, 2\), got 0.0"),
    ],
)
def test_conv2d_window_rejects_an_index_outside_the_output(index, message):
    where = {"n": 0, "f": 0, "i": 0, "j": 0} | index
    with pytest.raises(ValueError, match=message):
        conv2d_window(GOOD_X, GOOD_W, GOOD_B, **where)
