"""Turn imported items into ``content/questions/<topic>/<id>.md`` files: all of them, or none.

Every item is written as markdown in memory, parsed back and validated against the bank
(topic, scenario, ids, math, choices) before anything touches the disk; one problem anywhere
refuses the whole file, each reported as ``file:question N: message``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, fields
from pathlib import Path

from cnncore import scenarios
from cnncore.scenarios import UnknownScenario

from ..content.bank import QUESTIONS_DIR, Bank
from ..content.parse import ID_PATTERN, parse_question
from ..content.schema import QuestionSource
from ..content.validate import validate_question
from .markup import to_markdown, to_markdown_line
from .model import MULTICHOICE, ImportRefused, Item, Problem

DEFAULT_DIFFICULTY = 2
RIGHT_FEEDBACK = "Right."
WRONG_FEEDBACK = "Not this one."
NO_EXPLANATION = "The imported question had no general feedback; explain the answer here."
UNKNOWN_TOPIC = "unknown topic {topic!r}; topics.yml has: {known}"
NUMERICAL_NOT_YET = (
    "numerical questions cannot be written as content files yet: this bank's question format has "
    "multiple-choice questions only"
)
FILE_EXISTS = "{path} already exists (use --overwrite to replace it)"
ID_TAKEN = "id {qid!r} is already used by {other}"
EMPTY_CHOICE = "choice {index} has no text"


@dataclass
class ImportPlan:
    """What an import writes: ``files`` maps each path to its text."""

    files: dict[Path, str] = field(default_factory=dict)
    ids: list[str] = field(default_factory=list)


def slug(text: str) -> str:
    """Return ``text`` as a question id: lowercase letters, digits and single hyphens."""
    cleaned = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return cleaned[:80].strip("-") or "imported-question"


def default_scenario(topic: str) -> str:
    """Return the first scenario of ``topic`` (what an imported question's lab link shows)."""
    for scenario in scenarios.all_scenarios():
        if scenario.topic == topic:
            return scenario.name
    return scenarios.all_scenarios()[0].name


def _front_matter(item: Item, qid: str, topic: str, scenario: str) -> list[str]:
    lines = ["---", f"id: {qid}", f"topic: {topic}", f"difficulty: {item.difficulty or DEFAULT_DIFFICULTY}"]
    tags = item.plain_tags
    if tags:
        lines.append("tags: [" + ", ".join(_yaml_word(t) for t in tags) + "]")
    lines.append(f"scenario: {scenario}")
    if not item.shuffle:
        lines.append("shuffle: false")
    lines.append("---")
    return lines


def _yaml_word(text: str) -> str:
    return text if re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9 _.-]*", text) else '"' + text.replace('"', "'") + '"'


def _feedback_lines(markdown: str) -> list[str]:
    first, *rest = markdown.split("\n")
    return [f"  feedback: {first}"] + [f"    {line}" if line.strip() else "" for line in rest]


def question_text(item: Item, *, qid: str, topic: str, scenario: str) -> str:
    """Return the markdown file of a multiple-choice ``item``."""
    lines = _front_matter(item, qid, topic, scenario)
    lines += [to_markdown(item.stem_html), "", "## Choices"]
    for choice in item.choices:
        lines.append(f"- [{'x' if choice.correct else ' '}] {to_markdown_line(choice.html)}")
        feedback = to_markdown(choice.feedback_html) or (RIGHT_FEEDBACK if choice.correct else WRONG_FEEDBACK)
        lines += _feedback_lines(feedback)
    lines += ["", "## Explanation", to_markdown(item.explanation_html) or NO_EXPLANATION, ""]
    return "\n".join(lines)


def numeric_supported() -> bool:
    """Return whether this bank's question format has typed-number questions (an ``## Answer``)."""
    return "answer" in {f.name for f in fields(QuestionSource)}


def _number_text(value: float) -> str:
    text = repr(float(value))
    return text[:-2] if text.endswith(".0") else text


def _tolerance_text(numeric) -> str:
    """Return the tolerance as written in a file: relative (``0.5%``) when every answer's
    tolerance is the same fraction of its value (how a relative tolerance exports), else absolute."""
    pairs = [(numeric.value, numeric.tolerance), *((v, t) for v, t, _ in numeric.wrong)]
    if numeric.tolerance and all(v for v, _ in pairs):
        ratios = [t / abs(v) for v, t in pairs]
        percent = f"{ratios[0] * 100:g}"
        if all(abs(r - ratios[0]) <= 1e-9 * ratios[0] for r in ratios) and len(pairs) > 1:
            return f"{percent}%"
    return _number_text(numeric.tolerance)


