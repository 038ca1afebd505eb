"""Tests of cnncore.scenarios: registry, validation, bounds, determinism and every scenario's numbers.

``HEAVIEST`` holds, per scenario, the parameters that cost the most time and memory (the
largest arrays, the most iterations without an early stop); the tests assert on sizes only.
"""

import json

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cnncore import scenarios
from cnncore.scenarios import Param, ParameterError, UnknownScenario
from cnncore.scenarios.params import OUT_OF_RANGE, SEED_RANGE
from cnncore.scenarios.registry import TOPICS
from tests.cnncore.scenarios.helpers import array_sizes

NAMES = [s.name for s in scenarios.all_scenarios()]
RANDOM_FREE = {"conv-output-size", "parameter-count", "activation-derivatives"}  # same numbers for every seed
MAX_ARRAY_ELEMENTS = 10_000
MAX_TRACE_ELEMENTS = 150_000  # training-iteration with 8 filters: ~140k values

HEAVIEST = {
    "training-iteration": {"filters": 8, "learning_rate": 10, "iterations": 30},
    "chain-rule-mlp": {"inputs": 4, "hidden": 4, "activation": "tanh"},
    "loss-functions": {"classes": 6, "target_class": 5, "logit_scale": 5, "reduction": "sum"},
    "learning-rate": {"iterations": 60, "examples": 32, "small_learning_rate": 0.0001,
                      "good_learning_rate": 0.0001, "large_learning_rate": 0.0001},
    "initialization": {"filters": 6, "iterations": 60, "learning_rate": 0.001, "init_value": 1},
    "activation-derivatives": {"points": 41, "depth": 20, "weight": 4, "x_range": 10,
                               "preactivation": 6},
    "conv-window": {"input_size": 8, "in_channels": 3, "kernel_size": 5, "stride": 1,
                    "padding": 2, "row": 7, "col": 7, "integer_values": False},
    "conv-forward": {"in_channels": 3, "out_channels": 4, "input_size": 10, "kernel_size": 1,
                     "padding": 2},
    "conv-backward": {"in_channels": 3, "out_channels": 3, "input_size": 7, "kernel_size": 1,
                      "padding": 1},
    "conv-output-size": {"input_height": 64, "input_width": 64, "kernel_size": 1, "padding": 5},
    "maxpool-routing": {"input_size": 8, "kernel_size": 2, "stride": 1, "max_value": 99},
    "parameter-count": {"input_size": 32, "conv1_filters": 32, "conv2_filters": 32,
                        "kernel_size": 1, "padding": 3, "pool": False, "classes": 10},
    "training-loop": {"examples": 64, "batch_size": 1, "epochs": 8, "learning_rate": 0.001,
                      "noise": 1},
}




# -- the registry -------------------------------------------------------------------------------


def test_the_thirteen_scenarios_are_registered_in_teaching_order():
    assert sorted(NAMES) == sorted([
        "conv-window", "conv-output-size", "conv-forward", "conv-backward", "maxpool-routing",
        "activation-derivatives", "chain-rule-mlp", "loss-functions", "training-iteration",
        "learning-rate", "initialization", "parameter-count", "training-loop",
    ])
    topics = [TOPICS.index(s.topic) for s in scenarios.all_scenarios()]
    assert topics == sorted(topics)
    assert NAMES.index("conv-window") < NAMES.index("conv-forward") < NAMES.index("conv-backward")
    assert set(TOPICS) == {s.topic for s in scenarios.all_scenarios()}


@pytest.mark.parametrize("name", NAMES)
def test_scenario_describes_itself(name):
    scenario = scenarios.get(name)
    assert scenario.title and scenario.summary and "\n" not in scenario.summary
    assert all(isinstance(p, Param) and p.help for p in scenario.params)
    data = json.loads(json.dumps(scenario.to_dict()))
    assert data["name"] == name and len(data["params"]) == len(scenario.params)


