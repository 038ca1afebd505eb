"""Sliding-window helpers behind convolution and pooling (private).

All of them work on NCHW arrays and on the same idea: the element at offset
``(kh, kw)`` of every window is one strided slice of the (padded) input::

    x[:, :, kh : kh + sh*(Ho-1) + 1 : sh, kw : kw + sw*(Wo-1) + 1 : sw]   # (N, C, Ho, Wo)

so a gather over all windows (im2col, pooling) or a scatter back into the
input (col2im, pooling backward) takes ``KH * KW`` vectorised slice operations,
and overlapping windows (stride < kernel) simply add up. The convolution's
column matrices built on this live in ``cnncore._im2col``.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

Pair = tuple[int, int]


def output_size(x_shape: tuple[int, ...], kernel: Pair, stride: Pair, padding: Pair) -> Pair:
    """Return ``(Ho, Wo)``: ``Ho = (H + 2*ph - KH) // sh + 1`` (same for W).

    Raise ``ValueError`` if the kernel does not fit in the padded input.
    """
    height, width = x_shape[-2:]
    padded = (height + 2 * padding[0], width + 2 * padding[1])
    if kernel[0] > padded[0] or kernel[1] > padded[1]:
        raise ValueError(
            f"kernel {kernel[0]}x{kernel[1]} is larger than the padded input "
            f"{padded[0]}x{padded[1]} (input {height}x{width}, padding {padding})"
        )
    return (
        (padded[0] - kernel[0]) // stride[0] + 1,
        (padded[1] - kernel[1]) // stride[1] + 1,
    )


def padded_shape(x_shape: tuple[int, ...], padding: Pair) -> tuple[int, int, int, int]:
    """Return the shape (N, C, H + 2*ph, W + 2*pw) of ``x`` once padded."""
    n, c, h, w = x_shape
    return (n, c, h + 2 * padding[0], w + 2 * padding[1])


def pad(x: np.ndarray, padding: Pair) -> np.ndarray:
    """Return ``x`` (N, C, H, W) with ``padding`` zeros on each side of H and W."""
    ph, pw = padding
    if ph == 0 and pw == 0:
        return x
    padded = np.zeros(padded_shape(x.shape, padding), dtype=x.dtype)
    padded[:, :, ph : ph + x.shape[2], pw : pw + x.shape[3]] = x
    return padded


def unpad(x_padded: np.ndarray, padding: Pair) -> np.ndarray:
    """Return the inner part of ``x_padded``, without the ``padding`` border."""
    ph, pw = padding
    h, w = x_padded.shape[-2:]
    return x_padded[:, :, ph : h - ph, pw : w - pw]


def window_offsets(
    a: np.ndarray, kernel: Pair, stride: Pair, out_hw: Pair
) -> Iterator[tuple[int, np.ndarray]]:
    """Yield ``(k, view)`` for each window offset in row-major order (``k = kh*KW + kw``).

    ``view`` (N, C, Ho, Wo) is a strided view of ``a`` holding the element at
    that offset of every window; writing into it writes into ``a``.
    """
    (kh_size, kw_size), (sh, sw), (ho, wo) = kernel, stride, out_hw
    for kh in range(kh_size):
        for kw in range(kw_size):
            rows = slice(kh, kh + sh * (ho - 1) + 1, sh)
            cols = slice(kw, kw + sw * (wo - 1) + 1, sw)
            yield kh * kw_size + kw, a[:, :, rows, cols]
