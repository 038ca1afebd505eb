"""Every sentence a scenario says about its run is checked against the run's own numbers.

Over many seeds (and parameters drawn from the seed), each scenario's notes are read for
the sentences that describe what happened ("nearly uniform", "lower", "overshot", "still
identical", "did not move" ...) and each one is checked against the results and curves of
the same run. A sentence that is true only for most seeds fails here.
"""

import re

import numpy as np
import pytest

from cnncore import scenarios
from cnncore.scenarios import training_iteration as ti
from cnncore.scenarios.learning_rate import BEHAVIOURS

SEEDS = range(200)


def value(trace, name):
    return trace.results[name].value


def note(trace, title_start):
    return next(s.explanation for s in trace.steps if s.kind == "note" and s.title.startswith(title_start))


def check_curve_sentence(text, curve):
    rises = [k for k in range(1, len(curve)) if curve[k] > curve[k - 1]]
    assert ("fell at every iteration" in text) == all(b < a for a, b in zip(curve, curve[1:], strict=False))
    assert ("ended higher than it started" in text) == (curve[-1] > curve[0])
    if "rose at iteration" in text:
        listed = [int(n) for n in re.search(r"rose at iterations? ([\d, ]+)", text)[1].split(",")]
        assert listed == rises[:len(listed)]
    if "converged" in text:
        tail = curve[-ti.SETTLED_POINTS:]
        assert max(tail) - min(tail) < ti.CONVERGED_CHANGE * curve[0]
        assert not rises and curve[-1] <= 0.5 * curve[0]
    assert ("barely moved" in text) == (not rises and curve[0] > curve[-1] > ti.BARELY * curve[0])


