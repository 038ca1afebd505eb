"""Moodle XML: write items in the structure Moodle's own exporter writes; read what it writes.

Text is ``format="html"``: the site's markdown rendered to HTML with math kept as TeX in
``\\( \\)`` and ``\\[ \\]`` (Moodle's MathJax filter renders them). Moodle's "markdown" format
was not chosen: its Markdown would eat the backslashes of ``\\(`` and the underscores of TeX.
Reading accepts ``html``, ``moodle_auto_format``, ``plain_text`` and ``markdown`` text. Only
single-answer ``multichoice`` and ``numerical`` questions are imported; every other type is
reported per question.
"""

from __future__ import annotations

from xml.sax.saxutils import escape, quoteattr

from .markup import plain_to_html, to_html
from .model import MULTICHOICE, NUMERICAL, Item, ItemChoice, NumericAnswer, Problem
from .reading import parse_xml

COURSE = "$course$"
PENALTY = "0.3333333"
STANDARD_FEEDBACK = (
    ("correctfeedback", "Your answer is correct."),
    ("partiallycorrectfeedback", "Your answer is partially correct."),
    ("incorrectfeedback", "Your answer is incorrect."),
)
SUPPORTED = (MULTICHOICE, NUMERICAL)
UNSUPPORTED_TYPE = "{kind} questions are not supported (only multichoice and numerical are imported)"
SEVERAL_RIGHT = "a multichoice question with several right answers (single=false) is not supported"
PARTIAL_CREDIT = "answers with partial credit ({fractions}) are not supported: one answer scores 100, the others 0"
NO_RIGHT = "no answer has fraction 100"
TOO_FEW = "a question needs at least two answers, found {count}"
NOT_A_QUIZ = "the root element is <{tag}>, not Moodle's <quiz>"
NO_NAME = "the question has no name"
BAD_NUMBER = "answer {text!r} is not a number"


def _text(value: str) -> str:
    """Return ``<text>`` content as Moodle writes it: CDATA when the text holds markup."""
    if not any(c in value for c in "<>&"):
        return value
    return "<![CDATA[" + value.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def _number(value: float) -> str:
    text = repr(float(value))
    return text[:-2] if text.endswith(".0") else text


def _field(tag: str, html: str, indent: str = "    ", fmt: str = "html") -> list[str]:
    return [f'{indent}<{tag} format="{fmt}">', f"{indent}  <text>{_text(html)}</text>", f"{indent}</{tag}>"]


def _category(path: list[str]) -> list[str]:
    return [
        "<!-- question: 0  -->",
        '  <question type="category">',
        "    <category>",
        f"      <text>{escape('/'.join([COURSE, *path]))}</text>",
        "    </category>",
        '    <info format="html">',
        "      <text></text>",
        "    </info>",
        "    <idnumber></idnumber>",
        "  </question>",
        "",
    ]


def _question(item: Item, number: int) -> list[str]:
    kind = "multichoice" if item.kind == MULTICHOICE else "numerical"
    lines = [f"<!-- question: {number}  -->", f"  <question type={quoteattr(kind)}>",
             "    <name>", f"      <text>{escape(item.name)}</text>", "    </name>"]
    lines += _field("questiontext", item.stem_html)
    lines += _field("generalfeedback", item.explanation_html)
    lines += ["    <defaultgrade>1</defaultgrade>", f"    <penalty>{PENALTY}</penalty>", "    <hidden>0</hidden>",
              f"    <idnumber>{escape(item.idnumber)}</idnumber>"]
    if item.kind == MULTICHOICE:
        shuffle = "true" if item.shuffle else "false"
        lines += ["    <single>true</single>", f"    <shuffleanswers>{shuffle}</shuffleanswers>",
                  "    <answernumbering>abc</answernumbering>",
                  "    <showstandardinstruction>0</showstandardinstruction>"]
        for tag, text in STANDARD_FEEDBACK:
            lines += _field(tag, text)
        for choice in item.choices:
            lines += [f'    <answer fraction="{100 if choice.correct else 0}" format="html">',
                      f"      <text>{_text(choice.html)}</text>"]
            lines += _field("feedback", choice.feedback_html, indent="      ")
            lines += ["    </answer>"]
    else:
        numeric = item.numeric
        answers = [(numeric.value, numeric.tolerance, numeric.feedback_html, 100), *(
            (value, tolerance, feedback, 0) for value, tolerance, feedback in numeric.wrong)]
        for value, tolerance, feedback, fraction in answers:
            lines += [f'    <answer fraction="{fraction}" format="plain_text">', f"      <text>{_number(value)}</text>"]
            lines += _field("feedback", feedback, indent="      ")
            lines += [f"      <tolerance>{_number(tolerance)}</tolerance>", "    </answer>"]
        lines += ["    <unitgradingtype>0</unitgradingtype>", "    <unitpenalty>0.1000000</unitpenalty>",
                  "    <showunits>3</showunits>", "    <unitsleft>0</unitsleft>"]
        for hint in numeric.hints:
            lines += _field("hint", hint)
    if item.tags:
        lines += ["    <tags>", *(f"      <tag><text>{escape(tag)}</text></tag>" for tag in item.tags), "    </tags>"]
    lines += ["  </question>", ""]
    return lines


