"""Tests of cnncore.scenarios: registry, validation, bounds, determinism and every scenario's numbers.

``HEAVIEST`` holds, per scenario, the parameters that cost the most time and memory (the
largest arrays, the most iterations without an early stop); the tests assert on sizes only.
"""

import json
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cnncore import scenarios
from cnncore.functional import conv2d_backward, conv2d_forward, sigmoid_forward, softmax
from cnncore.scenarios import Param, ParameterError, UnknownScenario
from cnncore.scenarios.params import OUT_OF_RANGE, SEED_RANGE
from cnncore.scenarios.registry import TOPICS

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


def result(trace, name):
    return trace.results[name].value


def array_sizes(trace):
    sizes = [a.size for step in trace.steps for a in step.arrays.values()]
    sizes += [r.value.size for r in trace.results.values() if isinstance(r.value, np.ndarray)]
    return sizes


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


# -- each scenario's numbers agree with an independent recomputation ----------------------------


@settings(max_examples=30, deadline=None)
@given(size=st.integers(3, 8), channels=st.integers(1, 3), kernel=st.integers(1, 5),
       stride=st.integers(1, 3), padding=st.integers(0, 2), row=st.integers(0, 11),
       col=st.integers(0, 11), seed=st.integers(0, 2**32 - 1))
def test_conv_window_value_is_the_conv2d_output_element(size, channels, kernel, stride, padding,
                                                       row, col, seed):
    params = {"input_size": size, "in_channels": channels, "kernel_size": kernel,
              "stride": stride, "padding": padding, "row": row, "col": col}
    try:
        trace = scenarios.run("conv-window", params, seed=seed)
    except ParameterError:
        return
    forward = trace.steps_of("forward")[0]
    out, _ = conv2d_forward(forward.arrays["input"], forward.arrays["weight"],
                            forward.arrays["bias"], stride=stride, padding=padding)
    assert result(trace, "value") == pytest.approx(out[0, 0, row, col], abs=1e-12)
    assert result(trace, "value") == pytest.approx(
        result(trace, "sum_of_products") + result(trace, "bias"), abs=1e-12)
    np.testing.assert_allclose(result(trace, "products"),
                               result(trace, "window") * result(trace, "kernel"))
    assert result(trace, "out_h") == out.shape[2]


def test_conv_window_flipped_kernel_misconception_is_a_true_convolution():
    trace = scenarios.run("conv-window", {"row": 1, "col": 1}, seed=4)
    window, kernel = result(trace, "window"), result(trace, "kernel")
    flipped = (window * kernel[:, ::-1, ::-1]).sum() + result(trace, "bias")
    assert trace.misconceptions["value"]["flipped_kernel"].value == pytest.approx(flipped)


@settings(max_examples=60, deadline=None)
@given(height=st.integers(1, 64), width=st.integers(1, 64), kernel=st.integers(1, 11),
       stride=st.integers(1, 5), padding=st.integers(0, 5))
def test_conv_output_size_matches_conv2d_forward_or_says_it_does_not_fit(height, width, kernel,
                                                                        stride, padding):
    trace = scenarios.run("conv-output-size", {"input_height": height, "input_width": width,
                                               "kernel_size": kernel, "stride": stride,
                                               "padding": padding})
    fits = kernel <= min(height, width) + 2 * padding
    assert result(trace, "fits") == fits
    if fits:
        out, _ = conv2d_forward(np.zeros((1, 1, height, width)), np.zeros((1, 1, kernel, kernel)),
                                np.zeros(1), stride=stride, padding=padding)
        assert (result(trace, "out_h"), result(trace, "out_w")) == out.shape[2:]
        dropped = (height + 2 * padding - kernel) % stride
        assert result(trace, "unused_rows") == dropped
    else:
        assert 0 in (result(trace, "out_h"), result(trace, "out_w"))


def test_conv_output_size_misconceptions_are_the_classic_wrong_formulas():
    trace = scenarios.run("conv-output-size", {"input_height": 7, "kernel_size": 4, "stride": 2,
                                               "padding": 1})
    wrong = {name: m.value for name, m in trace.misconceptions["out_h"].items()}
    assert result(trace, "out_h") == 3  # (7 + 2 - 4) // 2 + 1
    assert wrong == {"forgot_padding": 2, "padding_once": 3, "forgot_plus_one": 2,
                     "forgot_stride": 6, "rounded_up": 4}
    assert result(trace, "exact") is False and result(trace, "unused_rows") == 1


