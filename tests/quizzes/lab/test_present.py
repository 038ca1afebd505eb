"""Turning a request into a run and a run into page structures: query, form, presentation."""

import numpy as np
import pytest
from django.http import QueryDict

from cnncore.scenarios import get, run
from cnncore.trace import Trace
from quizzes.lab.form import form_fields
from quizzes.lab.numbers import exact, full, short, value_text
from quizzes.lab.present import present, update_example
from quizzes.lab.query import SEED, canonical_query, parse_query
from quizzes.lab.topics import known_topics, slug_title, topic_info


def parse(name: str, query: str):
    return parse_query(get(name), QueryDict(query), query_string=query)


def test_a_missing_parameter_takes_its_default_and_the_seed_zero():
    parsed = parse("conv-window", "stride=2")
    assert parsed.ok
    assert parsed.values == get("conv-window").validate({"stride": 2})
    assert parsed.seed == 0


def test_all_field_errors_are_collected_not_only_the_first():
    parsed = parse("conv-window", "stride=0&padding=x&seed=nope")
    assert {e.param for e in parsed.errors} == {"stride", "padding", SEED}
    assert parsed.values is None
    assert parsed.raw == {"stride": "0", "padding": "x", SEED: "nope"}


def test_the_canonical_query_reads_back_to_the_same_values():
    values = get("training-iteration").validate({"learning_rate": 0.1 + 0.2, "label": "cat"})
    parsed = parse("training-iteration", canonical_query(values, 77))
    assert parsed.values == values and parsed.seed == 77
    assert canonical_query(get("conv-window").defaults(), 0).endswith("integer_values=true&seed=0")


def test_the_form_keeps_raw_values_and_marks_the_bad_one():
    fields = {f.name: f for f in form_fields(get("conv-window"), parse("conv-window", "stride=7&row=1"))}
    assert fields["stride"].value == "7" and fields["stride"].error
    assert fields["row"].value == "1" and not fields["row"].error
    assert fields["padding"].value == "0"  # the default
    assert [o.value for o in fields["integer_values"].options] == ["true", "false"]
    assert fields["integer_values"].options[0].selected
    assert list(fields)[-1] == SEED


def test_a_bool_given_as_python_text_selects_its_option():
    fields = {f.name: f for f in form_fields(get("conv-window"), parse("conv-window", "integer_values=False"))}
    assert [o.selected for o in fields["integer_values"].options] == [False, True]


def test_steps_are_grouped_into_phases_in_trace_order():
    view = present(run("training-iteration"))
    kinds = [p.kind for p in view.phases]
    assert kinds == ["note", "forward", "loss", "backward", "update", "note", "note"]
    assert [s.index for p in view.phases for s in p.steps] == list(range(18))
    assert ("phase-1", "Forward pass") in view.contents


def test_notes_with_the_same_scalars_become_one_table():
    view = present(run("training-loop", {"epochs": 4}))
    (table_phase,) = [p for p in view.phases if p.kind == "notes"]
    assert [row.title for row in table_phase.table.rows] == [f"Epoch {n}" for n in range(1, 5)]
    assert table_phase.table.columns == ["loss", "train accuracy", "test accuracy"]
    assert table_phase.title == "Epoch 1 to Epoch 4"


def test_backward_arrays_are_labelled_with_their_role_in_the_chain_rule():
    view = present(run("chain-rule-mlp"))
    step = next(s for p in view.phases for s in p.steps if s.title.startswith("sigmoid1: backward"))
    assert [(a.name, a.role) for a in step.arrays] == [
        ("upstream", "incoming gradient"), ("local_derivative", "local gradient"),
        ("downstream", "outgoing gradient")]


def test_a_large_array_shown_before_becomes_a_link():
    view = present(run("training-iteration"))
    relu = next(s for p in view.phases for s in p.steps if s.title == "relu1: ReLU")
    given = relu.arrays[0]
    assert given.display == "same" and given.same_as.anchor == "step-1-output"
    flatten = next(s for p in view.phases for s in p.steps if s.title == "flatten1: Flatten")
    assert flatten.arrays[1].display == "same" and flatten.arrays[1].reshaped


def test_an_update_is_worked_for_the_element_with_the_largest_gradient():
    trace = run("training-iteration", {"learning_rate": 0.5})
    step = next(s for s in trace.steps if s.title == "update fc1.weight")
    example = update_example(step)
    index = np.unravel_index(np.argmax(np.abs(step.arrays["gradient"])), step.arrays["gradient"].shape)
    assert example.index == f"[{index[0]}, {index[1]}]"
    assert example.before == exact(step.arrays["before"][index])
    assert example.after == exact(step.arrays["after"][index])
    assert example.learning_rate == "0.5"
    assert example.gradient.startswith("(") == (step.arrays["gradient"][index] < 0)


def test_the_conv_window_arithmetic_adds_up_to_the_output_element():
    trace = run("conv-window", {"in_channels": 2, "padding": 1, "row": 1, "col": 1}, seed=3)
    view = present(trace)
    arithmetic = next(s.arithmetic for p in view.phases for s in p.steps if s.arithmetic)
    assert len(arithmetic.channels) == 2 and len(arithmetic.padded) == 2
    assert arithmetic.value == short(trace.results["value"].value)
    products = [float(c.exact) for ch in arithmetic.channels for row in ch.products.rows for c in row]
    assert sum(products) + trace.results["bias"].value == pytest.approx(trace.results["value"].value)
    marked = [(i, j) for i, row in enumerate(arithmetic.padded[0].rows) for j, c in enumerate(row) if c.marked]
    top, left, k = arithmetic.top, arithmetic.left, arithmetic.size
    assert marked == [(i, j) for i in range(top, top + k) for j in range(left, left + k)]


def test_key_results_and_mistakes_come_from_the_trace():
    trace = run("conv-output-size", {"input_height": 32, "kernel_size": 5, "stride": 2, "padding": 1})
    view = present(trace)
    assert [r.name for r in view.results] == list(trace.results)
    group = next(g for g in view.mistakes if g.result == "out_h")
    assert group.right == value_text(trace.results["out_h"].value)
    assert {m.name for m in group.mistakes} == set(trace.misconceptions["out_h"])


def test_a_mistake_that_happens_to_give_the_right_value_is_flagged():
    trace = Trace(scenario="x")
    trace.add_result("out", 4, "the answer")
    trace.add_misconception("out", "lucky", 4, "made a mistake that cancels out")
    trace.add_misconception("out", "wrong", 5, "made a mistake")
    (group,) = present(trace).mistakes
    assert [m.gives_right_value for m in group.mistakes] == [True, False]


@pytest.mark.parametrize(("value", "text"), [(3.0, "3"), (-0.123456789, "-0.1235"), (1e-7, "1e-07"), (7, "7")])
def test_short_numbers_keep_four_significant_digits(value, text):
    assert short(value) == text


def test_exact_and_full_number_text():
    assert exact(0.9260102747) == "0.92601" and full(0.1 + 0.2) == "0.30000000000000004"
    assert value_text((8, 32, 32)) == "(8, 32, 32)" and value_text(True) == "yes"


@pytest.mark.django_db
def test_a_topic_without_a_title_falls_back_to_its_slug():
    assert topic_info("output-size").title == "Output size"
    assert slug_title("backprop-fundamentals") == "Backprop fundamentals"


@pytest.mark.django_db
def test_topic_titles_come_from_the_synced_topics(synced):
    assert topic_info("output-size").title == "Padding, stride and output size"
    assert topic_info("convolution", known_topics()).title == "Convolution arithmetic"
