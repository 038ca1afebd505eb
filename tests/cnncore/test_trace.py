"""Tests of cnncore.trace.Trace: recording, JSON round trip, text, distractors."""

import json
import math

import numpy as np
import pytest

from cnncore.trace import STEP_KINDS, TABLE_MAX_ELEMENTS, Trace


def full_trace() -> Trace:
    """Return a trace with a step of every kind, results, misconceptions and a series."""
    trace = Trace(scenario="demo", title="Demo", topic="convolution", seed=3,
                  params={"stride": 2, "learning_rate": 0.1, "label": "dog", "flag": True})
    x = np.arange(12.0).reshape(1, 1, 3, 4)
    trace.add_step("forward", "conv1: Conv2D", layer="conv1", explanation="slide and sum",
                   arrays={"input": x, "output": np.full((1, 2, 10, 10), 0.5, dtype=np.float32)})
    trace.add_step("loss", "cross-entropy", arrays={"labels": np.array([2])},
                   scalars={"loss": 1.25})
    trace.add_step("backward", "relu1", layer="relu1", arrays={"mask": np.array([1.0, 0.0])},
                   labels={"mask": "which units were on"})
    trace.add_step("update", "update fc1.weight", layer="fc1",
                   arrays={"before": np.ones(2), "after": np.zeros(2)},
                   scalars={"learning_rate": 0.1})
    trace.note("A note", "free text", table=np.eye(2), answer=42, word="yes")
    trace.add_result("value", 3.5, "the answer")
    trace.add_result("position", (1, 2), "where")
    trace.add_result("map", np.array([[1.0, -2.0]]), "an array")
    trace.add_result("label", "dog", "a string")
    trace.add_result("fits", True, "a bool")
    trace.add_misconception("value", "forgot_bias", 2.5, "forgot the bias")
    trace.add_misconception("position", "swapped", (2, 1), "swapped row and column")
    trace.add_series("loss", label="loss", chart="loss", x=[0, 1, 2], y=[1.0, 0.5, 0.25],
                     x_label="iteration", y_label="loss")
    return trace


def test_json_round_trip_keeps_every_field():
    trace = full_trace()
    data = json.loads(json.dumps(trace.to_dict()))
    assert data == trace.to_dict()
    again = Trace.from_dict(data)
    assert again.to_dict() == trace.to_dict()
    assert again.steps[0].arrays["output"].dtype == np.float32
    assert again.results["position"].value == (1, 2)
    np.testing.assert_array_equal(again.results["map"].value, [[1.0, -2.0]])


def test_every_step_kind_is_recorded_in_order_with_index():
    trace = full_trace()
    assert [s.kind for s in trace.steps] == list(STEP_KINDS)
    assert [s.index for s in trace.steps] == list(range(len(STEP_KINDS)))
    assert [s["kind"] for s in trace.to_dict()["steps"]] == list(STEP_KINDS)
    assert trace.steps_of("update")[0].layer == "fc1"


def test_arrays_serialise_with_shape_dtype_values_label_and_display():
    data = full_trace().to_dict()
    forward = data["steps"][0]
    assert forward["arrays"]["input"] == {
        "label": "input",
        "shape": [1, 1, 3, 4],
        "dtype": "float64",
        "values": [[[[0.0, 1.0, 2.0, 3.0], [4.0, 5.0, 6.0, 7.0], [8.0, 9.0, 10.0, 11.0]]]],
        "display": "table",
    }
    assert forward["arrays"]["output"]["display"] == "heatmap"  # 200 > TABLE_MAX_ELEMENTS
    assert 200 > TABLE_MAX_ELEMENTS
    assert data["steps"][2]["arrays"]["mask"]["label"] == "which units were on"
    assert data["steps"][4]["scalars"] == {"answer": 42, "word": "yes"}
    assert data["results"]["map"]["value"]["shape"] == [1, 2]
    assert data["misconceptions"]["position"]["swapped"] == {
        "value": [2, 1], "description": "swapped row and column"}


