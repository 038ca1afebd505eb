"""The real question bank: it validates, every parameterised answer is recomputed independently
with cnncore for many seeds, and every question's lab link reproduces its numbers."""

import json
import math
import re
from pathlib import Path

import numpy as np
import pytest
from django.conf import settings
from django.urls import reverse

from cnncore import scenarios
from quizzes.content.bank import load_bank
from quizzes.content.templating import display
from quizzes.content.validate import validate_bank
from quizzes.content.variants import build_variant, draw_params

BANK = load_bank(Path(settings.BASE_DIR) / "content")
PARAMETERISED = [q for q in BANK.questions if q.is_parameterised]
SEEDS = range(25)
SINGLE_PLACEHOLDER = re.compile(r"^\{\{\s*(results|misconceptions)\.([\w.]+)\s*(?::\s*([^}]*?)\s*)?\}\}$")


def _value(trace, name):
    return trace.results[name].value


# Independent recomputations of results the bank asks about, from other results and params.
RECOMPUTE = {
    ("conv-output-size", "out_h"): lambda t, p: (p["input_height"] + 2 * p["padding"] - p["kernel_size"])
    // p["stride"] + 1 if p["kernel_size"] <= p["input_height"] + 2 * p["padding"] else 0,
    ("conv-output-size", "out_w"): lambda t, p: (p["input_width"] + 2 * p["padding"] - p["kernel_size"])
    // p["stride"] + 1 if p["kernel_size"] <= p["input_width"] + 2 * p["padding"] else 0,
    ("conv-window", "value"): lambda t, p: float(np.sum(_value(t, "window") * _value(t, "kernel")) + _value(t, "bias")),
    ("conv-window", "sum_of_products"): lambda t, p: float(np.sum(_value(t, "products"))),
    ("training-iteration", "updated_weight"): lambda t, p: _value(t, "weight_before")
    - _value(t, "learning_rate") * _value(t, "weight_gradient"),
    ("training-loop", "iterations_per_epoch"): lambda t, p: math.ceil(_value(t, "examples") / _value(t, "batch_size")),
    ("training-loop", "total_iterations"): lambda t, p: math.ceil(_value(t, "examples") / _value(t, "batch_size"))
    * _value(t, "epochs"),
    ("activation-derivatives", "sigmoid_derivative"): lambda t, p: _value(t, "sigmoid_value")
    * (1 - _value(t, "sigmoid_value")),
    ("activation-derivatives", "tanh_derivative"): lambda t, p: 1 - _value(t, "tanh_value") ** 2,
    ("loss-functions", "cross_entropy"): lambda t, p: -math.log(_value(t, "target_probability")),
    ("chain-rule-mlp", "loss"): lambda t, p: 0.5 * (p["target"] - _value(t, "prediction")) ** 2,
}


def test_the_real_bank_validates_without_problems():
    assert [str(error) for error in validate_bank(BANK)] == []


def test_the_bank_is_big_and_broad_enough():
    topics = {q.topic for q in BANK.questions}
    assert len(BANK.questions) >= 60 and len(topics) >= 8 and len(PARAMETERISED) >= 20
    assert {q.difficulty for q in BANK.questions} == {1, 2, 3}
    assert len(BANK.exams) >= 3


@pytest.mark.parametrize("question", PARAMETERISED, ids=lambda q: q.id)
def test_parameterised_answers_match_a_fresh_cnncore_run(question):
    if question.answer is not None:
        return _check_numeric_answers(question)
    correct = next(c for c in question.choices if c.correct)
    match = SINGLE_PLACEHOLDER.match(correct.text.strip())
    for seed in SEEDS:
        variant = build_variant(question, seed, render=False)
        params = draw_params(question, seed)
        trace = scenarios.run(question.scenario, params, seed=seed)  # fresh, not the cached run
        shown = variant.correct_choice.text
        if match and match.group(1) == "results":
            name = match.group(2).split(".")[0]
            assert shown == display(_lookup(trace.result_values(), match.group(2)), match.group(3) or ""), (seed, shown)
            recompute = RECOMPUTE.get((question.scenario, name))
            if recompute is not None and "." not in match.group(2):
                expected = recompute(trace, trace.params)
                assert np.isclose(float(_value(trace, name)), float(expected), rtol=1e-9, atol=1e-12), (seed, name)
        wrong = [c.text for c in variant.choices if not c.correct]
        assert shown not in wrong


def _check_numeric_answers(question):
    """A typed answer's key is the unrounded value of a fresh run (and its independent recomputation)."""
    match = SINGLE_PLACEHOLDER.match(question.answer.value.strip())
    assert match and match.group(1) == "results", question.answer.value
    for seed in SEEDS:
        key = build_variant(question, seed, render=False).answer
        trace = scenarios.run(question.scenario, draw_params(question, seed), seed=seed)
        assert key.value == pytest.approx(float(_lookup(trace.result_values(), match.group(2))), rel=1e-12)
        recompute = RECOMPUTE.get((question.scenario, match.group(2)))
        if recompute is not None:
            assert np.isclose(key.value, float(recompute(trace, trace.params)), rtol=1e-9, atol=1e-12), seed
        for slug, wrong in key.misconceptions:
            assert not key.tolerance.allows(key.value, wrong), (seed, slug)


def _lookup(values, dotted):
    head, *rest = dotted.split(".")
    value = values[head]
    for part in rest:
        value = value[int(part)]
    return value


@pytest.mark.django_db
@pytest.mark.parametrize("question", BANK.questions, ids=lambda q: q.id)
def test_every_lab_link_resolves_and_reproduces_the_numbers(client, question):
    variant = build_variant(question, 7, render=False)
    page = client.get(reverse("lab_scenario", args=[variant.scenario]) + "?" + variant.lab_query)
    assert page.status_code == 200
    api = client.get(reverse("lab_api_scenario", args=[variant.scenario]) + "?" + variant.lab_query)
    assert api.status_code == 200
    expected = scenarios.run(variant.scenario, variant.params, seed=variant.scenario_seed).to_dict()
    assert api.json()["results"] == json.loads(json.dumps(expected["results"]))
