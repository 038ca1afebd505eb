"""Forward and backward passes of the layers of a small CNN, in pure NumPy.

Conventions (the same as PyTorch, see the cnncore contract):

* layout NCHW: ``x`` is (N, C, H, W); conv weights ``w`` are (F, C, KH, KW),
  conv bias ``b`` is (F,); linear weights are (M, D) and ``out = x @ w.T + b``;
* convolution is cross-correlation (the kernel is not flipped);
* ``stride``, ``padding`` and ``kernel_size`` are an int or an ``(h, w)`` pair;
  ``padding`` is zeros on each side;
* every ``*_forward`` returns ``(out, cache)``, a named cache whose fields a page
  can show; every ``*_backward(dout, cache)`` returns the gradients;
* dtype: float32 in, float32 out; float64 in, float64 out; ints and bools are
  cast to float64 (details in ``cnncore._checks``). ``dout`` is cast to the
  dtype of the forward pass;
* bad input raises ``ValueError`` naming the offending shapes or values.

Output size of convolution and pooling::

    Ho = (H + 2*ph - KH) // sh + 1        Wo = (W + 2*pw - KW) // sw + 1

(pooling has no padding: ``ph = pw = 0``).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import NamedTuple

import numpy as np

from cnncore import _checks, _im2col, _windows

Pair = tuple[int, int]

__all__ = [
    "AvgPool2dCache",
    "Conv2dCache",
    "ConvWindow",
    "LinearCache",
    "MaxPool2dCache",
    "ReluCache",
    "SigmoidCache",
    "TanhCache",
    "avg_pool2d_backward",
    "avg_pool2d_forward",
    "conv2d_backward",
    "conv2d_forward",
    "conv2d_window",
    "linear_backward",
    "linear_forward",
    "max_pool2d_backward",
    "max_pool2d_forward",
    "relu_backward",
    "relu_forward",
    "sigmoid_backward",
    "sigmoid_forward",
    "softmax",
    "softmax_backward",
    "tanh_backward",
    "tanh_forward",
]


# --------------------------------------------------------------------------- convolution


class Conv2dCache(NamedTuple):
    """What ``conv2d_backward`` needs from the forward pass.

    x:        (N, C, H, W) input.
    w:        (F, C, KH, KW) weights.
    b:        (F,) bias.
    stride:   (sh, sw).
    padding:  (ph, pw).
    x_padded: (N, C, H + 2*ph, W + 2*pw) the input with its zero border, C-contiguous.

    Computed on demand: ``kernel`` (KH, KW), ``out_hw`` (Ho, Wo), ``out_shape``
    (N, F, Ho, Wo) and ``cols`` (N, C*KH*KW, Ho*Wo), the im2col matrix.
    """

    x: np.ndarray
    w: np.ndarray
    b: np.ndarray
    stride: Pair
    padding: Pair
    x_padded: np.ndarray

    @property
    def kernel(self) -> Pair:
        """(KH, KW)."""
        return self.w.shape[2], self.w.shape[3]

    @property
    def out_hw(self) -> Pair:
        """(Ho, Wo), the spatial size of the forward output."""
        return _windows.output_size(self.x.shape, self.kernel, self.stride, self.padding)

    @property
    def out_shape(self) -> tuple[int, int, int, int]:
        """(N, F, Ho, Wo), the shape of the forward output."""
        return (self.x.shape[0], self.w.shape[0], *self.out_hw)

    @property
    def cols(self) -> np.ndarray:
        """(N, C*KH*KW, Ho*Wo) the im2col matrix, computed on demand (for display).

        Column ``cols[n, :, i*Wo + j]`` is the window that produced ``out[n, :, i, j]``,
        flattened in (c, kh, kw) order like a row of ``w.reshape(F, -1)``.
        """
        return _im2col.im2col(self.x_padded, self.kernel, self.stride, self.out_hw)

    def column_layout(self) -> _im2col.ColumnLayout:
        """Return the im2col layout (and its buffers) for one pass over this convolution."""
        return _im2col.column_layout(self.x_padded.shape, self.kernel, self.stride, self.out_hw, self.x.dtype)


def conv2d_forward(x, w, b, stride=1, padding=0) -> tuple[np.ndarray, Conv2dCache]:
    """Return ``(out, cache)`` of a 2-D convolution (cross-correlation), like ``F.conv2d``.

    Arrays:
        x:   (N, C, H, W) input.
        w:   (F, C, KH, KW) filters.
        b:   (F,) bias.
        out: (N, F, Ho, Wo) with ``Ho = (H + 2*ph - KH) // sh + 1``,
             ``Wo = (W + 2*pw - KW) // sw + 1`` and
             ``out[n, f, i, j] = b[f] + sum_{c,kh,kw} w[f, c, kh, kw] * xp[n, c, i*sh + kh, j*sw + kw]``
             where ``xp`` is ``x`` zero-padded by ``ph`` rows and ``pw`` columns on each side.

    ``stride`` (sh, sw) and ``padding`` (ph, pw) are ints or pairs. Runs as im2col
    (``KH*KW`` strided copies into ``cols``) and one matrix product
    ``w.reshape(F, -1) @ cols``, a cache-sized chunk of samples at a time
    (see ``cnncore._im2col``).
    """
    x, w, b = _checks.as_common_float(x=x, w=w, b=b)
    stride = _checks.int_pair("stride", stride, minimum=1)
    padding = _checks.int_pair("padding", padding, minimum=0)
    _check_conv_arrays(x, w, b)
    _windows.output_size(x.shape, w.shape[2:], stride, padding)  # raises if the kernel does not fit

    x_padded = np.ascontiguousarray(_windows.pad(x, padding))
    cache = Conv2dCache(x, w, b, stride, padding, x_padded)
    layout = cache.column_layout()
    w_flat = w.reshape(w.shape[0], -1)
    out = np.empty(cache.out_shape, dtype=x.dtype)
    for batch in layout.chunks:
        cols = layout.gather(x_padded[batch])
        product = np.matmul(w_flat, cols, out=layout.product_buffer(out[batch]))
        layout.write_output(product, b, out[batch])
    return out, cache


def conv2d_backward(dout, cache: Conv2dCache) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return ``(dx, dw, db)``, the gradients of a loss through ``conv2d_forward``.

    Arrays:
        dout:  (N, F, Ho, Wo) gradient of the loss with respect to ``out``.
        cache: the ``Conv2dCache`` from the forward pass.
        dx:    (N, C, H, W);   ``dx = col2im(w_flat.T @ dout)`` without the padding border.
        dw:    (F, C, KH, KW); ``dw[f] = sum_{n,i,j} dout[n, f, i, j] * window(n, i, j)``,
               i.e. ``dout @ cols.T`` summed over the batch.
        db:    (F,);           ``db[f] = sum_{n,i,j} dout[n, f, i, j]``.

    Works chunk by chunk like the forward pass, rebuilding each chunk's im2col
    matrix from ``cache.x_padded`` (cheaper than keeping it in memory).
    """
    x, w = cache.x, cache.w
    dout = _checks.upstream_gradient(dout, cache.out_shape, x.dtype)
    w_flat = w.reshape(w.shape[0], -1)
    layout = cache.column_layout()

    db = dout.sum(axis=(0, 2, 3))
    dw_flat = np.zeros_like(w_flat)
    dx_padded = np.zeros_like(cache.x_padded)
    for batch in layout.chunks:
        cols = layout.gather(cache.x_padded[batch])
        dproduct = layout.product_gradient(dout[batch])
        dw_flat += np.matmul(dproduct, cols.transpose(0, 2, 1)).sum(axis=0)
        dcols = np.matmul(w_flat.T, dproduct, out=layout.buffer("dcols", cols.shape))
        layout.scatter_add(dcols, dx_padded[batch])
    dx = np.ascontiguousarray(_windows.unpad(dx_padded, cache.padding))
    return dx, dw_flat.reshape(w.shape), db


