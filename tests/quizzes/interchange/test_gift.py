"""GIFT: Moodle's own GIFT test file reads question by question; ours escapes what Moodle escapes."""

from quizzes.interchange import build, gift
from quizzes.interchange.model import MULTICHOICE, NUMERICAL
from quizzes.interchange.moodle_xml import SEVERAL_RIGHT, UNSUPPORTED_TYPE

from .conftest import FIXTURES


def test_moodles_gift_file_reads_every_supported_question_and_names_the_others():
    items, problems = gift.read((FIXTURES / "questions.gift.txt").read_bytes(), "questions.gift.txt")
    assert [str(p) for p in problems] == [
        "questions.gift.txt:question 1: " + UNSUPPORTED_TYPE.format(kind="essay"),
        "questions.gift.txt:question 2: " + UNSUPPORTED_TYPE.format(kind="matching"),
        "questions.gift.txt:question 4: " + SEVERAL_RIGHT,
        "questions.gift.txt:question 6: " + UNSUPPORTED_TYPE.format(kind="shortanswer"),
        "questions.gift.txt:question 7: " + UNSUPPORTED_TYPE.format(kind="truefalse"),
        "questions.gift.txt:question 8: " + UNSUPPORTED_TYPE.format(kind="truefalse"),
        "questions.gift.txt:question 9: " + UNSUPPORTED_TYPE.format(kind="truefalse"),
    ]
    colours, number = items
    assert colours.kind == MULTICHOICE and colours.name == "Q2"
    assert [(c.html, c.correct) for c in colours.choices] == [
        ("<p>yellow</p>", True), ("<p>red</p>", False), ("<p>blue</p>", False)]
    assert [c.feedback_html for c in colours.choices] == [
        "<p>right; good!</p>", "wrong, it's yellow", "<p>wrong, it's yellow</p>"]
    assert number.kind == NUMERICAL and (number.numeric.value, number.numeric.tolerance) == (3.0, 2.0)


def test_reserved_characters_and_tex_backslashes_are_escaped_as_moodle_does(real_bank):
    text = gift.write(build.bank_items(real_bank, pattern="conv-window-value", variants=1))
    assert r'<span class\="arithmatex">\\(' in text, "'=' and '\\' escaped"
    assert r"\\begin\{bmatrix\}" in text
    assert "// [id:conv-window-value-variant-1] [tag:forward]" in text
    assert "$CATEGORY: $course$/Backprop Lab/Convolution forward and backward/conv-window-value" in text
    (item,), problems = gift.read(text, "x.gift")
    assert not problems and r"\begin{bmatrix}" in item.stem_html


def test_a_typed_number_exports_as_a_gift_numerical_question(real_bank):
    from .test_build import numeric_source

    (item,) = build.question_items(numeric_source(), real_bank, topic_title="Output size", variants=1)
    text = gift.write([item])
    assert f"{{#\n\t=%100%{int(item.numeric.value)}:{item.numeric.tolerance!r}#" in text
    (back,), problems = gift.read(text, "x.gift")
    assert not problems and back.numeric.value == item.numeric.value and back.numeric.wrong[0][0] == item.numeric.wrong[0][0]
