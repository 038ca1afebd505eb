"""GIFT: Moodle's plain-text question format, written and read as Moodle's own GIFT filter does.

Every text is marked ``[html]`` (the same HTML with TeX math as Moodle XML). Reserved
characters are escaped the way Moodle's exporter escapes them (``\\\\ \\# \\= \\~ \\{ \\} \\:``
and ``\\n`` for a line break); ``// [id:...]`` and ``// [tag:...]`` comments carry the id
number and the tags, ``$CATEGORY:`` lines the categories. GIFT has no "shuffle" flag: an
imported question shuffles. Only single-answer multiple choice and numerical questions are
imported; every other kind is reported per question.
"""

from __future__ import annotations

import re

from .markup import plain_to_html, to_html
from .model import MULTICHOICE, NUMERICAL, Item, ItemChoice, NumericAnswer, Problem
from .moodle_xml import COURSE, SEVERAL_RIGHT, TOO_FEW, UNSUPPORTED_TYPE

RESERVED = {"\\": "\\\\", "#": "\\#", "=": "\\=", "~": "\\~", "{": "\\{", "}": "\\}", ":": "\\:", "\n": "\\n"}
PLACEHOLDERS = {"\\\\": "\ue000", "\\:": "\ue001", "\\#": "\ue002", "\\=": "\ue003", "\\{": "\ue004",
                "\\}": "\ue005", "\\~": "\ue006", "\\n": "\ue007"}
RESTORE = {"\ue000": "\\", "\ue001": ":", "\ue002": "#", "\ue003": "=", "\ue004": "{", "\ue005": "}",
           "\ue006": "~", "\ue007": "\n"}
FORMAT = re.compile(r"^\s*\[(html|moodle|plain|markdown)\]")
ID_COMMENT = re.compile(r"\[id:([^\]]*)\]")
TAG_COMMENT = re.compile(r"\[tag:([^\]]*)\]")
WEIGHT = re.compile(r"^%(-?[\d.]+)%")
NO_ANSWERS = "no answer block {...} found"
UNCLOSED = "the answer block is not closed with '}'"
PARTIAL = "answers with partial credit (%{weight}%) are not supported"
BAD_NUMBER = "numerical answer {text!r} is not a number (value, value:tolerance or min..max)"


def _escape(text: str) -> str:
    return "".join(RESERVED.get(c, c) for c in text)


def _html(text: str) -> str:
    return "[html]" + _escape(text)


def _number(value: float) -> str:
    text = repr(float(value))
    return text[:-2] if text.endswith(".0") else text


def _question(item: Item, number: int) -> list[str]:
    lines = [f"// question: {number}  name: {item.name}"]
    meta = ([f"[id:{item.idnumber}]"] if item.idnumber else []) + [f"[tag:{tag}]" for tag in item.tags]
    if meta:
        lines.append("// " + " ".join(meta))
    head = f"::{_escape(item.name)}::{_html(item.stem_html)}{{"
    body = []
    if item.kind == MULTICHOICE:
        for choice in item.choices:
            mark = "=" if choice.correct else "~"
            body.append(f"\t{mark}{_html(choice.html)}#{_html(choice.feedback_html)}")
    else:
        numeric = item.numeric
        head += "#"
        body.append(f"\t=%100%{_number(numeric.value)}:{_number(numeric.tolerance)}#{_html(numeric.feedback_html)}")
        for value, tolerance, feedback in numeric.wrong:
            body.append(f"\t=%0%{_number(value)}:{_number(tolerance)}#{_html(feedback)}")
    body.append(f"\t####{_html(item.explanation_html)}")
    return [*lines, head, *body, "}", ""]


def write(items: list[Item]) -> str:
    """Return a GIFT file holding ``items`` (a ``$CATEGORY:`` line before each new category)."""
    lines: list[str] = []
    category = None
    for number, item in enumerate(items, start=1):
        if item.category != category:
            category = item.category
            path = "/".join([COURSE, *category])
            lines += [f"// question: 0  name: Switch category to {path}", f"$CATEGORY: {path}", ""]
        lines += _question(item, number)
    return "\n".join(lines)


# --- reading --------------------------------------------------------------------------


def _protect(text: str) -> str:
    for escaped, placeholder in PLACEHOLDERS.items():
        text = text.replace(escaped, placeholder)
    return text


def _restore(text: str) -> str:
    return "".join(RESTORE.get(c, c) for c in text)


def _to_html(raw: str, default: str = "moodle") -> str:
    """Return the HTML of a GIFT text (with its optional ``[format]``), escapes undone."""
    match = FORMAT.match(raw)
    fmt = match.group(1) if match else default
    text = _restore(raw[match.end():] if match else raw).strip()
    if fmt == "html":
        return text
    if fmt == "markdown":
        return to_html(text)
    return "\n".join(f"<p>{plain_to_html(p.strip())}</p>" for p in text.split("\n\n") if p.strip())


def _blocks(text: str) -> list[tuple[list[str], list[str], str]]:
    """Split a GIFT file into questions: (category path, comment lines, question text)."""
    found, category, comments, current = [], [], [], []

    def flush() -> None:
        if current:
            found.append((list(category), list(comments), "\n".join(current)))
        current.clear()
        comments.clear()

    for line in text.split("\n"):
        stripped = line.strip()
        if stripped.startswith("$CATEGORY:"):
            flush()
            path = stripped[len("$CATEGORY:"):].strip().split("/")
            category[:] = [p for p in path if p and p not in (COURSE, "$system$", "$module$", "$cat1$", "top")]
        elif stripped.startswith("//"):
            if current:
                continue
            comments.append(stripped)
        elif not stripped:
            flush()
        else:
            current.append(line)
    flush()
    return found


