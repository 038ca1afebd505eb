"""Column matrices that turn convolution into matrix products (private).

im2col copies every window of the padded input into a column, so that
convolution is ``w.reshape(F, -1) @ cols`` (one GEMM) and its gradients are two
more; col2im adds gradient columns back into the input positions they were read
from (``KH*KW`` strided adds, overlapping windows summing up).

``cols`` has shape (n, C*KH*KW, P): a row per (c, kh, kw), the flattening order
of a torch weight, and a column per position P. Two layouts share one interface:

* ``WindowColumns`` (any stride): one column per output element, ``P = Ho*Wo``.
* ``RowColumns`` (stride 1 only, the common case): the padded image is read as
  flat rows of width ``Wp``; column ``p = i*Wp + j`` is the window whose top-left
  corner is flat position ``p``, for ``p < P = (Ho-1)*Wp + Wo``. The columns
  with ``j >= Wo`` straddle the right edge: the forward pass computes and drops
  them, the backward pass gives them zero gradient. Each copy is then one long
  contiguous run per channel instead of ``Ho`` short rows, which is several
  times faster, for ``Wp/Wo - 1`` extra GEMM work.

The batch is processed in chunks whose columns take about 2 MiB, so they stay in
the CPU cache; the buffers are allocated once per call and reused by every chunk.
"""

from __future__ import annotations

import numpy as np

from cnncore._windows import Pair, window_offsets

CHUNK_BYTES = 1 << 21


def im2col(x_padded: np.ndarray, kernel: Pair, stride: Pair, out_hw: Pair) -> np.ndarray:
    """Return the windows of ``x_padded`` (N, C, Hp, Wp) as columns (N, C*KH*KW, Ho*Wo).

    ``cols[n, (c*KH + kh)*KW + kw, i*Wo + j] = x_padded[n, c, i*sh + kh, j*sw + kw]``.
    """
    return WindowColumns(x_padded.shape, kernel, stride, out_hw, x_padded.dtype).gather(x_padded)


def column_layout(
    x_padded_shape: tuple[int, ...], kernel: Pair, stride: Pair, out_hw: Pair, dtype: np.dtype
) -> ColumnLayout:
    """Return the fastest column layout for this convolution."""
    layout = RowColumns if stride == (1, 1) else WindowColumns
    return layout(x_padded_shape, kernel, stride, out_hw, dtype)