def training_iteration_params(seed):
    return {"label": ("dog", "cat", "bird")[seed % 3], "loss": ("mse", "cross_entropy")[seed // 3 % 2],
            "learning_rate": (0.05, 0.5, 3.0, 0.0001)[seed // 6 % 4], "iterations": (1, 6, 30)[seed // 24 % 3]}


@pytest.mark.parametrize("seed", SEEDS)
def test_training_iteration_says_only_what_its_numbers_show(seed):
    trace = scenarios.run("training-iteration", training_iteration_params(seed), seed=seed)
    intro = note(trace, "The image")
    p = value(trace, "probabilities_before")
    uniform = np.max(np.abs(p - 1 / 3)) <= ti.UNIFORM_TOLERANCE
    assert ("nearly uniform" in intro) == uniform
    assert ("not uniform" in intro) == (not uniform)
    if not uniform:
        assert f"favour {['dog', 'cat', 'bird'][int(np.argmax(p))]}" in intro
    after = note(trace, "After the update")
    before_loss, after_loss = value(trace, "loss_before"), value(trace, "loss_after")
    assert (", lower than" in after) == (after_loss < before_loss)
    assert ("the step overshot" in after) == (after_loss > before_loss)
    chain = note(trace, "Following the filter weight")
    assert f"dL/dw = {ti.fmt(value(trace, 'conv_weight_gradient'))}" in chain or "No gradient reaches" in chain
    if trace.params["iterations"] > 1:
        check_curve_sentence(note(trace, "Repeating the iteration"), list(value(trace, "loss_curve")))


@pytest.mark.parametrize("seed", SEEDS)
def test_initialization_says_only_what_its_numbers_show(seed):
    params = {"init_value": (0.1, 0.0, -0.4, 1.0)[seed % 4], "iterations": 5, "filters": 2 + seed % 3}
    trace = scenarios.run("initialization", params, seed=seed)
    constant = note(trace, "Constant")
    moved = value(trace, "filters_moved_constant")
    assert ("did not move at all" in constant) == (moved == 0)
    assert ("moved by up to" in constant) == (moved > 0)
    assert ("still identical" in constant or "stay identical" in constant) == value(trace, "filters_identical_constant")
    random = note(trace, "Random")
    spread = value(trace, "filter_spread_random")
    assert ("learns its own feature" in random) == ("did not move" not in random)
    assert spread > 0
    assert f"{value(trace, 'distinct_filters_random')} of {params['filters']} filters differ" in random \
        or "did not move" in random


@pytest.mark.parametrize("seed", range(0, 200, 5))
def test_learning_rate_names_each_curve_by_its_numbers(seed):
    trace = scenarios.run("learning-rate", {"iterations": 10, "examples": 8}, seed=seed)
    for rate in ("small", "good", "large"):
        curve = trace.series[f"loss_{rate}"].y
        kind = value(trace, f"behaviour_{rate}")
        text = next(s.explanation for s in trace.steps if s.title.endswith(f"({rate})"))
        assert BEHAVIOURS[kind] in text
        assert (kind == "diverges") == (curve[-1] > curve[0] or "blew up" in text)
        if kind in ("converges", "too slow", "stalls"):
            assert curve[-1] <= curve[0]
        if kind == "too slow":
            assert curve[-1] > 0.8 * curve[0]
        if kind == "converges":
            assert curve[-1] <= 0.8 * curve[0]


@pytest.mark.parametrize("seed", range(0, 200, 5))
def test_training_loop_says_it_blew_up_only_when_it_did(seed):
    params = {"epochs": 2, "examples": 16, "batch_size": 1 + seed % 2,
              "learning_rate": (0.1, 2.0)[seed % 2], "momentum": (0.0, 0.95)[seed % 2]}
    trace = scenarios.run("training-loop", params, seed=seed)
    blew_up = any("blew up" in s.title for s in trace.steps)
    assert blew_up == value(trace, "diverged")


@pytest.mark.parametrize("seed", range(0, 200, 4))
def test_activation_derivatives_says_vanishing_only_when_every_factor_shrinks(seed):
    weight = (0.5, 1.0, 3.9, 4.0)[seed % 4]
    trace = scenarios.run("activation-derivatives", {"weight": weight, "depth": 1 + seed % 20}, seed=seed)
    text = next(s.explanation for s in trace.steps if s.title.endswith("sigmoid layer(s)"))
    factors = np.abs(next(s for s in trace.steps if s.title.endswith("sigmoid layer(s)")).arrays["local_factors"])
    if "vanishes" in text:
        assert np.all(factors < 1)
    assert ("vanishes" in text) == (0.25 * weight < 1)


@pytest.mark.parametrize("seed", SEEDS)
def test_conv_backward_claims_equality_only_when_the_numbers_match(seed):
    params = {"in_channels": 1 + seed % 3, "kernel_size": 1 + seed % 4, "stride": 1 + seed % 2, "padding": seed % 2}
    trace = scenarios.run("conv-backward", params, seed=seed)
    if "equals conv2d_backward's dW" in note(trace, "dL/dW is"):
        assert value(trace, "dw_matches") is True
    if "equals conv2d_backward's dX" in note(trace, "dL/dX is"):
        assert value(trace, "dx_matches") is True


@pytest.mark.parametrize("seed", SEEDS)
def test_chain_rule_mlp_says_backprop_gives_the_same_number_only_when_it_does(seed):
    trace = scenarios.run("chain-rule-mlp", seed=seed)
    text = note(trace, "The chain rule for dL/dW1[0, 0]")
    product = float(re.search(r"= (-?[\d.e+-]+): the loss", text)[1])
    assert "computes the same number" in text
    assert product == pytest.approx(value(trace, "dw1_00"), rel=1e-3, abs=1e-6)


@pytest.mark.parametrize("seed", SEEDS)
def test_maxpool_routing_counts_the_ties_it_names(seed):
    trace = scenarios.run("maxpool-routing", {"max_value": 1 + seed % 9}, seed=seed)
    text = note(trace, "The first window")
    window = value(trace, "window")
    ties = int(np.sum(window == window.max()))
    assert (f"appears {ties} times" in text) == (ties > 1)


@pytest.mark.parametrize("height", [1, 3, 7, 32, 64])
@pytest.mark.parametrize("kernel", [1, 5, 11])
def test_conv_output_size_agrees_with_a_real_convolution_when_it_says_so(height, kernel):
    trace = scenarios.run("conv-output-size", {"input_height": height, "kernel_size": kernel, "stride": 2})
    checked = [s for s in trace.steps if s.title == "Checked with conv2d_forward"]
    if checked:
        shape = checked[0].scalars["output_shape"]
        assert f"{value(trace, 'out_h')}, {value(trace, 'out_w')})" in shape
