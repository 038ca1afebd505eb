"""Speed of cnncore.functional against naive Python loops and PyTorch: ``python -m cnncore.bench``.

Not a test: it prints a table. Everything runs on one BLAS thread (threadpoolctl
when installed, otherwise the ``*_NUM_THREADS`` variables set below, which only
work if NumPy is not loaded yet: ``import cnncore`` loads it, so run
``OPENBLAS_NUM_THREADS=1 python -m cnncore.bench`` without threadpoolctl) and
``torch.set_num_threads(1)``. Each figure is the median of several
timed repeats after warm-up runs. The naive loops are far too slow to run on a
whole batch, so they are timed on the first sample(s) and scaled to the batch
size, as the output says.
"""

from __future__ import annotations

import os
import sys

NUMPY_LOADED_EARLY = "numpy" in sys.modules  # then the variables below come too late...
BLAS_LIMITED_BY_USER = os.environ.get("OPENBLAS_NUM_THREADS") == "1"  # ...unless already set
for _variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_variable, "1")

import argparse  # noqa: E402
import platform  # noqa: E402
import statistics  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable  # noqa: E402

import numpy as np  # noqa: E402

from cnncore import functional as fn  # noqa: E402

CONV_CASES = [  # (label, x shape, w shape, padding)
    ("x(32,3,32,32)  w(16,3,3,3)  pad 1", (32, 3, 32, 32), (16, 3, 3, 3), 1),
    ("x(64,16,16,16) w(32,16,3,3) pad 1", (64, 16, 16, 16), (32, 16, 3, 3), 1),
]
CONV_TARGETS = {np.float64: 1.3, np.float32: 2.5}  # at most this many times torch's time
POOL_SHAPE = (32, 16, 32, 32)  # 524,288 elements
POOL_TARGET = 1.0
TRAINING_TARGET_MS = 20.0
NAIVE_SAMPLES = 1


def limit_threads():
    """Limit BLAS/OpenMP to one thread; return a description and a handle that keeps the limit."""
    try:
        from threadpoolctl import threadpool_info, threadpool_limits
    except ImportError:
        if NUMPY_LOADED_EARLY and not BLAS_LIMITED_BY_USER:
            return "NOT LIMITED: numpy loaded before *_NUM_THREADS=1 was set (threadpoolctl missing)", None
        return "*_NUM_THREADS=1 (threadpoolctl not installed)", None
    handle = threadpool_limits(limits=1)
    blas = [
        f"{i['internal_api']} {i.get('version')} {i.get('architecture', '')}".strip()
        for i in threadpool_info()
        if i["user_api"] == "blas"
    ]
    return f"threadpoolctl limit 1; BLAS: {', '.join(blas) or 'unknown'}", handle


def import_torch():
    """Return torch limited to one thread, or None when it is not installed."""
    try:
        import torch
    except ImportError:
        return None
    torch.set_num_threads(1)
    return torch


def median_ms(function: Callable[[], object], repeats: int = 15, warmup: int = 3) -> float:
    """Return the median wall time of ``function()`` in milliseconds."""
    return paired_median_ms(function, None, repeats, warmup)[0]


def paired_median_ms(ours, reference, repeats: int = 21, warmup: int = 3) -> tuple[float, float | None]:
    """Return the median times (ms) of ``ours()`` and ``reference()``, run alternately.

    Alternating the two makes their ratio fair even when other work on the
    machine comes and goes during the measurement.
    """
    functions = [f for f in (ours, reference) if f is not None]
    for function in functions:
        for _ in range(warmup):
            function()
    times: list[list[float]] = [[] for _ in functions]
    for _ in range(repeats):
        for function, samples in zip(functions, times, strict=True):
            start = time.perf_counter()
            function()
            samples.append(time.perf_counter() - start)
    medians = [1e3 * statistics.median(samples) for samples in times]
    return medians[0], (medians[1] if reference is not None else None)


# --------------------------------------------------------------------------- naive reference