def test_recorded_arrays_are_copies():
    trace = Trace()
    weights = np.ones(3)
    trace.add_step("update", "w", arrays={"before": weights})
    weights -= 1
    np.testing.assert_array_equal(trace.steps[0].arrays["before"], np.ones(3))


def test_negative_zero_is_recorded_as_zero():
    trace = Trace()
    trace.add_step("note", "zeros", arrays={"products": np.array([-0.0, 1.0])}, scalars={"z": -0.0})
    trace.add_result("value", np.float64(-0.0), "zero")
    assert math.copysign(1, trace.steps[0].arrays["products"][0]) == 1
    assert math.copysign(1, trace.steps[0].scalars["z"]) == 1
    assert math.copysign(1, trace.results["value"].value) == 1


def test_numpy_scalars_become_python_numbers():
    trace = Trace()
    trace.add_result("count", np.int64(3), "")
    trace.add_result("ratio", np.float32(0.5), "")
    assert type(trace.results["count"].value) is int
    assert type(trace.results["ratio"].value) is float


@pytest.mark.parametrize("bad", [float("nan"), float("inf")])
def test_to_dict_refuses_non_finite_numbers(bad):
    with_array, with_scalar, with_result = Trace(), Trace(), Trace()
    with_array.add_step("forward", "x", arrays={"output": np.array([1.0, bad])})
    with_scalar.add_step("loss", "x", scalars={"loss": bad})
    with_result.add_result("loss", bad, "")
    for trace in (with_array, with_scalar, with_result):
        with pytest.raises(ValueError, match="finite"):
            trace.to_dict()


def test_unknown_step_kind_and_orphan_misconception_raise():
    trace = Trace()
    with pytest.raises(ValueError, match="step kind"):
        trace.add_step("sideways", "x")
    with pytest.raises(KeyError, match="record the result"):
        trace.add_misconception("missing", "oops", 1, "")
    with pytest.raises(ValueError, match="points"):
        trace.add_series("s", label="", chart="", x=[1, 2], y=[1], x_label="", y_label="")


def test_distractors_drop_values_equal_to_the_answer_or_to_each_other():
    trace = Trace()
    trace.add_result("out_h", 5, "")
    trace.add_misconception("out_h", "forgot_padding", 3, "")
    trace.add_misconception("out_h", "rounded_up", 5, "")  # the right answer by chance
    trace.add_misconception("out_h", "forgot_plus_one", 3.0 + 1e-12, "")  # equal to the first
    trace.add_misconception("out_h", "forgot_stride", 9, "")
    assert [m.name for m in trace.distractors("out_h")] == ["forgot_padding", "forgot_stride"]
    trace.add_result("map", np.array([1.0, 2.0]), "")
    trace.add_misconception("map", "same", np.array([1.0, 2.0]), "")
    trace.add_misconception("map", "flipped", np.array([2.0, 1.0]), "")
    assert [m.name for m in trace.distractors("map")] == ["flipped"]


def test_result_values_maps_names_to_plain_values():
    assert full_trace().result_values()["label"] == "dog"


def test_to_text_shows_steps_results_misconceptions_and_series():
    text = full_trace().to_text()
    for expected in ("== Demo (demo, topic convolution) ==", "#0 FORWARD", "#1 LOSS",
                     "#2 BACKWARD", "#3 UPDATE", "#4 NOTE", "value = 3.5", "position = (1, 2)",
                     "value [forgot_bias] = 2.5", "which units were on", "shape (1, 2, 10, 10)",
                     "loss [loss]"):
        assert expected in text


def test_move_to_end_puts_computed_steps_after_the_introduction_and_renumbers():
    trace = Trace(scenario="demo", params={}, seed=0)
    trace.note("before", "")
    trace.note("computed 1", "")
    trace.note("computed 2", "")
    trace.note("intro", "")
    trace.move_to_end(1, 3)
    assert [(s.index, s.title) for s in trace.steps] == [
        (0, "before"), (1, "intro"), (2, "computed 1"), (3, "computed 2")]