@pytest.mark.parametrize("seed", range(3))
def test_conv_forward_output_matches_conv2d_forward(seed):
    trace = scenarios.run("conv-forward", {"in_channels": 3, "out_channels": 2, "stride": 2},
                          seed=seed)
    forward = trace.steps_of("forward")[0]
    out, _ = conv2d_forward(forward.arrays["input"], forward.arrays["weight"],
                            forward.arrays["bias"], stride=2, padding=1)
    np.testing.assert_allclose(result(trace, "output"), out[0], atol=1e-12)
    assert result(trace, "corner_value") == pytest.approx(out[0, 0, 0, 0])
    assert result(trace, "weight_count") == 2 * 3 * 3 * 3 + 2


@settings(max_examples=40, deadline=None)
@given(c=st.integers(1, 3), f=st.integers(1, 3), size=st.integers(3, 7), k=st.integers(1, 4),
       stride=st.integers(1, 2), padding=st.integers(0, 1), integer=st.booleans(),
       seed=st.integers(0, 1000))
def test_conv_backward_correlations_equal_conv2d_backward(c, f, size, k, stride, padding, integer,
                                                         seed):
    params = {"in_channels": c, "out_channels": f, "input_size": size, "kernel_size": k,
              "stride": stride, "padding": padding, "integer_values": integer}
    try:
        trace = scenarios.run("conv-backward", params, seed=seed)
    except ParameterError:
        return
    assert result(trace, "dw_matches") and result(trace, "dx_matches") and result(trace, "db_matches")
    forward = trace.steps_of("forward")[0]
    _, cache = conv2d_forward(forward.arrays["input"], forward.arrays["weight"],
                              forward.arrays["bias"], stride=stride, padding=padding)
    dx, dw, db = conv2d_backward(result(trace, "dout")[np.newaxis], cache)
    np.testing.assert_allclose(result(trace, "dw"), dw, atol=1e-12)
    np.testing.assert_allclose(result(trace, "dx"), dx[0], atol=1e-12)
    np.testing.assert_allclose(result(trace, "db"), db, atol=1e-12)


@pytest.mark.parametrize(("params", "seed"), [({}, 0), ({"stride": 1, "kernel_size": 3,
                                                         "input_size": 6, "max_value": 3}, 1)])
def test_maxpool_routes_each_gradient_to_its_window_maximum(params, seed):
    trace = scenarios.run("maxpool-routing", params, seed=seed)
    window, dout, dx = result(trace, "window"), result(trace, "dout"), result(trace, "dx")
    row, col = result(trace, "max_position")
    assert result(trace, "max_value") == window.max() == window[row, col]
    first = np.flatnonzero(window.ravel() == window.max())[0]
    assert (row, col) == divmod(int(first), window.shape[1])
    assert dx.sum() == pytest.approx(dout.sum())  # every gradient lands somewhere, once
    if params.get("stride", 2) == params.get("kernel_size", 2):
        assert result(trace, "routed_gradient") == dout[0, 0]
        assert np.count_nonzero(dx[:2, :2]) == 1


def test_activation_derivatives_match_the_formulas_and_the_chain_product():
    trace = scenarios.run("activation-derivatives", {"preactivation": -1.5, "depth": 7,
                                                     "weight": 1.5})
    s = float(sigmoid_forward(np.array(-1.5))[0])
    assert result(trace, "sigmoid_derivative") == pytest.approx(s * (1 - s), rel=1e-14)
    assert result(trace, "tanh_derivative") == pytest.approx(1 - math.tanh(-1.5) ** 2, rel=1e-14)
    assert result(trace, "relu_derivative") == 0.0 and result(trace, "relu_chain_gradient") == 0.0
    chain = next(step for step in trace.steps if step.title.startswith("Backward through 7 sigmoid"))
    assert result(trace, "sigmoid_chain_gradient") == pytest.approx(
        np.prod(chain.arrays["local_factors"]), rel=1e-12)
    assert abs(result(trace, "sigmoid_chain_gradient")) <= result(trace, "sigmoid_chain_bound")
    z, expected = -1.5, 1.0  # the chain by hand: a <- sigmoid(w a), gradient *= w s (1 - s)
    for _ in range(7):
        a = 1 / (1 + math.exp(-1.5 * z))
        expected *= 1.5 * a * (1 - a)
        z = a
    assert result(trace, "sigmoid_chain_gradient") == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize("activation", ["relu", "sigmoid", "tanh"])
