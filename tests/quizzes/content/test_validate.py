"""Every malformed file gets a clear ``path:line: message``; several problems in one run."""

import pytest

from quizzes.content import errors as E
from quizzes.content.bank import load_bank
from quizzes.content.files import MAX_FILE_BYTES
from quizzes.content.validate import validate_bank
from tests.conftest import PARAMETERISED, STATIC


def problems(content) -> list[str]:
    return [str(error) for error in validate_bank(load_bank(content.root))]


def with_problem(content, name: str, text: str, topic: str = "convolution") -> list[str]:
    path = content.question(name, text, topic)
    return [p for p in problems(content) if p.startswith(content.display(path))]


def test_the_good_bank_has_no_problems(good_content):
    assert problems(good_content) == []


def test_broken_yaml_points_at_its_line(content):
    found = with_problem(content, "broken", STATIC.replace("difficulty: 1", "difficulty: [1"))
    assert len(found) == 1
    assert ":5: YAML error" in found[0]


def test_missing_id(content):
    found = with_problem(content, "no-id", STATIC.replace("id: conv-window-bias\n", ""))
    assert found == [f"content/questions/convolution/no-id.md:2: {E.MISSING_KEY.format(key='id')}"]


def test_unknown_key_is_reported_as_a_likely_typo(content):
    found = with_problem(content, "typo", STATIC.replace("tags:", "tgas:"))
    assert any(":5: unknown key 'tgas'" in p for p in found)


def test_duplicate_id_names_the_other_file(good_content):
    found = with_problem(good_content, "copy", STATIC)
    assert found == [
        "content/questions/convolution/copy.md:2: id 'conv-window-bias' is already used by "
        "content/questions/convolution/conv-window-bias.md"
    ]


def test_no_correct_choice(content):
    found = with_problem(content, "none-right", STATIC.replace("- [x] The bias", "- [ ] The bias"))
    assert found == [f"content/questions/convolution/none-right.md:11: {E.NO_CORRECT_CHOICE}"]


def test_two_correct_choices(content):
    found = with_problem(content, "two-right", STATIC.replace("- [ ] Nothing", "- [x] Nothing"))
    assert any(":13: 2 choices are marked correct (lines 11, 13)" in p for p in found)


def test_fewer_than_two_choices(content):
    text = STATIC.replace("- [ ] Nothing\n  misconception: forgot-bias\n  feedback: The bias is added after the products are summed.\n", "")
    assert any("at least two choices" in p for p in with_problem(content, "one", text))


def test_duplicate_choices(content):
    found = with_problem(content, "dupe", STATIC.replace("- [ ] Nothing", "- [ ] The bias of the filter"))
    assert any(":13: seed 0: choices display the same text 'The bias of the filter'" in p for p in found)


def test_unknown_scenario(content):
    found = with_problem(content, "nosuch", STATIC.replace("scenario: conv-window", "scenario: conv-magic"))
    assert len(found) == 1 and ":6: unknown scenario 'conv-magic'; known scenarios:" in found[0]


def test_parameter_out_of_the_scenarios_bounds(content):
    text = PARAMETERISED.replace("max: 12", "max: 500")
    found = with_problem(content, "too-big", text, topic="output-size")
    assert len(found) == 1
    assert ":7: parameter input_height: input_height must be between 1 and 64, got 65" in found[0]


def test_unknown_parameter(content):
    found = with_problem(content, "unknown-param", STATIC.replace("tags: [bias]", "tags: [bias]\nparams: {zoom: 2}"))
    assert any("parameter zoom: conv-window has no parameter 'zoom'" in p for p in found)


def test_latex_that_does_not_parse(content):
    found = with_problem(content, "bad-math", STATIC.replace("What does", "What does $\\frac{1}{$"))
    assert len(found) == 1 and ":8: LaTeX does not parse" in found[0]


def test_unknown_latex_command(content):
    found = with_problem(content, "bad-cmd", STATIC.replace("What does", "What does $\\foo x$"))
    assert any("unknown command \\foo" in p for p in found)


def test_script_in_a_stem(content):
    found = with_problem(content, "xss", STATIC.replace("What does", "<script>alert(1)</script> What does"))
    assert any(":8: a <script> element is not allowed" in p for p in found)


