"""Moodle XML: read what Moodle writes, write what Moodle's importer expects, refuse bad files."""

from xml.etree import ElementTree as ET

import pytest

from quizzes.content.bank import load_bank
from quizzes.interchange import build, moodle_xml
from quizzes.interchange.importer import NUMERICAL_NOT_YET, numeric_supported, plan_import
from quizzes.interchange.model import NUMERICAL, ImportRefused
from quizzes.interchange.reading import BROKEN_XML, MAX_IMPORT_BYTES, UNSAFE_XML
from quizzes.interchange.service import plan_file

from .conftest import FIXTURES

ONE_GOOD = """<?xml version="1.0" encoding="UTF-8"?>
<quiz>
  <question type="multichoice">
    <name><text>Stride two</text></name>
    <questiontext format="html"><text><![CDATA[<p>A 7x7 input, kernel 3, stride 2: output height \\(H_o\\)?</p>]]></text></questiontext>
    <generalfeedback format="html"><text><![CDATA[<p>\\((7 - 3)/2 + 1 = 3\\)</p>]]></text></generalfeedback>
    <single>true</single>
    <shuffleanswers>1</shuffleanswers>
    <answer fraction="100" format="html"><text>3</text><feedback format="html"><text>Right.</text></feedback></answer>
    <answer fraction="0" format="html"><text>5</text><feedback format="html"><text>That ignores the stride.</text></feedback></answer>
  </question>
  <question type="truefalse">
    <name><text>TF</text></name>
    <questiontext format="html"><text>True?</text></questiontext>
    <answer fraction="100"><text>true</text></answer><answer fraction="0"><text>false</text></answer>
  </question>
</quiz>
"""


def test_moodles_numerical_export_reads_as_a_typed_number_with_its_tolerance():
    items, problems = moodle_xml.read((FIXTURES / "export_numerical.xml").read_bytes(), "export_numerical.xml")
    assert not problems
    (item,) = items
    assert item.kind == NUMERICAL and item.name == "Numerical question"
    assert (item.numeric.value, item.numeric.tolerance) == (42.0, 0.001)
    assert item.numeric.wrong == ((13.0, 1.0, "What were you thinking?!"),), "the '*' catch-all is not a value"
    assert item.explanation_html == "General feedback: Think Hitch-hikers guide to the Galaxy."


@pytest.mark.parametrize("fixture", ["testquestion_multichoice.moodle.xml", "export_multichoice.xml"])
def test_moodles_multiple_response_questions_are_reported_not_imported(fixture):
    items, problems = moodle_xml.read((FIXTURES / fixture).read_bytes(), fixture)
    assert items == []
    assert [str(p) for p in problems] == [f"{fixture}:question 1: {moodle_xml.SEVERAL_RIGHT}"]


def _shape(question: ET.Element) -> list[str]:
    """Return the child tags of a question (repeats collapsed), and of its first answer, in order."""
    tags = []
    for child in question:
        if not tags or tags[-1] != child.tag:
            tags.append(child.tag)
    return tags + ["answer:" + child.tag for child in question.find("answer")]


def test_our_multichoice_has_the_structure_moodle_writes(real_bank):
    ours = ET.fromstring(moodle_xml.write(build.bank_items(real_bank, pattern="conv-correlation-vs-convolution")))
    theirs = ET.fromstring((FIXTURES / "testquestion_multichoice.moodle.xml").read_bytes())
    ours_q = ours.find("question[@type='multichoice']")
    theirs_q = theirs.find("question[@type='multichoice']")
    their_shape = [t for t in _shape(theirs_q) if t not in ("shownumcorrect", "hint")]
    our_shape = [t for t in _shape(ours_q) if t not in ("idnumber", "tags")]
    assert our_shape == their_shape
    assert ours.find("question[@type='category']/category/text").text.startswith("$course$/Backprop Lab/")
    assert ours_q.find("single").text == "true" and ours_q.find("questiontext").get("format") == "html"


def test_our_numerical_has_the_structure_moodle_writes(real_bank):
    from .test_build import numeric_source

    ours = ET.fromstring(moodle_xml.write(build.question_items(numeric_source(), real_bank, topic_title="Output size",
                                                               variants=1)))
    theirs = ET.fromstring((FIXTURES / "export_numerical.xml").read_bytes())
    ours_q, theirs_q = ours.find("question[@type='numerical']"), theirs.find("question[@type='numerical']")
    assert [t for t in _shape(ours_q) if not t.startswith("unit") and t not in ("showunits", "hint", "tags")] == [
        *_shape(theirs_q)]


def _refused(raw: bytes, name: str, bank) -> list[str]:
    items, problems = moodle_xml.read(raw, name)
    with pytest.raises(ImportRefused) as refused:
        plan_import(items, problems, file=name, bank=bank, topic="output-size")
    return [str(p) for p in refused.value.problems]