def naive_conv2d_forward_backward(x, w, b, dout, padding):
    """Convolution forward and backward with one Python loop iteration per output element.

    The CS231n "naive" version: it is the reference the vectorised code is
    measured against, never used by the library.
    """
    n_samples, _, height, width = x.shape
    n_filters, _, kh, kw = w.shape
    xp = np.pad(x, ((0, 0), (0, 0), (padding, padding), (padding, padding)))
    ho, wo = height + 2 * padding - kh + 1, width + 2 * padding - kw + 1
    out = np.empty((n_samples, n_filters, ho, wo), dtype=x.dtype)
    for n in range(n_samples):
        for f in range(n_filters):
            for i in range(ho):
                for j in range(wo):
                    out[n, f, i, j] = np.sum(xp[n, :, i : i + kh, j : j + kw] * w[f]) + b[f]
    dxp, dw, db = np.zeros_like(xp), np.zeros_like(w), np.zeros_like(b)
    for n in range(n_samples):
        for f in range(n_filters):
            for i in range(ho):
                for j in range(wo):
                    g = dout[n, f, i, j]
                    dw[f] += g * xp[n, :, i : i + kh, j : j + kw]
                    dxp[n, :, i : i + kh, j : j + kw] += g * w[f]
                    db[f] += g
    return out, dxp[:, :, padding : padding + height, padding : padding + width], dw, db


def check_naive_agrees(x, w, b, dout, padding):
    """Raise if the naive loops and cnncore disagree (the comparison would be meaningless)."""
    out, cache = fn.conv2d_forward(x, w, b, padding=padding)
    ours = (out, *fn.conv2d_backward(dout, cache))
    for name, a, ref in zip(
        ("out", "dx", "dw", "db"), ours, naive_conv2d_forward_backward(x, w, b, dout, padding), strict=True
    ):
        if not np.allclose(a, ref, rtol=1e-9, atol=1e-9):
            raise AssertionError(f"naive loops and cnncore disagree on {name}")


# --------------------------------------------------------------------------- rows


def ratio_text(ours_ms: float, torch_ms: float | None, target: float) -> str:
    if torch_ms is None:
        return "n/a (torch not installed)"
    ratio = ours_ms / torch_ms
    verdict = "ok" if ratio <= target else "MISSED"
    return f"torch {torch_ms:8.2f} ms  ours/torch {ratio:5.2f}x (target <= {target}x: {verdict})"


def conv_row(torch, label, x_shape, w_shape, padding, dtype, with_naive):
    rng = np.random.default_rng(0)
    x = rng.standard_normal(x_shape).astype(dtype)
    w = rng.standard_normal(w_shape).astype(dtype)
    b = rng.standard_normal(w_shape[0]).astype(dtype)
    dout = rng.standard_normal((x_shape[0], w_shape[0], *x_shape[2:])).astype(dtype)

    def ours():
        _, cache = fn.conv2d_forward(x, w, b, padding=padding)
        return fn.conv2d_backward(dout, cache)

    reference = None
    if torch is not None:
        tensors = [torch.tensor(a, requires_grad=True) for a in (x, w, b)]
        grad = torch.tensor(dout)

        def reference():
            out = torch.nn.functional.conv2d(*tensors, padding=padding)
            out.backward(grad)
            for t in tensors:
                t.grad = None

    ours_ms, torch_ms = paired_median_ms(ours, reference)
    text = f"conv2d fwd+bwd {label} {np.dtype(dtype).name:7s}: ours {ours_ms:8.2f} ms"
    if with_naive:
        k = NAIVE_SAMPLES
        check_naive_agrees(x[:k], w, b, dout[:k], padding)
        naive_ms = median_ms(
            lambda: naive_conv2d_forward_backward(x[:k], w, b, dout[:k], padding), repeats=3, warmup=1
        ) * (x_shape[0] / k)
        text += f"  naive loops ~{naive_ms / 1e3:6.2f} s (= {naive_ms / ours_ms:,.0f}x ours)"
    return f"{text}\n    {ratio_text(ours_ms, torch_ms, CONV_TARGETS[dtype])}"