def _check_conv_arrays(x: np.ndarray, w: np.ndarray, b: np.ndarray) -> None:
    _checks.check_ndim("x", x, 4, "(N, C, H, W)")
    _checks.check_ndim("w", w, 4, "(F, C, KH, KW)")
    _checks.check_ndim("b", b, 1, "(F,)")
    _checks.check_not_empty("x", x)
    _checks.check_not_empty("w", w)
    if x.shape[1] != w.shape[1]:
        raise ValueError(
            f"x has {x.shape[1]} channels (shape {x.shape}) but w expects "
            f"{w.shape[1]} (shape {w.shape}); w must be (F, C, KH, KW)"
        )
    if b.shape != (w.shape[0],):
        raise ValueError(f"b must have shape ({w.shape[0]},) for w of shape {w.shape}, got {b.shape}")
    for name, array in (("x", x), ("w", w), ("b", b)):
        _checks.check_finite(name, array)


class ConvWindow(NamedTuple):
    """The arithmetic of one convolution output element (see ``conv2d_window``).

    value:    ``out[n, f, i, j]`` = ``products.sum() + b[f]``.
    window:   (C, KH, KW) the padded-input window under filter ``f``.
    products: (C, KH, KW) ``window * w[f]``, element by element.
    """

    value: float
    window: np.ndarray
    products: np.ndarray