def _misconception_slugs(numeric, bank: Bank) -> list[tuple[str, float]]:
    """Return (slug, value) for each wrong answer whose feedback starts with a known misconception's label."""
    by_label = {m.label: slug for slug, m in bank.misconceptions.items()}
    found = []
    for value, _, feedback in numeric.wrong:
        label = to_markdown(feedback).split(":", 1)[0].strip()
        if label in by_label:
            found.append((by_label[label], value))
    return found


def numeric_text(item: Item, *, qid: str, topic: str, scenario: str, bank: Bank) -> str:
    """Return the markdown file of a typed-number ``item``: value, tolerance, misconceptions, hints.

    A wrong answer is kept as a misconception when its feedback starts with the label of one
    in misconceptions.yml (as exported); others name no slug and are dropped.
    """
    numeric = item.numeric
    lines = _front_matter(item, qid, topic, scenario)
    lines += [to_markdown(item.stem_html), "", "## Answer", f"value: {_number_text(numeric.value)}",
              f"tolerance: {_tolerance_text(numeric)}"]
    slugs = _misconception_slugs(numeric, bank)
    if slugs:
        lines.append("misconceptions:")
        lines += [f"  {slug}: {_number_text(value)}" for slug, value in slugs]
    hints = [to_markdown(hint) for hint in numeric.hints if to_markdown(hint)]
    if hints:
        lines.append("hints:")
        for hint in hints:
            first, *rest = hint.split("\n")
            lines += [f"  - {first}", *(f"    {line}" for line in rest if line.strip())]
    lines += ["", "## Explanation", to_markdown(item.explanation_html) or NO_EXPLANATION, ""]
    return "\n".join(lines)


def _scenario_for(item: Item, topic: str, chosen: str | None) -> str:
    if chosen:
        return chosen
    try:
        return scenarios.get(item.scenario).name if item.scenario else default_scenario(topic)
    except UnknownScenario:
        return default_scenario(topic)


def plan_import(items: list[Item], problems: list[Problem], *, file: str, bank: Bank, topic: str,
                scenario: str | None = None, overwrite: bool = False) -> ImportPlan:
    """Return the files an import would write; raise ``ImportRefused`` with every problem."""
    problems = list(problems)
    known = [t.slug for t in bank.topics]
    if topic not in known:
        raise ImportRefused([Problem(file, 0, UNKNOWN_TOPIC.format(topic=topic, known=", ".join(known)))])
    taken = {q.id: q.path for q in bank.questions}
    plan = ImportPlan()
    folder = bank.root / QUESTIONS_DIR / topic
    for number, item in _numbered(items):
        qid = item.idnumber if ID_PATTERN.match(item.idnumber or "") else slug(item.name)
        base, suffix = qid, 2
        while qid in plan.ids:
            qid, suffix = f"{base}-{suffix}", suffix + 1
        plan.ids.append(qid)
        path = folder / f"{qid}.md"

        def refuse(message: str, number=number) -> None:
            problems.append(Problem(file, number, message))

        if item.kind != MULTICHOICE and not numeric_supported():
            refuse(NUMERICAL_NOT_YET)
            continue
        if qid in taken and not (overwrite and taken[qid] == bank.display_path(path)):
            refuse(ID_TAKEN.format(qid=qid, other=taken[qid]))
            continue
        if path.exists() and not overwrite:
            refuse(FILE_EXISTS.format(path=bank.display_path(path)))
            continue
        for index, choice in enumerate(item.choices, start=1):
            if not to_markdown_line(choice.html):
                refuse(EMPTY_CHOICE.format(index=index))
        chosen = _scenario_for(item, topic, scenario)
        if item.kind == MULTICHOICE:
            text = question_text(item, qid=qid, topic=topic, scenario=chosen)
        else:
            text = numeric_text(item, qid=qid, topic=topic, scenario=chosen, bank=bank)
        question, errors = parse_question(text, bank.display_path(path))
        if question is not None and not errors:
            errors = validate_question(question, bank)
        for error in errors:
            refuse(f"{error.message} (in the file it would write, line {error.line})")
        plan.files[path] = text
    problems = sorted(set(problems), key=lambda p: (p.number, p.message))
    if problems:
        raise ImportRefused(problems)
    return plan


def _numbered(items: list[Item]):
    """Yield (number in the file, item); the number comes from ``item.where`` when known."""
    for position, item in enumerate(items, start=1):
        number = position
        if item.where and ":question " in item.where:
            number = int(item.where.rsplit(":question ", 1)[1])
        yield number, item


def write_plan(plan: ImportPlan) -> list[Path]:
    """Write every file of ``plan``; return their paths."""
    for path, text in plan.files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return list(plan.files)