def test_unknown_scenario_is_a_lookup_error_listing_the_names():
    with pytest.raises(UnknownScenario, match="unknown scenario 'conv-windw'; known scenarios: ") as info:
        scenarios.get("conv-windw")
    assert isinstance(info.value, LookupError) and "conv-window" in str(info.value)
    with pytest.raises(LookupError):
        scenarios.run("nope")


# -- running: defaults, bounds, determinism -----------------------------------------------------


@pytest.mark.parametrize("name", NAMES)
def test_runs_with_defaults_and_serialises_to_finite_json(name):
    trace = scenarios.run(name)
    assert trace.scenario == name and trace.params == scenarios.get(name).defaults()
    text = json.dumps(trace.to_dict(), allow_nan=False)
    assert json.loads(text)["results"]
    assert trace.results and trace.misconceptions
    for wrongs in trace.misconceptions.values():
        for wrong in wrongs.values():
            assert wrong.result in trace.results and wrong.description
    assert all(r.description for r in trace.results.values())
    assert trace.to_text().startswith("== ")


@pytest.mark.parametrize("name", NAMES)
def test_heaviest_bounds_run_and_stay_small(name):
    trace = scenarios.run(name, HEAVIEST[name], seed=123)
    json.dumps(trace.to_dict(), allow_nan=False)
    sizes = array_sizes(trace)
    assert max(sizes, default=0) <= MAX_ARRAY_ELEMENTS
    assert sum(sizes) <= MAX_TRACE_ELEMENTS
    assert len(trace.steps) <= 200


def extreme_params(scenario):
    """Yield single-parameter extremes: each number at min and max, every choice and bool."""
    for param in scenario.params:
        if param.kind in ("int", "float"):
            yield {param.name: param.min}
            yield {param.name: param.max}
        elif param.kind == "choice":
            for choice in param.choices:
                yield {param.name: choice}
        else:
            yield {param.name: not param.default}


@pytest.mark.parametrize("name", NAMES)
def test_each_parameter_at_its_bounds_runs_or_names_the_conflict(name):
    scenario = scenarios.get(name)
    for params in extreme_params(scenario):
        try:
            trace = scenario.run(params, seed=5)
        except ParameterError as error:  # a combination the scenario refuses, e.g. row outside
            assert error.param in {p.name for p in scenario.params}
            assert error.param in str(error)
            continue
        json.dumps(trace.to_dict(), allow_nan=False)
        assert sum(array_sizes(trace)) <= MAX_TRACE_ELEMENTS


@pytest.mark.parametrize("name", NAMES)
def test_same_seed_gives_the_same_trace(name):
    assert scenarios.run(name, seed=7).to_dict() == scenarios.run(name, seed=7).to_dict()


@pytest.mark.parametrize("name", [n for n in NAMES if n not in RANDOM_FREE])
def test_different_seeds_give_different_numbers(name):
    assert scenarios.run(name, seed=1).to_dict()["results"] != scenarios.run(name, seed=2).to_dict()["results"]


@pytest.mark.parametrize("name", sorted(RANDOM_FREE))
def test_seed_free_scenarios_ignore_the_seed(name):
    assert scenarios.run(name, seed=1).to_dict()["results"] == scenarios.run(name, seed=2).to_dict()["results"]


@pytest.mark.parametrize("name", NAMES)
def test_distractors_differ_from_the_answer(name):
    trace = scenarios.run(name, seed=3)
    for result_name in trace.misconceptions:
        answer = trace.results[result_name].value
        for wrong in trace.distractors(result_name):
            assert not np.array_equal(np.asarray(wrong.value, dtype=object), np.asarray(answer, dtype=object))


# -- validation ---------------------------------------------------------------------------------


def test_out_of_range_error_names_the_parameter_bound_and_value():
    with pytest.raises(ParameterError) as info:
        scenarios.run("training-iteration", {"learning_rate": 50})
    assert info.value.param == "learning_rate"
    assert str(info.value) == "learning_rate must be between 0.0001 and 10, got 50"
    assert str(info.value) == OUT_OF_RANGE.format(name="learning_rate", min="0.0001", max="10", value="50")
    assert isinstance(info.value, ValueError)