def write(items: list[Item]) -> str:
    """Return a Moodle XML file holding ``items`` (a category question before each new category)."""
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', "<quiz>"]
    category = None
    for number, item in enumerate(items, start=1):
        if item.category != category:
            category = item.category
            lines += _category(category)
        lines += _question(item, number)
    lines += ["</quiz>", ""]
    return "\n".join(lines)


# --- reading --------------------------------------------------------------------------


def _html_of(element, default: str = "") -> str:
    """Return the HTML of a ``<tag format=..><text>..</text></tag>`` element, whatever its format."""
    if element is None:
        return default
    text = element.findtext("text") or ""
    fmt = element.get("format", "html")
    if fmt == "html":
        return text.strip()
    if fmt == "markdown":
        return to_html(text)
    paragraphs = [p for p in text.strip().split("\n\n") if p.strip()]
    return "\n".join(f"<p>{plain_to_html(p.strip())}</p>" for p in paragraphs)


def _fraction(answer) -> float:
    try:
        return float(answer.get("fraction", "0"))
    except ValueError:
        return float("nan")


def read(raw: bytes, name: str) -> tuple[list[Item], list[Problem]]:
    """Return the items of a Moodle XML file and every problem, per question (``name:question N``)."""
    root = parse_xml(raw, name)
    if root.tag != "quiz":
        return [], [Problem(name, 0, NOT_A_QUIZ.format(tag=root.tag))]
    items, problems, category, number = [], [], [], 0
    for question in root.findall("question"):
        kind = question.get("type", "")
        if kind == "category":
            path = (question.findtext("category/text") or "").strip().split("/")
            category = [part for part in path if part and part not in (COURSE, "$system$", "$module$", "$cat1$", "top")]
            continue
        number += 1
        found = _read_question(question, kind, category, f"{name}:question {number}")
        if isinstance(found, str):
            problems.append(Problem(name, number, found))
        else:
            items.append(found)
    return items, problems


def _read_question(question, kind: str, category: list[str], where: str) -> Item | str:
    if kind not in SUPPORTED:
        return UNSUPPORTED_TYPE.format(kind=kind or "untyped")
    name = (question.findtext("name/text") or "").strip()
    if not name:
        return NO_NAME
    item = Item(name=name, kind=kind, idnumber=(question.findtext("idnumber") or "").strip(),
                category=list(category), stem_html=_html_of(question.find("questiontext")),
                explanation_html=_html_of(question.find("generalfeedback")), where=where,
                tags=[t.strip() for t in (e.text or "" for e in question.findall("tags/tag/text")) if t.strip()])
    answers = question.findall("answer")
    if kind == MULTICHOICE:
        if (question.findtext("single") or "true").strip().lower() in ("false", "0"):
            return SEVERAL_RIGHT
        item.shuffle = (question.findtext("shuffleanswers") or "true").strip().lower() not in ("false", "0")
        fractions = [_fraction(a) for a in answers]
        if any(f not in (0.0, 100.0) for f in fractions):
            return PARTIAL_CREDIT.format(fractions=", ".join(a.get("fraction", "?") for a in answers))
        if len(answers) < 2:
            return TOO_FEW.format(count=len(answers))
        if 100.0 not in fractions:
            return NO_RIGHT
        item.choices = [ItemChoice(html=_html_of(a), correct=f == 100.0, feedback_html=_html_of(a.find("feedback")))
                        for a, f in zip(answers, fractions, strict=True)]
        return item
    right, wrong = None, []
    for answer in answers:
        text = (answer.findtext("text") or "").strip()
        if text == "*":
            continue
        try:
            value = float(text)
            tolerance = abs(float((answer.findtext("tolerance") or "0").strip() or 0))
        except ValueError:
            return BAD_NUMBER.format(text=text)
        feedback = _html_of(answer.find("feedback"))
        if _fraction(answer) == 100.0 and right is None:
            right = (value, tolerance, feedback)
        elif _fraction(answer) == 0.0:
            wrong.append((value, tolerance, feedback))
        else:
            return PARTIAL_CREDIT.format(fractions=", ".join(a.get("fraction", "?") for a in answers))
    if right is None:
        return NO_RIGHT
    item.numeric = NumericAnswer(value=right[0], tolerance=right[1], tolerance_amount=right[1],
                                 feedback_html=right[2], wrong=tuple(wrong),
                                 hints=tuple(_html_of(h) for h in question.findall("hint")))
    return item
