"""Numeric questions: the ``## Answer`` format, its problems as path:line, its stored shape."""

from quizzes.content import errors as E
from quizzes.content.answer import parse_tolerance
from quizzes.content.bank import load_bank
from quizzes.content.schema import ABSOLUTE, RELATIVE, QuestionSource, Tolerance
from quizzes.content.validate import validate_bank
from quizzes.content.variants import build_variant
from tests.conftest import NUMERIC, STATIC


def problems_of(content, name: str, text: str) -> list[str]:
    path = content.question(name, text)
    prefix = content.display(path)
    return [str(e) for e in validate_bank(load_bank(content.root)) if e.path == prefix]


def test_a_good_numeric_question_has_no_problems(content):
    assert problems_of(content, "typed", NUMERIC) == []


def test_the_parsed_answer_is_stored_in_the_shape_exports_rely_on(content):
    content.question("typed", NUMERIC)
    question = load_bank(content.root).question("conv-window-typed")
    data = question.to_data()
    assert data["kind"] == "numeric"
    assert data["answer"]["value"] == "{{ results.value }}"
    assert data["answer"]["tolerance"] == {"kind": "absolute", "amount": 0.001}
    assert data["answer"]["misconceptions"] == {"forgot-bias": "{{ misconceptions.value.forgot_bias }}"}
    assert len(data["answer"]["hints"]) == 2
    assert data["answer"]["labels"]["forgot-bias"]["label"] == "Forgot the bias"
    assert QuestionSource.from_data(data).answer.tolerance == Tolerance(ABSOLUTE, 0.001)


def test_a_choice_question_stores_no_kind_so_its_hash_does_not_change(content):
    content.question("static", STATIC)
    assert "kind" not in load_bank(content.root).questions[0].to_data()


def test_tolerances_as_written():
    assert parse_tolerance("0.5%") == Tolerance(RELATIVE, 0.005)
    assert parse_tolerance("0.001") == Tolerance(ABSOLUTE, 0.001)
    assert parse_tolerance(".5 %") == Tolerance(RELATIVE, 0.005)
    assert parse_tolerance("half") is None


def test_missing_tolerance_points_at_the_answer_heading(content):
    found = problems_of(content, "no-tol", NUMERIC.replace("tolerance: 0.001   # exact to four decimals\n", ""))
    assert found == [f"content/questions/convolution/no-tol.md:15: {E.ANSWER_NO_TOLERANCE}"]


def test_negative_tolerance_points_at_its_line(content):
    found = problems_of(content, "neg", NUMERIC.replace("tolerance: 0.001", "tolerance: -0.5%"))
    assert found == [f"content/questions/convolution/neg.md:17: {E.ANSWER_NEGATIVE_TOLERANCE.format(text='-0.5%')}"]


def test_a_tolerance_that_is_not_a_number(content):
    found = problems_of(content, "bad-tol", NUMERIC.replace("tolerance: 0.001", "tolerance: tight"))
    assert found == [f"content/questions/convolution/bad-tol.md:17: {E.ANSWER_BAD_TOLERANCE.format(text='tight')}"]


def test_a_value_that_is_not_a_number_for_a_seed(content):
    found = problems_of(content, "array", NUMERIC.replace("value: {{ results.value }}", "value: {{ results.window }}"))
    assert len(found) == 1
    assert found[0].startswith("content/questions/convolution/array.md:16: seed 0: the answer value is not a finite number")


def test_a_value_written_as_words(content):
    found = problems_of(content, "words", NUMERIC.replace("value: {{ results.value }}", "value: twelve"))
    assert found == ["content/questions/convolution/words.md:16: "
                     + E.ANSWER_BAD_VALUE.format(what="value", text="twelve")]


def test_an_answer_within_tolerance_of_a_misconception_is_refused_with_the_seed(content):
    found = problems_of(content, "wide", NUMERIC.replace("tolerance: 0.001", "tolerance: 5"))
    assert len(found) == 1
    assert found[0].startswith("content/questions/convolution/wide.md:19: seed 0: the answer ")
    assert "misconception 'forgot-bias'" in found[0] and "within the tolerance 5" in found[0]


def test_a_relative_tolerance_overlapping_for_one_seed_only_is_caught(content):
    # bias is a small fraction of the value for some of the 50 seeds only
    found = problems_of(content, "rel", NUMERIC.replace("tolerance: 0.001", "tolerance: 20%"))
    assert len(found) == 1 and ":19: seed " in found[0]


def test_unknown_misconception_and_step(content):
    text = NUMERIC.replace("  forgot-bias:", "  forgot-bais:").replace("step: forward", "step: sideways")
    found = problems_of(content, "typos", text)
    assert f"content/questions/convolution/typos.md:19: {E.UNKNOWN_MISCONCEPTION.format(value='forgot-bais')}" in found
    assert any(p.startswith("content/questions/convolution/typos.md:23: step 'sideways' names no step") for p in found)


def test_choices_and_answer_together(content):
    text = NUMERIC.replace("## Explanation", "## Choices\n- [x] 1\n  feedback: yes\n- [ ] 2\n  feedback: no\n\n## Explanation")
    assert any(E.CHOICES_AND_ANSWER in p for p in problems_of(content, "both", text))


def test_unknown_answer_key_and_bad_lines(content):
    text = NUMERIC.replace("step: forward", "stepp: forward\nnot a key line")
    found = problems_of(content, "keys", text)
    assert f"content/questions/convolution/keys.md:23: {E.ANSWER_UNKNOWN_KEY.format(key='stepp')}" in found
    assert any(p.startswith("content/questions/convolution/keys.md:24: expected 'key: value'") for p in found)


def test_the_variant_carries_the_unrounded_key_and_filled_hints(content):
    content.question("typed", NUMERIC)
    question = load_bank(content.root).question("conv-window-typed")
    variant = build_variant(question, 3)
    assert variant.is_numeric and variant.choices == ()
    assert variant.answer.tolerance == Tolerance(ABSOLUTE, 0.001)
    assert [slug for slug, _ in variant.answer.misconceptions] == ["forgot-bias"]
    assert "add up to" in variant.hints_html[1] and "{{" not in variant.hints_html[1]
    assert variant.step_index is not None


def test_two_mistakes_a_typed_number_could_not_tell_apart_are_refused(content):
    twin = NUMERIC.replace("  forgot-bias: {{ misconceptions.value.forgot_bias }}\n",
                           "  forgot-bias: {{ misconceptions.value.forgot_bias }}\n"
                           "  forgot-plus-one: {{ misconceptions.value.forgot_bias }}\n")
    assert twin != NUMERIC
    found = problems_of(content, "twins", twin)
    assert len(found) == 1 and ":20: seed 0: misconceptions 'forgot-bias'" in found[0]
    assert "could not say which mistake" in found[0]
