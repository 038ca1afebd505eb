"""Input validation shared by ``cnncore.functional`` and ``cnncore.losses``.

Every failure is a ``ValueError`` whose message names the argument and shows the
offending shape or value, so a student (or a page) can read what went wrong.

Dtype policy (applies to every public function):
    * float32 stays float32 and float64 stays float64;
    * bool, integer and other real floating types (float16, longdouble) are cast
      to float64, so ``conv2d_forward([[...]], ...)`` with small integer examples
      from the teaching material just works;
    * when several arrays meet (x and w, pred and target), they are promoted to a
      common dtype (float32 with float64 gives float64);
    * complex, object and string data raise ``ValueError``.
"""

from __future__ import annotations

import numpy as np

FLOAT_DTYPES = (np.dtype(np.float32), np.dtype(np.float64))


def as_float(name: str, value) -> np.ndarray:
    """Return ``value`` as a float32 or float64 array (see the module's dtype policy)."""
    try:
        array = np.asarray(value)
    except (TypeError, ValueError) as error:
        raise ValueError(f"{name} is not a numeric array: {error}") from None
    if array.dtype in FLOAT_DTYPES:
        return array
    if array.dtype.kind in "biuf":
        return array.astype(np.float64)
    raise ValueError(f"{name} must hold real numbers, got dtype {array.dtype}")


def as_common_float(**named_values) -> list[np.ndarray]:
    """Return the arrays converted by ``as_float`` and promoted to one float dtype."""
    arrays = [as_float(name, value) for name, value in named_values.items()]
    dtype = np.result_type(*arrays)
    return [array.astype(dtype, copy=False) for array in arrays]


def check_ndim(name: str, array: np.ndarray, ndim: int, layout: str) -> None:
    """Raise unless ``array`` has ``ndim`` dimensions; ``layout`` reads e.g. "(N, C, H, W)"."""
    if array.ndim != ndim:
        raise ValueError(f"{name} must be {ndim}-D {layout}, got shape {array.shape}")


def check_not_empty(name: str, array: np.ndarray) -> None:
    """Raise if any dimension of ``array`` is zero."""
    if array.size == 0:
        raise ValueError(f"{name} must not be empty, got shape {array.shape}")


def check_finite(name: str, array: np.ndarray) -> None:
    """Raise if ``array`` holds a NaN or an infinity, naming the first one found."""
    # One fast pass: the sum is finite when every element is. A non-finite sum may
    # also come from overflow of huge finite values, so look closer before raising.
    with np.errstate(over="ignore", invalid="ignore"):
        if array.size == 0 or np.isfinite(np.sum(array)):
            return
    bad = ~np.isfinite(array)
    if not bad.any():
        return
    first = tuple(int(i) for i in np.argwhere(bad)[0])
    raise ValueError(f"{name} contains NaN or inf: {name}[{first}] = {array[first]}")


def int_pair(name: str, value, minimum: int) -> tuple[int, int]:
    """Return ``value`` (an int or an ``(h, w)`` pair of ints) as a pair, each >= ``minimum``."""
    pair = (value, value) if is_int(value) else value
    if not (isinstance(pair, tuple | list) and len(pair) == 2 and all(map(is_int, pair))):
        raise ValueError(f"{name} must be an int or an (h, w) pair of ints, got {value!r}")
    pair = (int(pair[0]), int(pair[1]))
    if min(pair) < minimum:
        bound = "positive" if minimum == 1 else f">= {minimum}"
        raise ValueError(f"{name} must be {bound}, got {value!r}")
    return pair


def is_int(value) -> bool:
    """Return whether ``value`` is a Python or NumPy integer (bools excluded)."""
    return isinstance(value, int | np.integer) and not isinstance(value, bool | np.bool_)


def upstream_gradient(dout, expected_shape: tuple[int, ...], dtype: np.dtype) -> np.ndarray:
    """Return ``dout`` as an array of the forward pass's dtype, checking its shape and values.

    ``expected_shape`` is the shape of the forward output that ``dout`` is the
    gradient of; a float64 ``dout`` for a float32 forward pass is cast to float32.
    """
    dout = as_float("dout", dout)
    if dout.shape != tuple(expected_shape):
        raise ValueError(
            f"dout has shape {dout.shape} but the forward output (from the cache) "
            f"has shape {tuple(expected_shape)}"
        )
    check_finite("dout", dout)
    return dout.astype(dtype, copy=False)