def test_chain_rule_product_equals_backprop_and_a_numerical_derivative(activation):
    trace = scenarios.run("chain-rule-mlp", {"activation": activation, "inputs": 3, "hidden": 3},
                          seed=11)
    assert result(trace, "chain_matches_backward")
    fc1, fc2 = trace.steps_of("forward")[0], trace.steps_of("forward")[2]
    x, w1, b1 = fc1.arrays["input"], fc1.arrays["weight"], fc1.arrays["bias"]
    w2, b2 = fc2.arrays["weight"], fc2.arrays["bias"]
    act = {"relu": lambda z: np.maximum(z, 0), "sigmoid": lambda z: 1 / (1 + np.exp(-z)),
           "tanh": np.tanh}[activation]

    def loss(w00):
        w = w1.copy()
        w[0, 0] = w00
        y = act(x @ w.T + b1) @ w2.T + b2
        return 0.5 * (1.0 - y[0, 0]) ** 2

    h = 1e-6
    numerical = (loss(w1[0, 0] + h) - loss(w1[0, 0] - h)) / (2 * h)
    assert result(trace, "dw1_00") == pytest.approx(numerical, rel=1e-6, abs=1e-10)
    assert result(trace, "loss") == pytest.approx(loss(w1[0, 0]), rel=1e-14)


def test_loss_functions_agree_with_their_formulas():
    trace = scenarios.run("loss-functions", {"classes": 4, "target_class": 2}, seed=5)
    p = result(trace, "probabilities")
    t = np.eye(4)[2]
    assert p.sum() == pytest.approx(1.0)
    assert result(trace, "cross_entropy") == pytest.approx(-math.log(p[2]))
    assert result(trace, "mse") == pytest.approx(np.mean((p - t) ** 2))
    assert result(trace, "half_squared_error") == pytest.approx(0.5 * np.sum((t - p) ** 2))
    assert result(trace, "binary_cross_entropy") == pytest.approx(
        -np.mean(t * np.log(p) + (1 - t) * np.log(1 - p)))
    np.testing.assert_allclose(result(trace, "cross_entropy_gradient"), p - t)
    summed = scenarios.run("loss-functions", {"classes": 4, "target_class": 2, "reduction": "sum"},
                           seed=5)
    assert result(summed, "mse") == pytest.approx(4 * result(trace, "mse"))
    assert trace.misconceptions["mse"]["sum_instead_of_mean"].value == pytest.approx(result(summed, "mse"))


def test_training_iteration_records_forward_loss_backward_update_in_order():
    trace = scenarios.run("training-iteration")
    kinds = [s.kind for s in trace.steps if s.kind != "note"]
    assert kinds == ["forward"] * 5 + ["loss"] + ["backward"] * 5 + ["update"] * 4
    assert [s.layer for s in trace.steps_of("forward")] == ["conv1", "relu1", "pool1", "flatten1", "fc1"]
    assert trace.steps_of("forward")[0].arrays["input"].shape == (1, 3, 32, 32)
    loss_step = trace.steps_of("loss")[0]
    assert loss_step.scalars["loss"] == result(trace, "loss_before")
    row, col = result(trace, "weight_index")
    fc1_update = trace.steps_of("update")[2]
    assert fc1_update.title == "update fc1.weight"
    assert fc1_update.arrays["after"][row, col] == result(trace, "updated_weight")


def test_learning_rate_shows_too_small_good_and_too_large():
    trace = scenarios.run("learning-rate", seed=0)
    assert result(trace, "behaviour_small") == "too slow"
    assert result(trace, "behaviour_good") == "converges"
    assert result(trace, "behaviour_large") == "diverges"
    assert result(trace, "best_learning_rate") == scenarios.get("learning-rate").defaults()["good_learning_rate"]
    curves = {name: s.y for name, s in trace.series.items()}
    assert curves["loss_small"][0] == curves["loss_good"][0] == curves["loss_large"][0]
    assert curves["loss_good"][-1] < 0.5 * curves["loss_good"][0]


