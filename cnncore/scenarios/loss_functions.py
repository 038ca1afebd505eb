"""loss-functions: MSE (and 1/2 (t - y)^2), cross-entropy and binary cross-entropy on one prediction.

Computing and telling are apart: ``compute`` draws the logits and returns a ``Losses`` of plain
numbers; ``intro_text``, ``loss_texts``, ``record_results`` and ``record_misconceptions`` turn
those numbers into the trace's notes, steps, results and misconceptions.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from cnncore.functional import softmax
from cnncore.losses import (
    binary_cross_entropy_loss,
    cross_entropy_loss,
    half_squared_error,
    mse_loss,
)
from cnncore.scenarios._common import fmt, out_of_range
from cnncore.scenarios.params import Param
from cnncore.scenarios.registry import register

PARAMS = (
    Param("classes", "int", 3, min=2, max=6, help="number of classes K"),
    Param("target_class", "int", 0, min=0, max=5, help="the true class"),
    Param(
        "logit_scale",
        "float",
        1.0,
        min=0.1,
        max=5,
        help="spread of the random logits (larger: a more confident prediction)",
    ),
    Param(
        "reduction",
        "choice",
        "mean",
        choices=("mean", "sum"),
        help="mean or sum over the K outputs for MSE and BCE",
    ),
)


@dataclass
class Losses:
    """The numbers of one prediction and its four losses (nothing here is text)."""

    label: int
    """The true class."""
    reduction: str
    """"mean" or "sum" over the K outputs (MSE and BCE)."""
    logits: np.ndarray
    """(1, K) the random logits, rounded to 2 decimals."""
    probabilities: np.ndarray
    """(1, K) softmax(logits)."""
    target: np.ndarray
    """(1, K) the one-hot target."""
    mse: float
    mse_gradient: np.ndarray
    """(1, K) dMSE/dp."""
    half: float
    """1/2 sum (t - p)^2."""
    half_gradient: np.ndarray
    """(1, K) p - t."""
    cross_entropy: float
    cross_entropy_gradient: np.ndarray
    """(1, K) dCE/dlogits = p - one-hot."""
    bce: float
    bce_gradient: np.ndarray
    """(1, K) dBCE/dp."""

    @property
    def classes(self) -> int:
        """Return K, the number of classes."""
        return self.logits.shape[1]

    @property
    def divisor(self) -> int:
        """Return what the sum over the K outputs is divided by: K for the mean, else 1."""
        return self.classes if self.reduction == "mean" else 1


def check(p: dict) -> None:
    """Raise ParameterError unless the target class exists."""
    if p["target_class"] >= p["classes"]:
        raise out_of_range(
            "target_class", 0, p["classes"] - 1, p["target_class"], f"there are {p['classes']} classes"
        )


def compute(p: dict, rng: np.random.Generator) -> Losses:
    """Return the four losses and their gradients for softmax(random logits) against a one-hot target."""
    k, label, reduction = p["classes"], p["target_class"], p["reduction"]
    logits = np.round(rng.normal(0.0, p["logit_scale"], size=(1, k)), 2)
    probs = softmax(logits)
    target = np.eye(k)[[label]]
    mse, dmse = mse_loss(probs, target, reduction=reduction)
    half, dhalf = half_squared_error(probs, target)
    ce, dce = cross_entropy_loss(logits, np.array([label]))
    bce, dbce = binary_cross_entropy_loss(probs, target, reduction=reduction)
    return Losses(
        label=label, reduction=reduction, logits=logits, probabilities=probs, target=target,
        mse=mse, mse_gradient=dmse, half=half, half_gradient=dhalf,
        cross_entropy=ce, cross_entropy_gradient=dce, bce=bce, bce_gradient=dbce,
    )


# -- telling: every text below is made from the numbers of ``Losses`` --------------------------


def intro_text(run: Losses) -> str:
    """Return the first note: softmax, the one-hot target and the true class's probability."""
    return (
        f"Softmax turns the logits into probabilities; the true class is {run.label}, so the "
        f"one-hot target has a 1 there. The network gives it probability "
        f"{fmt(run.probabilities[0, run.label])}."
    )


def loss_texts(run: Losses) -> tuple[tuple[str, float, np.ndarray, str, str], ...]:
    """Return ``(title, loss, gradient (1, K), what it is taken with respect to, text)`` per loss."""
    label, probs, divisor = run.label, run.probabilities, run.divisor
    return (
        (
            "mean squared error",
            run.mse,
            run.mse_gradient,
            "probabilities",
            f"sum of (p - t)^2 over the K outputs{', divided by K' if divisor > 1 else ''}; "
            f"gradient 2 (p - t){' / K' if divisor > 1 else ''}.",
        ),
        (
            "1/2 (t - y)^2",
            run.half,
            run.half_gradient,
            "probabilities",
            "the teaching material's form: half the summed square; its gradient is simply p - t.",
        ),
        (
            "cross-entropy",
            run.cross_entropy,
            run.cross_entropy_gradient,
            "logits",
            f"-log p[{label}] = -log {fmt(probs[0, label])}: only the true class's probability "
            "counts. Through softmax its gradient with respect to the logits is p - one-hot.",
        ),
        (
            "binary cross-entropy",
            run.bce,
            run.bce_gradient,
            "probabilities",
            f"each output is its own yes/no question: -(t log p + (1 - t) log(1 - p)), "
            f"{'averaged' if divisor > 1 else 'summed'} over the K outputs; gradient "
            f"(p - t) / (p (1 - p)){' / K' if divisor > 1 else ''}.",
        ),
    )