def conv2d_window(x, w, b, n: int, f: int, i: int, j: int, stride=1, padding=0) -> ConvWindow:
    """Return ``out[n, f, i, j]`` of ``conv2d_forward`` computed with plain loops, step by step.

    This is the readable version the site shows; ``conv2d_forward`` is what runs.
    ``window[c, kh, kw] = xp[n, c, i*sh + kh, j*sw + kw]`` where ``xp`` is the
    padded input; ``products[c, kh, kw] = window[c, kh, kw] * w[f, c, kh, kw]``;
    ``value = sum(products) + b[f]``.
    """
    x, w, b = _checks.as_common_float(x=x, w=w, b=b)
    sh, sw = _checks.int_pair("stride", stride, minimum=1)
    padding = _checks.int_pair("padding", padding, minimum=0)
    _check_conv_arrays(x, w, b)
    ho, wo = _windows.output_size(x.shape, w.shape[2:], (sh, sw), padding)
    _check_index("n", n, x.shape[0])
    _check_index("f", f, w.shape[0])
    _check_index("i", i, ho)
    _check_index("j", j, wo)

    x_padded = _windows.pad(x[n : n + 1], padding)[0]
    channels, kernel_h, kernel_w = w.shape[1:]
    window = np.empty((channels, kernel_h, kernel_w), dtype=x.dtype)
    products = np.empty_like(window)
    total = 0.0
    for c in range(channels):
        for kh in range(kernel_h):
            for kw in range(kernel_w):
                window[c, kh, kw] = x_padded[c, i * sh + kh, j * sw + kw]
                products[c, kh, kw] = window[c, kh, kw] * w[f, c, kh, kw]
                total += products[c, kh, kw]
    return ConvWindow(float(total + b[f]), window, products)


def _check_index(name: str, value: int, size: int) -> None:
    if not _checks.is_int(value) or not 0 <= value < size:
        raise ValueError(f"{name} must be an int in [0, {size}), got {value!r}")


# --------------------------------------------------------------------------- pooling


class MaxPool2dCache(NamedTuple):
    """What ``max_pool2d_backward`` needs from the forward pass.

    x:           (N, C, H, W) input.
    kernel_size: (KH, KW).
    stride:      (sh, sw).
    out:         (N, C, Ho, Wo) the pooled maxima.

    Computed on demand: ``argmax`` (N, C, Ho, Wo), where in each window the
    gradient goes (``kh*KW + kw`` of the first maximum in row-major order).
    """

    x: np.ndarray
    kernel_size: Pair
    stride: Pair
    out: np.ndarray

    @property
    def argmax(self) -> np.ndarray:
        """(N, C, Ho, Wo) position ``kh*KW + kw`` of each window's maximum (first one on ties)."""
        argmax = np.zeros(self.out.shape, dtype=np.min_scalar_type(self.kernel_size[0] * self.kernel_size[1]))
        for k, hit in _first_maximum_hits(self):
            argmax[hit] = k
        return argmax

    @property
    def windows_overlap(self) -> bool:
        """Whether some input belongs to several windows (stride smaller than the kernel)."""
        return self.stride[0] < self.kernel_size[0] or self.stride[1] < self.kernel_size[1]