def maxpool_row(torch, dtype):
    rng = np.random.default_rng(1)
    x = rng.standard_normal(POOL_SHAPE).astype(dtype)
    dout = rng.standard_normal((*POOL_SHAPE[:2], POOL_SHAPE[2] // 2, POOL_SHAPE[3] // 2)).astype(dtype)

    def ours():
        _, cache = fn.max_pool2d_forward(x, 2)
        return fn.max_pool2d_backward(dout, cache)

    reference = None
    if torch is not None:
        tx, grad = torch.tensor(x, requires_grad=True), torch.tensor(dout)

        def reference():
            torch.nn.functional.max_pool2d(tx, 2).backward(grad)
            tx.grad = None

    ours_ms, torch_ms = paired_median_ms(ours, reference, repeats=31)
    label = f"max_pool2d 2x2 fwd+bwd x{POOL_SHAPE} ({np.prod(POOL_SHAPE):,} el.) {np.dtype(dtype).name:7s}"
    return f"{label}: ours {ours_ms:8.2f} ms\n    {ratio_text(ours_ms, torch_ms, POOL_TARGET)}"


def training_iteration_row():
    try:
        from cnncore import scenarios

        scenarios.run("training-iteration")
    except Exception as error:  # any failure of the other module must not stop the benchmark
        return f"training-iteration: scenario not available ({type(error).__name__}: {error})"
    run_ms = median_ms(lambda: scenarios.run("training-iteration"), repeats=15)
    verdict = "ok" if run_ms < TRAINING_TARGET_MS else "MISSED"
    return (
        f"training-iteration scenario (cnncore.scenarios.run, default params, seed 0): "
        f"{run_ms:.2f} ms (target < {TRAINING_TARGET_MS:.0f} ms: {verdict})"
    )


def target_summary(rows: list[str]) -> str:
    """Return how many targets the printed rows met, missed, or could not measure."""
    text = "\n".join(rows)
    met, missed = text.count(": ok)"), text.count(": MISSED)")
    unmeasured = text.count("n/a (torch not installed)") + text.count("scenario not available")
    if missed == unmeasured == 0:
        return f"all {met} met"
    return f"{met} met, {missed} MISSED, {unmeasured} not measured"


def environment_lines(threads: str, torch) -> list[str]:
    blas_env = {k: os.environ.get(k, "unset") for k in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")}
    torch_text = (
        f"torch {torch.__version__} ({torch.get_num_threads()} thread)" if torch else "torch not installed"
    )
    return [
        f"python {platform.python_version()}, numpy {np.__version__}, {torch_text}",
        f"threads: {threads}",
        "env: " + ", ".join(f"{k}={v}" for k, v in blas_env.items()),
        "figures: wall time in ms, median of 21+ runs after warm-up; ours and torch run alternately",
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m cnncore.bench", description=__doc__.splitlines()[0])
    parser.add_argument("--no-naive", action="store_true", help="skip the slow naive-loop timings")
    args = parser.parse_args(argv)

    threads, _limit = limit_threads()
    torch = import_torch()
    print("\n".join(environment_lines(threads, torch)))
    if not args.no_naive:
        print(
            f"naive loops (float64 rows): one Python iteration per output element, timed on "
            f"{NAIVE_SAMPLES} sample(s), 3 repeats, scaled linearly to the batch"
        )
    print()
    rows = []
    for label, x_shape, w_shape, padding in CONV_CASES:
        for dtype in (np.float64, np.float32):
            with_naive = not args.no_naive and dtype == np.float64
            rows.append(conv_row(torch, label, x_shape, w_shape, padding, dtype, with_naive))
            print(rows[-1], flush=True)
    for dtype in (np.float32, np.float64):
        rows.append(maxpool_row(torch, dtype))
        print(rows[-1], flush=True)
    rows.append(training_iteration_row())
    print(rows[-1])
    print(f"\ntargets: {target_summary(rows)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
