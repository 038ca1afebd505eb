"""The bank as interchange items: variants with their own numbers, named to belong together."""

import re

from quizzes.content.schema import QuestionSource
from quizzes.interchange import build, moodle_xml
from quizzes.interchange.markup import to_html, to_markdown
from quizzes.interchange.model import MULTICHOICE, NUMERICAL


def test_a_parameterised_question_exports_as_n_variants_in_a_category_of_its_own(real_bank):
    items = build.bank_items(real_bank, pattern="conv-window-value", variants=4)
    assert [item.name for item in items] == [
        f"conv-window-value (variant {k} of 4, seed {seed})"
        for k, seed in enumerate(build.variant_seeds("conv-window-value", 4), start=1)]
    assert {tuple(item.category) for item in items} == {
        ("Backprop Lab", "Convolution forward and backward", "conv-window-value")}
    assert len({item.stem_html for item in items}) == 4, "each variant shows its own numbers"
    assert all(sum(c.correct for c in item.choices) == 1 for item in items)


def test_a_static_question_exports_once_under_its_id(real_bank):
    (item,) = build.bank_items(real_bank, pattern="conv-correlation-vs-convolution")
    assert item.name == item.idnumber == "conv-correlation-vs-convolution"
    assert item.category == ["Backprop Lab", "Convolution forward and backward"]


def test_the_default_is_five_variants_and_exporting_twice_gives_the_same_file(real_bank):
    items = build.bank_items(real_bank, pattern="output-size/*")
    names = [item.name for item in items]
    assert any("variant 5 of 5" in name for name in names) and not any("of 6" in name for name in names)
    again = build.bank_items(real_bank, pattern="output-size/*")
    assert moodle_xml.write(items) == moodle_xml.write(again)


def test_feedback_per_choice_and_the_explanation_are_kept_with_tex_math(real_bank):
    (item,) = build.bank_items(real_bank, pattern="conv-correlation-vs-convolution")
    source = real_bank.question("conv-correlation-vs-convolution")
    assert [c.correct for c in item.choices] == [c.correct for c in source.choices]
    assert "180°" in item.choices[0].feedback_html
    assert r'<div class="arithmatex">\[Y_{i,j} = \sum_{u=0}^{k-1}' in item.explanation_html
    assert "<math" not in item.explanation_html, "math is TeX, not MathML"


def test_markdown_with_math_survives_html_and_back():
    text = "The *loss* is $L = -\\ln p_{\\text{true}}$ and\n\n$$\\frac{\\partial L}{\\partial z} = p - y$$\n\n- one\n- two"
    html = to_html(text)
    assert r"\(L = -\ln p_{\text{true}}\)" in html and r"\[\frac{\partial L}{\partial z} = p - y\]" in html
    assert to_html(to_markdown(html)) == html


def test_markdown_specials_in_plain_text_stay_literal():
    html = "<p>5 * 3 = 15, a_b, [x], 2. not a list</p>"
    assert to_html(to_markdown(html)) == html


def numeric_source() -> QuestionSource:
    """A typed-number question as the numeric kind stores it (made by hand for this test)."""
    question = QuestionSource(
        path="content/questions/output-size/typed.md", id="output-size-typed", topic="output-size",
        difficulty=2, scenario="conv-output-size", stem="How high is the output of a {{ params.input_height }} input?",
        explanation="$H_o = {{ results.out_h }}$.", seed=0)
    from quizzes.content.schema import ParamSpec

    question.params = [ParamSpec(name="input_height", min=8, max=20), ParamSpec(name="padding", value=1)]
    if not isinstance(getattr(QuestionSource, "kind", None), property):
        question.kind = "numeric"  # where the bank has no typed numbers, the stored data's marker
    question.answer = {
        "value": "{{ results.out_h }}",
        "tolerance": {"kind": "relative", "amount": 0.01},
        "misconceptions": {"output-size-forgot-padding": "{{ misconceptions.out_h.forgot_padding }}"},
        "hints": ["Use $H_o = \\lfloor (H + 2p - k)/s \\rfloor + 1$."],
    }
    return question


def test_a_typed_number_question_exports_as_moodle_numerical_with_its_tolerance(real_bank):
    question = numeric_source()
    items = build.question_items(question, real_bank, topic_title="Output size", variants=3)
    assert len(items) == 3 and all(item.kind == NUMERICAL for item in items)
    xml = moodle_xml.write(items)
    assert xml.count('<question type="numerical">') == 3
    first = items[0].numeric
    assert first.tolerance == abs(first.value) * 0.01
    assert f"<text>{int(first.value)}</text>" in xml and f"<tolerance>{first.tolerance!r}</tolerance>" in xml
    (wrong_value, _, feedback) = first.wrong[0]
    assert wrong_value != first.value and "Forgot the padding" in feedback
    assert re.search(r'<hint format="html">\s*<text><!\[CDATA\[<p>Use <span class="arithmatex">', xml)
    read, problems = moodle_xml.read(xml.encode(), "typed.xml")
    assert not problems and read[0].numeric.value == first.value and read[0].numeric.tolerance == first.tolerance
    assert read[0].kind == NUMERICAL and items[0].kind != MULTICHOICE