def test_event_handler_and_javascript_url_in_feedback(content):
    text = STATIC.replace("feedback: Right:", 'feedback: <img src=x onerror="alert(1)"> [x](javascript:alert(1)) Right:')
    found = with_problem(content, "xss2", text)
    assert any("an event-handler attribute" in p for p in found)
    assert any("a javascript: URL" in p for p in found)


def test_unknown_placeholder(content):
    found = with_problem(content, "bad-name", STATIC.replace("results.bias", "results.biass"))
    assert any(":18: {{ results.biass }}: results has no 'biass'" in p for p in found)


def test_unknown_misconception_and_missing_feedback(content):
    text = STATIC.replace("misconception: forgot-bias", "misconception: forgot-everything").replace(
        "  feedback: Right: one bias per filter, added once per output element.\n", "")
    found = with_problem(content, "several", text)
    assert any(":11: this choice has no 'feedback:' line" in p for p in found)
    assert any(":12: unknown misconception 'forgot-everything'" in p for p in found)


def test_parameterised_wrong_choice_needs_a_misconception(content):
    text = PARAMETERISED.replace("  misconception: forgot-padding\n", "")
    found = with_problem(content, "unnamed", text, topic="output-size")
    assert any(E.MISCONCEPTION_REQUIRED in p for p in found)


def test_seed_collisions_are_reported_with_the_seed(content):
    text = PARAMETERISED.replace("padding: 2", "padding: 0")  # forgot_padding == the answer
    found = with_problem(content, "collide", text, topic="output-size")
    assert found and all("choices display the same text" in p for p in found)
    assert "seed 0:" in found[0]


def test_empty_file(content):
    found = with_problem(content, "empty", "")
    assert found == [f"content/questions/convolution/empty.md:1: {E.FILE_EMPTY}"]


def test_binary_file(content):
    path = content.root / "questions" / "convolution" / "binary.md"
    path.parent.mkdir(exist_ok=True)
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    assert [p for p in problems(content) if "binary.md" in p] == [
        f"content/questions/convolution/binary.md:1: {E.FILE_NOT_TEXT}"
    ]


def test_five_megabyte_file_is_refused_without_reading_it(content):
    path = content.root / "questions" / "convolution" / "huge.md"
    path.parent.mkdir(exist_ok=True)
    path.write_text(STATIC + "x" * 5_000_000)
    found = [p for p in problems(content) if "huge.md" in p]
    assert found == [f"content/questions/convolution/huge.md:1: "
                     f"{E.FILE_TOO_LARGE.format(size=path.stat().st_size, limit=MAX_FILE_BYTES)}"]


def test_no_front_matter_and_missing_sections(content):
    assert any(E.NO_FRONT_MATTER in p for p in with_problem(content, "plain", "Just text\n"))
    text = STATIC.split("## Choices")[0]
    found = with_problem(content, "stem-only", text)
    assert any(E.NO_CHOICES_SECTION in p for p in found)
    assert any(E.NO_EXPLANATION_SECTION in p for p in found)


def test_many_problems_are_reported_in_one_run(content):
    text = STATIC.replace("difficulty: 1", "difficulty: 7").replace("topic: convolution", "topic: nope")
    text = text.replace("- [x] The bias", "- [ ] The bias")
    found = with_problem(content, "many", text)
    assert len(found) >= 3


@pytest.mark.parametrize("sections, message", [
    ("  - topics: [output-size]\n    count: 9\n", "sections ask for 9 questions"),
    ("  - topics: [nowhere]\n    count: 1\n", "unknown topic 'nowhere'"),
    ("  - {count: 1}\n", "section 1:"),
])
def test_exam_problems(good_content, sections, message):
    good_content.exam("bad-exam", "---\nid: bad-exam\ntitle: Bad\ntime_limit_minutes: 5\n"
                      f"pass_mark: 50\nsections:\n{sections}---\nBad.\n")
    found = [p for p in problems(good_content) if "bad-exam.md" in p]
    assert len(found) == 1 and message in found[0] and found[0].startswith("content/exams/bad-exam.md:6:")