class AvgPool2dCache(NamedTuple):
    """What ``avg_pool2d_backward`` needs: the input ``x`` (N, C, H, W), ``kernel_size``, ``stride``."""

    x: np.ndarray
    kernel_size: Pair
    stride: Pair


def max_pool2d_forward(x, kernel_size=2, stride=None) -> tuple[np.ndarray, MaxPool2dCache]:
    """Return ``(out, cache)`` of 2-D max pooling, like ``F.max_pool2d`` (no padding).

    Arrays:
        x:   (N, C, H, W).
        out: (N, C, Ho, Wo), ``Ho = (H - KH) // sh + 1``, ``Wo = (W - KW) // sw + 1``,
             ``out[n, c, i, j] = max_{kh,kw} x[n, c, i*sh + kh, j*sw + kw]``.

    ``stride=None`` means ``stride = kernel_size``.
    """
    x, kernel, stride, out_hw = _pool_arguments(x, kernel_size, stride)
    offsets = _windows.window_offsets(x, kernel, stride, out_hw)
    out = next(offsets)[1].copy()
    for _, view in offsets:
        np.maximum(out, view, out=out)
    return out, MaxPool2dCache(x, kernel, stride, out)


def max_pool2d_backward(dout, cache: MaxPool2dCache) -> np.ndarray:
    """Return ``dx`` (N, C, H, W): each ``dout`` (N, C, Ho, Wo) value goes to its window's maximum.

    Only the first maximum (row-major) of a window receives the gradient, as in
    PyTorch on the CPU; an input that is the maximum of several overlapping
    windows gets their sum; inputs outside every window get 0.
    """
    dout = _checks.upstream_gradient(dout, cache.out.shape, cache.x.dtype)
    dx = np.zeros(cache.x.shape, dtype=cache.x.dtype)
    dx_views = _windows.window_offsets(dx, cache.kernel_size, cache.stride, cache.out.shape[2:])
    for (_, hit), (_, dx_view) in zip(_first_maximum_hits(cache), dx_views, strict=True):
        if cache.windows_overlap:
            dx_view += dout * hit
        else:  # each input belongs to at most one window: write instead of add
            np.multiply(dout, hit, out=dx_view)
    return dx


def _first_maximum_hits(cache: MaxPool2dCache) -> Iterator[tuple[int, np.ndarray]]:
    """Yield ``(k, hit)`` per window offset ``k = kh*KW + kw``, in row-major order.

    ``hit`` (N, C, Ho, Wo) is True where offset ``k`` holds the first maximum of
    its window. It is a reused buffer: use it before taking the next item.
    """
    out = cache.out
    pending = np.ones(out.shape, dtype=bool)  # windows whose maximum is not found yet
    hit = np.empty(out.shape, dtype=bool)
    for k, view in _windows.window_offsets(cache.x, cache.kernel_size, cache.stride, out.shape[2:]):
        np.equal(view, out, out=hit)
        hit &= pending
        pending ^= hit
        yield k, hit