def test_an_unsupported_question_refuses_the_whole_file_and_says_which(empty_bank_root):
    bank = load_bank(empty_bank_root)
    assert _refused(ONE_GOOD.encode(), "mixed.xml", bank) == [
        "mixed.xml:question 2: " + moodle_xml.UNSUPPORTED_TYPE.format(kind="truefalse")]
    assert not list((empty_bank_root / "questions").rglob("*.md")), "nothing half-imported"


def test_a_good_file_imports_as_a_valid_markdown_question(empty_bank_root):
    good = ONE_GOOD.split("  <question type=\"truefalse\">")[0] + "</quiz>\n"
    path = empty_bank_root.parent / "good.xml"
    path.write_text(good)
    plan = plan_file(path=path, root=empty_bank_root, topic="output-size")
    ((target, text),) = plan.files.items()
    assert target == empty_bank_root / "questions" / "output-size" / "stride-two.md"
    assert "scenario: conv-output-size" in text and "$H_o$" in text and "- [x] 3" in text
    assert "  feedback: That ignores the stride." in text


def test_moodles_numerical_question_imports_as_a_typed_number_or_is_reported(empty_bank_root):
    """Written as an ``## Answer`` file where the bank's format has typed numbers, else reported."""
    path = FIXTURES / "export_numerical.xml"
    if not numeric_supported():
        problems = _refused(path.read_bytes(), "export_numerical.xml", load_bank(empty_bank_root))
        assert problems == [f"export_numerical.xml:question 1: {NUMERICAL_NOT_YET}"]
        return
    ((target, text),) = plan_file(path=path, root=empty_bank_root, topic="loss-functions").files.items()
    assert target.name == "numerical-question.md"
    assert "## Answer\nvalue: 42\ntolerance: 0.001\n" in text


def test_broken_xml_is_refused_with_its_position(tmp_path, empty_bank_root):
    path = tmp_path / "broken.xml"
    path.write_text("<quiz><question type='multichoice'><name><text>x</name></quiz>")
    with pytest.raises(ImportRefused) as refused:
        plan_file(path=path, root=empty_bank_root, topic="output-size")
    (problem,) = refused.value.problems
    assert str(problem).startswith("broken.xml: " + BROKEN_XML.split("{")[0]) and "line 1" in str(problem)


def test_an_xml_bomb_is_refused_before_any_entity_expands(tmp_path, empty_bank_root):
    bomb = ['<?xml version="1.0"?>', "<!DOCTYPE quiz [", '<!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">']
    bomb += [f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(9)]
    bomb += ["]>", "<quiz><question type='multichoice'><name><text>&j;</text></name></question></quiz>"]
    path = tmp_path / "bomb.xml"
    path.write_text("\n".join(bomb))
    with pytest.raises(ImportRefused) as refused:
        plan_file(path=path, root=empty_bank_root, topic="output-size")
    assert str(refused.value.problems[0]).startswith("bomb.xml: " + UNSAFE_XML.split("{")[0])


def test_a_20_megabyte_file_is_refused_for_its_size_without_being_read(tmp_path, empty_bank_root):
    path = tmp_path / "huge.xml"
    with path.open("wb") as handle:
        handle.write(b"<quiz>" + b" " * (20 * 1024 * 1024) + b"</quiz>")
    with pytest.raises(ImportRefused) as refused:
        plan_file(path=path, root=empty_bank_root, topic="output-size")
    message = str(refused.value.problems[0])
    assert message.startswith("huge.xml: the file is 20,971,533 bytes")
    assert f"at most {MAX_IMPORT_BYTES:,} bytes" in message


def test_an_existing_file_is_not_overwritten_unless_told(tmp_path, empty_bank_root):
    good = ONE_GOOD.split("  <question type=\"truefalse\">")[0] + "</quiz>\n"
    path = tmp_path / "good.xml"
    path.write_text(good)
    target = empty_bank_root / "questions" / "output-size" / "stride-two.md"
    target.parent.mkdir()
    target.write_text("mine")
    with pytest.raises(ImportRefused) as refused:
        plan_file(path=path, root=empty_bank_root, topic="output-size")
    assert "already exists (use --overwrite" in str(refused.value.problems[0])
    assert target.read_text() == "mine"
    assert plan_file(path=path, root=empty_bank_root, topic="output-size", overwrite=True).files


def test_an_unknown_topic_is_refused(tmp_path, empty_bank_root):
    path = tmp_path / "good.xml"
    path.write_text(ONE_GOOD)
    with pytest.raises(ImportRefused) as refused:
        plan_file(path=path, root=empty_bank_root, topic="nope")
    assert "unknown topic 'nope'" in str(refused.value.problems[0])