class ColumnLayout:
    """Sizes, batch chunks and reusable buffers of one convolution call.

    Subclasses define ``positions`` and how columns are gathered from the padded
    input, scattered back, and mapped to and from the output (N, F, Ho, Wo).
    """

    positions: int

    def __init__(self, x_padded_shape, kernel: Pair, stride: Pair, out_hw: Pair, dtype) -> None:
        self.batch, self.channels, *padded_hw = x_padded_shape
        self.padded_hw: Pair = (padded_hw[0], padded_hw[1])
        self.kernel, self.stride, self.out_hw = kernel, stride, out_hw
        self.dtype = np.dtype(dtype)
        self.rows = self.channels * kernel[0] * kernel[1]
        self._buffers: dict[str, np.ndarray] = {}

    @property
    def chunks(self) -> list[slice]:
        """Slices of the batch axis whose columns take about ``CHUNK_BYTES`` each."""
        step = max(1, CHUNK_BYTES // (self.rows * self.positions * self.dtype.itemsize))
        return [slice(start, min(start + step, self.batch)) for start in range(0, self.batch, step)]

    def buffer(self, name: str, shape: tuple[int, ...], zeroed: bool = False) -> np.ndarray:
        """Return a reusable array of ``shape``, allocated on the first (largest) request."""
        size = int(np.prod(shape))
        flat = self._buffers.get(name)
        if flat is None or flat.size < size:
            flat = self._buffers[name] = (np.zeros if zeroed else np.empty)(size, dtype=self.dtype)
        return flat[:size].reshape(shape)

    def gather(self, x_padded: np.ndarray) -> np.ndarray:
        """Return the columns (n, C*KH*KW, P) of a chunk ``x_padded`` (n, C, Hp, Wp)."""
        raise NotImplementedError

    def scatter_add(self, cols: np.ndarray, dx_padded: np.ndarray) -> None:
        """Add ``cols`` (n, C*KH*KW, P) into ``dx_padded`` (n, C, Hp, Wp), the adjoint of ``gather``."""
        raise NotImplementedError

    def product_buffer(self, out: np.ndarray) -> np.ndarray:
        """Return where ``w_flat @ cols`` (n, F, P) should be written for the chunk ``out``."""
        raise NotImplementedError

    def write_output(self, product: np.ndarray, b: np.ndarray, out: np.ndarray) -> None:
        """Store ``product`` (n, F, P) plus the bias ``b`` (F,) into ``out`` (n, F, Ho, Wo)."""
        raise NotImplementedError

    def product_gradient(self, dout: np.ndarray) -> np.ndarray:
        """Return ``dout`` (n, F, Ho, Wo) as the gradient of the product (n, F, P)."""
        raise NotImplementedError


class WindowColumns(ColumnLayout):
    """One column per output element, ``P = Ho*Wo``; any stride."""

    @property
    def positions(self) -> int:
        return self.out_hw[0] * self.out_hw[1]

    def gather(self, x_padded: np.ndarray) -> np.ndarray:
        n = x_padded.shape[0]
        kk = self.kernel[0] * self.kernel[1]
        cols = self.buffer("cols", (n, self.channels, kk, *self.out_hw))
        for k, view in window_offsets(x_padded, self.kernel, self.stride, self.out_hw):
            cols[:, :, k] = view
        return cols.reshape(n, self.rows, self.positions)

    def scatter_add(self, cols: np.ndarray, dx_padded: np.ndarray) -> None:
        kk = self.kernel[0] * self.kernel[1]
        cols = cols.reshape(cols.shape[0], self.channels, kk, *self.out_hw)
        for k, view in window_offsets(dx_padded, self.kernel, self.stride, self.out_hw):
            view += cols[:, :, k]

    def product_buffer(self, out: np.ndarray) -> np.ndarray:
        return out.reshape(out.shape[0], out.shape[1], self.positions)

    def write_output(self, product: np.ndarray, b: np.ndarray, out: np.ndarray) -> None:
        out += b.reshape(-1, 1, 1)  # product was written into out itself

    def product_gradient(self, dout: np.ndarray) -> np.ndarray:
        return dout.reshape(dout.shape[0], dout.shape[1], self.positions)


class RowColumns(ColumnLayout):
    """Columns read as contiguous runs of the flattened padded rows; stride 1 only."""

    @property
    def positions(self) -> int:
        return (self.out_hw[0] - 1) * self.padded_hw[1] + self.out_hw[1]

    def _offsets(self):
        """Yield ``(k, flat offset of window element (kh, kw))``."""
        width = self.padded_hw[1]
        for kh in range(self.kernel[0]):
            for kw in range(self.kernel[1]):
                yield kh * self.kernel[1] + kw, kh * width + kw

    def _flat(self, x_padded: np.ndarray) -> np.ndarray:
        return x_padded.reshape(x_padded.shape[0], self.channels, -1)  # a view: x_padded is contiguous

    def gather(self, x_padded: np.ndarray) -> np.ndarray:
        n, flat, p = x_padded.shape[0], self._flat(x_padded), self.positions
        cols = self.buffer("cols", (n, self.channels, self.kernel[0] * self.kernel[1], p))
        for k, start in self._offsets():
            cols[:, :, k] = flat[:, :, start : start + p]
        return cols.reshape(n, self.rows, p)

    def scatter_add(self, cols: np.ndarray, dx_padded: np.ndarray) -> None:
        flat, p = self._flat(dx_padded), self.positions
        cols = cols.reshape(cols.shape[0], self.channels, -1, p)
        for k, start in self._offsets():
            flat[:, :, start : start + p] += cols[:, :, k]

    def _full_rows(self, n: int, filters: int, name: str, zeroed: bool = False) -> np.ndarray:
        """Return a buffer (n, F, Ho, Wp): every output row at the padded width."""
        return self.buffer(name, (n, filters, self.out_hw[0], self.padded_hw[1]), zeroed)

    def _positions_of(self, full_rows: np.ndarray) -> np.ndarray:
        n, filters = full_rows.shape[:2]
        return full_rows.reshape(n, filters, -1)[:, :, : self.positions]

    def product_buffer(self, out: np.ndarray) -> np.ndarray:
        return self._positions_of(self._full_rows(*out.shape[:2], "product"))

    def write_output(self, product: np.ndarray, b: np.ndarray, out: np.ndarray) -> None:
        full_rows = self._full_rows(*out.shape[:2], "product")  # the buffer product lives in
        np.add(full_rows[:, :, :, : self.out_hw[1]], b.reshape(-1, 1, 1), out=out)

    def product_gradient(self, dout: np.ndarray) -> np.ndarray:
        # Columns j >= Wo of the zeroed buffer are never written, so they stay 0.
        full_rows = self._full_rows(*dout.shape[:2], "dproduct", zeroed=True)
        full_rows[:, :, :, : self.out_hw[1]] = dout
        return self._positions_of(full_rows)