def record_losses(run: Losses, trace) -> None:
    """Record one "loss" step per loss: its value, its gradient and what it means."""
    for title, value, gradient, wrt, text in loss_texts(run):
        trace.add_step(
            "loss",
            title,
            explanation=text[0].upper() + text[1:],
            arrays={f"gradient_wrt_{wrt}": gradient},
            scalars={"loss": value},
        )


def record_results(run: Losses, trace) -> None:
    """Record the probabilities, the four losses and their gradients."""
    label, reduction = run.label, run.reduction
    trace.add_result("probabilities", run.probabilities[0], "softmax(logits) (K,)")
    trace.add_result("target_probability", float(run.probabilities[0, label]), "the probability of the true class")
    trace.add_result("mse", run.mse, f"mean squared error ({reduction})")
    trace.add_result("half_squared_error", run.half, "1/2 sum (t - p)^2")
    trace.add_result("cross_entropy", run.cross_entropy, "-log p[true class]")
    trace.add_result("binary_cross_entropy", run.bce, f"binary cross-entropy ({reduction})")
    trace.add_result("mse_gradient", run.mse_gradient[0], "dMSE/dp (K,)")
    trace.add_result("cross_entropy_gradient", run.cross_entropy_gradient[0], "dCE/dlogits = p - one-hot (K,)")
    trace.add_result("bce_gradient", run.bce_gradient[0], "dBCE/dp (K,)")
    trace.add_result(
        "cross_entropy_gradient_true",
        float(run.cross_entropy_gradient[0, label]),
        "dCE/dlogit of the true class = p - 1",
    )


def record_mse_misconceptions(run: Losses, trace) -> None:
    """Record the wrong MSE of the other reduction, of |p - t|, and 1/2 (t - y)^2 without the 1/2."""
    summed = run.mse * run.divisor
    if run.reduction == "mean":
        trace.add_misconception(
            "mse", "sum_instead_of_mean", summed, "summed the squares instead of averaging them"
        )
    else:
        trace.add_misconception(
            "mse", "mean_instead_of_sum", summed / run.classes, "averaged the squares instead of summing them"
        )
    trace.add_misconception(
        "mse",
        "forgot_square",
        float(np.abs(run.probabilities - run.target).sum()) / run.divisor,
        "used |p - t| instead of (p - t)^2",
    )
    trace.add_misconception("half_squared_error", "forgot_half", 2 * run.half, "forgot the 1/2")


def record_cross_entropy_misconceptions(run: Losses, trace) -> None:
    """Record the wrong cross-entropies, its gradient without the - 1, and BCE of the true class only."""
    p_true = float(run.probabilities[0, run.label])
    trace.add_misconception(
        "cross_entropy", "forgot_minus", math.log(p_true), "forgot the minus sign: log p is negative"
    )
    trace.add_misconception(
        "cross_entropy", "log10", -math.log10(p_true), "used log base 10 instead of the natural log"
    )
    trace.add_misconception(
        "cross_entropy", "used_logit", -float(run.logits[0, run.label]), "took -logit instead of -log softmax"
    )
    trace.add_misconception(
        "cross_entropy_gradient_true",
        "forgot_minus_one",
        p_true,
        "used p instead of p - 1 for the true class",
    )
    trace.add_misconception(
        "binary_cross_entropy",
        "only_true_class",
        -math.log(p_true) / run.divisor,
        "counted only the true class's term, not the (1 - t) terms",
    )


@register(
    name="loss-functions",
    title="Loss functions and their gradients on the same prediction",
    topic="loss-functions",
    summary=(
        "Compare MSE, 1/2 (t - y)^2, cross-entropy and binary cross-entropy, with "
        "gradients, on one prediction."
    ),
    params=PARAMS,
    check=check,
)
def build(p: dict, rng: np.random.Generator, trace) -> None:
    """Record each loss and its gradient for softmax(logits) against a one-hot target."""
    run = compute(p, rng)
    trace.note(
        "The prediction and the target",
        intro_text(run),
        logits=run.logits[0],
        probabilities=run.probabilities[0],
        target=run.target[0],
    )
    record_losses(run, trace)
    record_results(run, trace)
    record_mse_misconceptions(run, trace)
    record_cross_entropy_misconceptions(run, trace)