def test_strings_from_a_query_are_parsed_and_defaults_filled():
    scenario = scenarios.get("conv-window")
    values = scenario.validate({"stride": "2", "padding": "1", "integer_values": "false",
                                "kernel-size": "3.0"})
    assert values == {**scenario.defaults(), "stride": 2, "padding": 1, "integer_values": False,
                      "kernel_size": 3}
    assert scenarios.get("training-iteration").validate({"learning_rate": "0.5"})["learning_rate"] == 0.5


@pytest.mark.parametrize(("name", "raw", "param", "message"), [
    ("conv-window", {"stride": "two"}, "stride", "stride must be a whole number, got 'two'"),
    ("conv-window", {"stride": 1.5}, "stride", "stride must be a whole number, got 1.5"),
    ("conv-window", {"stride": True}, "stride", "stride must be a whole number, got True"),
    ("conv-window", {"stride": 9}, "stride", "stride must be between 1 and 3, got 9"),
    ("conv-window", {"integer_values": "maybe"}, "integer_values",
     "integer_values must be true or false, got 'maybe'"),
    ("training-iteration", {"learning_rate": "nan"}, "learning_rate",
     "learning_rate must be a finite number, got 'nan'"),
    ("training-iteration", {"label": "horse"}, "label", "label must be one of dog, cat, bird, got 'horse'"),
    ("conv-window", {"colour": 1}, "colour",
     "conv-window has no parameter 'colour'; its parameters are input_size, in_channels, "
     "kernel_size, stride, padding, row, col, integer_values"),
    ("conv-window", {"kernel_size": 3, "kernel-size": 2}, "kernel_size",
     "kernel_size is given twice (as kernel_size and with hyphens)"),
    ("conv-window", {"row": 3}, "row", "row must be between 0 and 2, got 3 (the output is 3x3)"),
    ("conv-window", {"kernel_size": 5, "input_size": 3}, "kernel_size",
     "kernel_size must be between 1 and 3, got 5 (the kernel must fit in the padded input)"),
    ("loss-functions", {"target_class": 4}, "target_class",
     "target_class must be between 0 and 2, got 4 (there are 3 classes)"),
    ("maxpool-routing", {"input_size": 2, "kernel_size": 3}, "kernel_size",
     "kernel_size must be between 2 and 2, got 3 (the window must fit in the input)"),
    ("parameter-count", {"input_size": 4, "kernel_size": 5, "padding": 0}, "input_size",
     "input_size must be between 16 and 32, got 4 (smaller inputs shrink to nothing in this network)"),
])
def test_invalid_values_raise_parameter_error_naming_the_parameter(name, raw, param, message):
    with pytest.raises(ParameterError) as info:
        scenarios.get(name).validate(raw)
    assert info.value.param == param
    assert str(info.value) == message


@pytest.mark.parametrize("seed", [-1, 2**32, "abc", True, 1.5])
def test_invalid_seeds_raise_parameter_error(seed):
    with pytest.raises(ParameterError) as info:
        scenarios.run("conv-window", seed=seed)
    assert info.value.param == "seed"
    assert str(info.value) == SEED_RANGE.format(value=seed)


def test_largest_seed_and_string_seed_are_accepted():
    assert scenarios.run("conv-window", seed=2**32 - 1).seed == 2**32 - 1
    assert scenarios.run("conv-window", seed="12").seed == 12


def test_param_schema_checks_its_own_default():
    with pytest.raises(ValueError, match="invalid default"):
        Param("x", "int", 20, min=0, max=10, help="")
    assert Param("x", "float", 1, min=0, max=10, help="").default == 1.0


@settings(max_examples=40, deadline=None)
@given(value=st.integers(min_value=-5, max_value=15))
def test_int_parameters_accept_their_range_as_strings_and_refuse_the_rest(value):
    param = Param("size", "int", 3, min=1, max=8, help="")
    if 1 <= value <= 8:
        assert param.parse(str(value)) == value
    else:
        with pytest.raises(ParameterError, match="size must be between 1 and 8"):
            param.parse(str(value))