def avg_pool2d_forward(x, kernel_size=2, stride=None) -> tuple[np.ndarray, AvgPool2dCache]:
    """Return ``(out, cache)`` of 2-D average pooling, like ``F.avg_pool2d`` (no padding).

    Arrays:
        x:   (N, C, H, W).
        out: (N, C, Ho, Wo), ``Ho = (H - KH) // sh + 1``, ``Wo = (W - KW) // sw + 1``,
             ``out[n, c, i, j] = mean_{kh,kw} x[n, c, i*sh + kh, j*sw + kw]``.

    ``stride=None`` means ``stride = kernel_size``.
    """
    x, kernel, stride, out_hw = _pool_arguments(x, kernel_size, stride)
    out = np.zeros((*x.shape[:2], *out_hw), dtype=x.dtype)
    for _, view in _windows.window_offsets(x, kernel, stride, out_hw):
        out += view
    out /= kernel[0] * kernel[1]
    return out, AvgPool2dCache(x, kernel, stride)


def avg_pool2d_backward(dout, cache: AvgPool2dCache) -> np.ndarray:
    """Return ``dx`` (N, C, H, W): each ``dout`` value is shared equally by its KH*KW inputs."""
    x, kernel, stride = cache
    out_hw = _windows.output_size(x.shape, kernel, stride, (0, 0))
    dout = _checks.upstream_gradient(dout, (*x.shape[:2], *out_hw), x.dtype)
    share = dout / (kernel[0] * kernel[1])
    dx = np.zeros_like(x)
    for _, view in _windows.window_offsets(dx, kernel, stride, out_hw):
        view += share
    return dx


def _pool_arguments(x, kernel_size, stride) -> tuple[np.ndarray, Pair, Pair, Pair]:
    """Check pooling input; return ``(x, kernel, stride, (Ho, Wo))``."""
    x = _checks.as_float("x", x)
    _checks.check_ndim("x", x, 4, "(N, C, H, W)")
    _checks.check_not_empty("x", x)
    kernel = _checks.int_pair("kernel_size", kernel_size, minimum=1)
    stride = kernel if stride is None else _checks.int_pair("stride", stride, minimum=1)
    out_hw = _windows.output_size(x.shape, kernel, stride, (0, 0))
    _checks.check_finite("x", x)
    return x, kernel, stride, out_hw


# --------------------------------------------------------------------------- activations


class ReluCache(NamedTuple):
    """The input ``x`` of ``relu_forward`` (any shape)."""

    x: np.ndarray


class SigmoidCache(NamedTuple):
    """The output ``out`` of ``sigmoid_forward`` (any shape): ``d sigmoid = out * (1 - out)``."""

    out: np.ndarray


class TanhCache(NamedTuple):
    """The output ``out`` of ``tanh_forward`` (any shape): ``d tanh = 1 - out**2``."""

    out: np.ndarray


def relu_forward(x) -> tuple[np.ndarray, ReluCache]:
    """Return ``(out, cache)`` with ``out = max(x, 0)``; ``x`` and ``out`` have any shape."""
    x = _activation_input(x)
    return np.maximum(x, 0), ReluCache(x)


def relu_backward(dout, cache: ReluCache) -> np.ndarray:
    """Return ``dx = dout * (x > 0)``, same shape as ``x``; the derivative at ``x = 0`` is 0."""
    dout = _checks.upstream_gradient(dout, cache.x.shape, cache.x.dtype)
    return np.where(cache.x > 0, dout, 0)


def sigmoid_forward(x) -> tuple[np.ndarray, SigmoidCache]:
    """Return ``(out, cache)`` with ``out = 1 / (1 + exp(-x))``, any shape.

    Computed as ``1 / (1 + e)`` for ``x >= 0`` and ``e / (1 + e)`` for ``x < 0``
    with ``e = exp(-|x|)``, so ``exp`` never overflows for large negative ``x``.
    """
    x = _activation_input(x)
    e = np.exp(-np.abs(x))
    out = np.where(x >= 0, 1, e) / (1 + e)
    return out, SigmoidCache(out)


def sigmoid_backward(dout, cache: SigmoidCache) -> np.ndarray:
    """Return ``dx = dout * out * (1 - out)``, same shape as ``out``."""
    out = cache.out
    dout = _checks.upstream_gradient(dout, out.shape, out.dtype)
    return dout * out * (1 - out)