def _split_answers(block: str) -> list[tuple[str, str]]:
    """Return (mark, rest) for each ``=``/``~`` answer of a protected answer block."""
    parts = re.split(r"([=~])", block)
    answers, mark = [], None
    for part in parts:
        if part in ("=", "~"):
            mark = part
        elif mark is not None:
            answers.append((mark, part))
    return answers


def read(raw: bytes | str, name: str) -> tuple[list[Item], list[Problem]]:
    """Return the items of a GIFT file and every problem, per question (``name:question N``)."""
    text = raw.decode("utf-8-sig") if isinstance(raw, bytes) else raw
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    items, problems = [], []
    for number, (category, comments, question) in enumerate(_blocks(_protect(text)), start=1):
        found = _read_question(question, category, comments, f"{name}:question {number}")
        if isinstance(found, str):
            problems.append(Problem(name, number, found))
        else:
            items.append(found)
    return items, problems


def _read_question(question: str, category: list[str], comments: list[str], where: str) -> Item | str:
    title = re.match(r"^\s*::(.*?)::", question, re.DOTALL)
    body = question[title.end():] if title else question
    start = body.find("{")
    if start < 0:
        return NO_ANSWERS
    end = body.find("}", start)
    if end < 0:
        return UNCLOSED
    stem_raw, block, after = body[:start], body[start + 1:end], body[end + 1:].strip()
    if after:
        stem_raw = stem_raw.rstrip() + " _____ " + after
    name = _restore(title.group(1)).strip() if title else _restore(stem_raw).strip()[:60]
    meta = " ".join(comments)
    item = Item(name=name, category=list(category), stem_html=_to_html(stem_raw), where=where,
                idnumber=next(iter(ID_COMMENT.findall(meta)), "").strip(),
                tags=[t.strip() for t in TAG_COMMENT.findall(meta) if t.strip()])
    block, _, general = block.partition("####")
    item.explanation_html = _to_html(general) if general.strip() else ""
    content = block.strip()
    if not content:
        return UNSUPPORTED_TYPE.format(kind="essay")
    if content.startswith("#"):
        return _numerical(item, content[1:])
    if re.fullmatch(r"(T|F|TRUE|FALSE)(#.*)?", content, re.DOTALL):
        return UNSUPPORTED_TYPE.format(kind="truefalse")
    answers = _split_answers(content)
    if any("->" in rest for _, rest in answers):
        return UNSUPPORTED_TYPE.format(kind="matching")
    if not any(mark == "~" for mark, _ in answers):
        return UNSUPPORTED_TYPE.format(kind="shortanswer")
    choices = []
    for mark, rest in answers:
        weight = WEIGHT.match(rest.strip())
        if weight:
            value = float(weight.group(1))
            if mark == "~" and value > 0:
                return SEVERAL_RIGHT
            if value not in (0.0, 100.0):
                return PARTIAL.format(weight=weight.group(1))
            rest = rest.strip()[weight.end():]
        answer, _, feedback = rest.partition("#")
        choices.append(ItemChoice(html=_to_html(answer), correct=mark == "=", feedback_html=_to_html(feedback)))
    if sum(choice.correct for choice in choices) != 1:
        return SEVERAL_RIGHT
    if len(choices) < 2:
        return TOO_FEW.format(count=len(choices))
    item.kind, item.choices = MULTICHOICE, choices
    return item


def _numerical_value(text: str) -> tuple[float, float]:
    text = _restore(text).strip()
    if ".." in text:
        low, high = (float(part) for part in text.split(".."))
        return (low + high) / 2, abs(high - low) / 2
    value, _, tolerance = text.partition(":")
    return float(value), abs(float(tolerance)) if tolerance.strip() else 0.0


def _numerical(item: Item, block: str) -> Item | str:
    block = block.strip()
    answers = _split_answers(block if block[:1] in ("=", "~") else "=" + block)
    right, wrong = None, []
    for mark, rest in answers:
        rest = rest.strip()
        weight = WEIGHT.match(rest)
        score = float(weight.group(1)) if weight else (100.0 if mark == "=" else 0.0)
        if weight:
            rest = rest[weight.end():]
        answer, _, feedback = rest.partition("#")
        if mark == "~" and not answer.strip():
            continue  # "any other answer" feedback: Moodle's '*'
        try:
            value, tolerance = _numerical_value(answer)
        except ValueError:
            return BAD_NUMBER.format(text=_restore(answer).strip())
        if score == 100.0 and right is None:
            right = (value, tolerance, _to_html(feedback))
        elif score == 0.0:
            wrong.append((value, tolerance, _to_html(feedback)))
        else:
            return PARTIAL.format(weight=weight.group(1) if weight else score)
    if right is None:
        return "no answer scores 100%"
    item.kind = NUMERICAL
    item.numeric = NumericAnswer(value=right[0], tolerance=right[1], tolerance_amount=right[1],
                                 feedback_html=right[2], wrong=tuple(wrong))
    return item
