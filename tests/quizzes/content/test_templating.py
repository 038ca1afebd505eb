"""Numbers are shown one way everywhere; placeholders name values, never run code."""

import numpy as np
import pytest

from quizzes.content.templating import TemplateProblem, display, fill


@pytest.mark.parametrize("value, shown", [
    (3, "3"), (3.0, "3"), (-2.5, "-2.5"), (0.123456, "0.1235"), (1.23456e-5, "1.235e-05"),
    (-0.0, "0"), (-1e-20, "-1e-20"), (12345.6, "12346"), (True, "yes"), ((16, 30, 30), "(16, 30, 30)"),
    ([0.5, 1.0], "[0.5, 1]"), (np.float32(0.25), "0.25"), (np.array([[1.0, 2.5]]), "[[1, 2.5]]"),
    ("dog", "dog"),
])
def test_display_rounds_consistently(value, shown):
    assert display(value) == shown


def test_fill_replaces_dotted_names_and_format_specs():
    context = {"params": {"lr": 0.1}, "results": {"loss": 0.693147}, "misconceptions": {"loss": {"sum": 2.0}}}
    text = "lr {{ params.lr }}, loss {{results.loss:.2f}}, wrong {{ misconceptions.loss.sum }}"
    assert fill(text, context) == "lr 0.1, loss 0.69, wrong 2"


def test_fill_reports_unknown_names_with_their_line_offset():
    with pytest.raises(TemplateProblem) as problem:
        fill("first\nsecond {{ results.nope }}", {"results": {"a": 1}})
    assert problem.value.offset == 1
    assert "results has no 'nope' (known: a)" in str(problem.value)


def test_fill_refuses_a_mapping_and_a_bad_format():
    with pytest.raises(TemplateProblem, match="pick one of a, b"):
        fill("{{ results }}", {"results": {"a": 1, "b": 2}})
    with pytest.raises(TemplateProblem, match="results.a:q"):
        fill("{{ results.a:q }}", {"results": {"a": 1}})


def test_fill_does_not_evaluate_expressions():
    text = "{{ __import__('os').system('true') }}"
    assert fill(text, {}) == text


def test_fill_indexes_into_arrays_and_lists():
    context = {"results": {"window": np.array([[1.5, 2.0], [3.0, 4.25]]), "shape": (2, 3)}}
    assert fill("{{ results.window.1.1 }} {{ results.shape.0 }}", context) == "4.25 2"
    with pytest.raises(TemplateProblem, match="has no '5'"):
        fill("{{ results.shape.5 }}", context)
