"""Pieces several scenarios share: small readable numbers, number text, output-size mistakes."""

from __future__ import annotations

import numpy as np

from cnncore.scenarios.params import OUT_OF_RANGE, Param, ParameterError, number_text
from cnncore.trace import Trace

INTEGER_VALUES = Param(
    "integer_values",
    "bool",
    True,
    help="small whole numbers (easy to check by hand) instead of decimals",
)


def small_values(
    rng: np.random.Generator, shape: tuple[int, ...], *, integer: bool, low: int, high: int
) -> np.ndarray:
    """Return float64 values in [low, high]: whole numbers, or decimals with 2 digits."""
    if integer:
        return rng.integers(low, high, size=shape, endpoint=True).astype(np.float64)
    return np.round(rng.uniform(low, high, size=shape), 2)


def fmt(value: float) -> str:
    """Return a number as short text for explanations (4 significant digits)."""
    return f"{value:.4g}"


def out_of_range(name: str, low, high, value, reason: str = "") -> ParameterError:
    """Return the ParameterError for ``name`` outside [low, high], with an optional reason."""
    message = OUT_OF_RANGE.format(
        name=name, min=number_text(low), max=number_text(high), value=number_text(value)
    )
    return ParameterError(name, f"{message} ({reason})" if reason else message)


def check_kernel_fits(p: dict) -> None:
    """Raise ParameterError unless ``kernel_size`` fits in the padded ``input_size``."""
    padded = p["input_size"] + 2 * p["padding"]
    if p["kernel_size"] > padded:
        raise out_of_range(
            "kernel_size", 1, padded, p["kernel_size"], "the kernel must fit in the padded input"
        )


def output_size(size: int, kernel: int, stride: int, padding: int) -> int:
    """Return ``(size + 2*padding - kernel) // stride + 1``, or 0 if the kernel does not fit."""
    padded = size + 2 * padding
    return 0 if kernel > padded else (padded - kernel) // stride + 1


def add_output_size_misconceptions(
    trace: Trace, result: str, *, size: int, kernel: int, stride: int, padding: int
) -> None:
    """Record the classic wrong output sizes for ``result`` (an output height or width)."""
    padded = size + 2 * padding
    wrongs = {
        "forgot_padding": (
            (size - kernel) // stride + 1,
            "used (H - K) // S + 1: forgot the padding on both sides",
        ),
        "padding_once": (
            (size + padding - kernel) // stride + 1,
            "added the padding once instead of on both sides: (H + P - K) // S + 1",
        ),
        "forgot_plus_one": (
            (padded - kernel) // stride,
            "forgot the + 1 that counts the first window position",
        ),
        "forgot_stride": (
            padded - kernel + 1,
            "did not divide by the stride: (H + 2P - K) + 1",
        ),
        "rounded_up": (
            -(-(padded - kernel) // stride) + 1,
            "rounded the division up instead of down (a window must fit entirely)",
        ),
    }
    for name, (value, description) in wrongs.items():
        if value > 0:
            trace.add_misconception(result, name, value, description)
