"""loss-functions: MSE (and 1/2 (t - y)^2), cross-entropy and binary cross-entropy on one prediction."""

from __future__ import annotations

import math

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


def check(p: dict) -> None:
    """Raise ParameterError unless the target class exists."""
    if p["target_class"] >= p["classes"]:
        raise out_of_range(
            "target_class", 0, p["classes"] - 1, p["target_class"], f"there are {p['classes']} classes"
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
    k, label, reduction = p["classes"], p["target_class"], p["reduction"]
    logits = np.round(rng.normal(0.0, p["logit_scale"], size=(1, k)), 2)
    probs = softmax(logits)
    target = np.eye(k)[[label]]
    trace.note(
        "The prediction and the target",
        f"Softmax turns the logits into probabilities; the true class is {label}, so the "
        f"one-hot target has a 1 there. The network gives it probability {fmt(probs[0, label])}.",
        logits=logits[0],
        probabilities=probs[0],
        target=target[0],
    )
    mse, dmse = mse_loss(probs, target, reduction=reduction)
    half, dhalf = half_squared_error(probs, target)
    ce, dce = cross_entropy_loss(logits, np.array([label]))
    bce, dbce = binary_cross_entropy_loss(probs, target, reduction=reduction)
    divisor = k if reduction == "mean" else 1
    losses = (
        (
            "mean squared error",
            mse,
            dmse,
            "probabilities",
            f"sum of (p - t)^2 over the K outputs{', divided by K' if divisor > 1 else ''}; "
            f"gradient 2 (p - t){' / K' if divisor > 1 else ''}.",
        ),
        (
            "1/2 (t - y)^2",
            half,
            dhalf,
            "probabilities",
            "the teaching material's form: half the summed square; its gradient is simply p - t.",
        ),
        (
            "cross-entropy",
            ce,
            dce,
            "logits",
            f"-log p[{label}] = -log {fmt(probs[0, label])}: only the true class's probability "
            "counts. Through softmax its gradient with respect to the logits is p - one-hot.",
        ),
        (
            "binary cross-entropy",
            bce,
            dbce,
            "probabilities",
            f"each output is its own yes/no question: -(t log p + (1 - t) log(1 - p)), "
            f"{'averaged' if divisor > 1 else 'summed'} over the K outputs; gradient "
            f"(p - t) / (p (1 - p)){' / K' if divisor > 1 else ''}.",
        ),
    )
    for title, value, gradient, wrt, text in losses:
        trace.add_step(
            "loss",
            title,
            explanation=text[0].upper() + text[1:],
            arrays={f"gradient_wrt_{wrt}": gradient},
            scalars={"loss": value},
        )

    p_true = float(probs[0, label])
    trace.add_result("probabilities", probs[0], "softmax(logits) (K,)")
    trace.add_result("target_probability", p_true, "the probability of the true class")
    trace.add_result("mse", mse, f"mean squared error ({reduction})")
    trace.add_result("half_squared_error", half, "1/2 sum (t - p)^2")
    trace.add_result("cross_entropy", ce, "-log p[true class]")
    trace.add_result("binary_cross_entropy", bce, f"binary cross-entropy ({reduction})")
    trace.add_result("mse_gradient", dmse[0], "dMSE/dp (K,)")
    trace.add_result("cross_entropy_gradient", dce[0], "dCE/dlogits = p - one-hot (K,)")
    trace.add_result("bce_gradient", dbce[0], "dBCE/dp (K,)")
    trace.add_result(
        "cross_entropy_gradient_true", float(dce[0, label]), "dCE/dlogit of the true class = p - 1"
    )

    summed = mse * divisor
    if reduction == "mean":
        trace.add_misconception(
            "mse", "sum_instead_of_mean", summed, "summed the squares instead of averaging them"
        )
    else:
        trace.add_misconception(
            "mse", "mean_instead_of_sum", summed / k, "averaged the squares instead of summing them"
        )
    trace.add_misconception(
        "mse",
        "forgot_square",
        float(np.abs(probs - target).sum()) / divisor,
        "used |p - t| instead of (p - t)^2",
    )
    trace.add_misconception("half_squared_error", "forgot_half", 2 * half, "forgot the 1/2")
    trace.add_misconception(
        "cross_entropy", "forgot_minus", math.log(p_true), "forgot the minus sign: log p is negative"
    )
    trace.add_misconception(
        "cross_entropy", "log10", -math.log10(p_true), "used log base 10 instead of the natural log"
    )
    trace.add_misconception(
        "cross_entropy", "used_logit", -float(logits[0, label]), "took -logit instead of -log softmax"
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
        -math.log(p_true) / divisor,
        "counted only the true class's term, not the (1 - t) terms",
    )