@pytest.mark.parametrize("init_value", [0.1, 0.0, -0.4])
def test_constant_filters_stay_identical_and_random_ones_do_not(init_value):
    trace = scenarios.run("initialization", {"init_value": init_value, "filters": 4}, seed=2)
    assert result(trace, "filters_identical_constant") is True
    assert result(trace, "distinct_filters_constant") == 1
    assert result(trace, "filters_identical_random") is False
    assert result(trace, "distinct_filters_random") == 4
    final = trace.steps[0].arrays["final_filters"]
    np.testing.assert_allclose(final, np.broadcast_to(final[:1], final.shape), rtol=0, atol=1e-12)


def test_parameter_count_matches_formulas_and_a_real_forward_pass():
    params = {"input_size": 28, "in_channels": 1, "conv1_filters": 6, "conv2_filters": 16,
              "kernel_size": 5, "padding": 0, "classes": 10}  # LeNet-like
    trace = scenarios.run("parameter-count", params)
    assert result(trace, "conv1_parameters") == 6 * (1 * 5 * 5 + 1) == 156
    assert result(trace, "conv2_parameters") == 16 * (6 * 5 * 5 + 1) == 2416
    assert result(trace, "pool2_output_shape") == (16, 4, 4)
    assert result(trace, "flatten_features") == 256
    assert result(trace, "fc1_parameters") == 10 * 257
    assert result(trace, "total_parameters") == 156 + 2416 + 2570
    assert result(trace, "receptive_field") == 16  # 5, 6, 14, 16
    assert result(trace, "largest_layer") == "fc1"
    from cnncore.scenarios.parameter_count import feature_layers

    layers, shape = feature_layers(trace.params)
    x = np.zeros((1, 1, 28, 28))
    for layer in layers:
        x = layer.forward(x)
    assert x.shape == shape == (1, 16, 4, 4)


def test_parameter_count_without_second_conv_has_no_conv2_results():
    trace = scenarios.run("parameter-count", {"conv2_filters": 0, "pool": False})
    assert "conv2_parameters" not in trace.results
    assert result(trace, "receptive_field") == 3


@pytest.mark.parametrize("seed", range(3))
def test_training_loop_counts_iterations_and_accuracy_rises(seed):
    trace = scenarios.run("training-loop", seed=seed)
    n, batch, epochs = trace.params["examples"], trace.params["batch_size"], trace.params["epochs"]
    assert result(trace, "iterations_per_epoch") == math.ceil(n / batch)
    assert result(trace, "total_iterations") == math.ceil(n / batch) * epochs
    assert len(trace.series["train_accuracy"].y) == epochs + 1
    assert len(trace.series["loss_per_iteration"].y) == result(trace, "total_iterations")
    assert result(trace, "final_accuracy") >= 0.9 > result(trace, "initial_accuracy")
    assert result(trace, "final_loss") < result(trace, "initial_loss")
    kinds = {s.kind for s in trace.steps}
    assert kinds == {"note", "forward", "loss", "backward", "update"}
    assert trace.steps_of("forward")[0].arrays["input"].shape == (batch, 1, 8, 8)


def test_training_loop_stops_when_the_weights_blow_up():
    trace = scenarios.run("training-loop", {"batch_size": 1, "momentum": 0.95, "learning_rate": 2},
                          seed=123)
    assert result(trace, "diverged") is True
    assert result(trace, "total_iterations") > len(trace.series["loss_per_iteration"].y)
    assert "blew up" in trace.steps[-1].title


def test_training_loop_shows_the_first_iteration_only_for_small_batches():
    trace = scenarios.run("training-loop", {"batch_size": 32})
    assert {s.kind for s in trace.steps} == {"note"}
    assert "shown in full for batches up to 16" in trace.steps[0].explanation


def test_training_loop_uneven_batches():
    trace = scenarios.run("training-loop", {"examples": 50, "batch_size": 8, "epochs": 1})
    assert result(trace, "iterations_per_epoch") == 7 and result(trace, "last_batch_size") == 2
    assert trace.misconceptions["iterations_per_epoch"]["floor_instead_of_ceil"].value == 6


def test_softmax_of_training_iteration_logits_is_recorded():
    trace = scenarios.run("training-iteration")
    step = trace.steps_of("loss")[0]
    np.testing.assert_allclose(step.arrays["probabilities"], softmax(step.arrays["logits"]))


def test_negative_zero_is_read_as_zero_and_runs():
    from cnncore.scenarios import get, run

    noise = get("training-loop").param("noise")
    value = noise.parse("-0")
    assert value == 0 and math.copysign(1.0, value) == 1.0
    assert run("training-loop", {"noise": "-0", "epochs": 1}).params["noise"] == 0