def tanh_forward(x) -> tuple[np.ndarray, TanhCache]:
    """Return ``(out, cache)`` with ``out = tanh(x)``, any shape."""
    x = _activation_input(x)
    out = np.tanh(x)
    return out, TanhCache(out)


def tanh_backward(dout, cache: TanhCache) -> np.ndarray:
    """Return ``dx = dout * (1 - out**2)``, same shape as ``out``."""
    out = cache.out
    dout = _checks.upstream_gradient(dout, out.shape, out.dtype)
    return dout * (1 - out * out)


def _activation_input(x) -> np.ndarray:
    x = _checks.as_float("x", x)
    _checks.check_finite("x", x)
    return x


# --------------------------------------------------------------------------- linear, softmax


class LinearCache(NamedTuple):
    """What ``linear_backward`` needs: ``x`` (N, D), ``w`` (M, D), ``b`` (M,)."""

    x: np.ndarray
    w: np.ndarray
    b: np.ndarray


def linear_forward(x, w, b) -> tuple[np.ndarray, LinearCache]:
    """Return ``(out, cache)`` of a fully connected layer, like ``F.linear``.

    Arrays:
        x:   (N, D) input (flatten conv features first).
        w:   (M, D) weights, torch layout (out features, in features).
        b:   (M,) bias.
        out: (N, M), ``out = x @ w.T + b``.
    """
    x, w, b = _checks.as_common_float(x=x, w=w, b=b)
    _checks.check_ndim("x", x, 2, "(N, D)")
    _checks.check_ndim("w", w, 2, "(M, D)")
    _checks.check_ndim("b", b, 1, "(M,)")
    if x.shape[1] != w.shape[1]:
        raise ValueError(
            f"x has {x.shape[1]} features (shape {x.shape}) but w expects "
            f"{w.shape[1]} (shape {w.shape}); w must be (M, D)"
        )
    if b.shape != (w.shape[0],):
        raise ValueError(f"b must have shape ({w.shape[0]},) for w of shape {w.shape}, got {b.shape}")
    for name, array in (("x", x), ("w", w), ("b", b)):
        _checks.check_finite(name, array)
    return x @ w.T + b, LinearCache(x, w, b)


def linear_backward(dout, cache: LinearCache) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return ``(dx, dw, db)`` for ``out = x @ w.T + b``.

    Arrays:
        dout: (N, M).
        dx:   (N, D), ``dout @ w``.
        dw:   (M, D), ``dout.T @ x``.
        db:   (M,),   ``dout.sum(axis=0)``.
    """
    x, w, _ = cache
    dout = _checks.upstream_gradient(dout, (x.shape[0], w.shape[0]), x.dtype)
    return dout @ w, dout.T @ x, dout.sum(axis=0)


def softmax(logits) -> np.ndarray:
    """Return probabilities (N, K) from ``logits`` (N, K), like ``torch.softmax(dim=1)``.

    ``p[n, k] = exp(z[n, k] - max_k z[n]) / sum_k exp(z[n, k] - max_k z[n])``: the
    shift by the row maximum keeps ``exp`` from overflowing.
    """
    logits = _checks.as_float("logits", logits)
    _checks.check_ndim("logits", logits, 2, "(N, K)")
    _checks.check_not_empty("logits", logits)
    _checks.check_finite("logits", logits)
    e = np.exp(logits - logits.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def softmax_backward(dprobs, probabilities) -> np.ndarray:
    """Return dL/d(logits) (N, K) from dL/d(probabilities) (N, K) and the probabilities (N, K).

    The softmax Jacobian of one row is ``J = diag(p) - p p^T`` (symmetric), so
    ``dz = J dp = p * (dp - sum_k dp_k p_k)``, as autograd of ``torch.softmax(dim=1)``.
    """
    probabilities = _checks.as_float("probabilities", probabilities)
    _checks.check_ndim("probabilities", probabilities, 2, "(N, K)")
    dprobs = _checks.upstream_gradient(dprobs, probabilities.shape, probabilities.dtype)
    return probabilities * (dprobs - np.sum(dprobs * probabilities, axis=1, keepdims=True))
