"""Load all of ``content/``: topics, misconceptions, questions and exams, with their problems."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field, replace
from pathlib import Path

from .errors import BAD_MISCONCEPTION, BAD_TOPIC, DUPLICATE_TOPIC, TOPICS_FILE_MISSING, ContentError
from .files import read_text
from .parse import parse_exam, parse_question
from .schema import ExamSource, MisconceptionSource, QuestionSource, TopicSource
from .yamlish import load_yaml

TOPICS_FILE = "topics.yml"
MISCONCEPTIONS_FILE = "misconceptions.yml"
QUESTIONS_DIR = "questions"
EXAMS_DIR = "exams"


@dataclass
class Bank:
    """Everything under one content folder, parsed; ``errors`` holds the parse problems."""

    root: Path
    topics: list[TopicSource] = field(default_factory=list)
    misconceptions: dict[str, MisconceptionSource] = field(default_factory=dict)
    questions: list[QuestionSource] = field(default_factory=list)
    exams: list[ExamSource] = field(default_factory=list)
    errors: list[ContentError] = field(default_factory=list)

    def display_path(self, path: Path) -> str:
        """Return ``path`` as authors see it: ``content/questions/...`` for the default folder."""
        try:
            return str(path.resolve().relative_to(self.root.resolve().parent))
        except ValueError:
            return str(path)

    def question(self, qid: str) -> QuestionSource | None:
        return next((q for q in self.questions if q.id == qid), None)


def content_hash(data: dict) -> str:
    """Return a stable hash of a version's data (what changed is what students would see)."""
    return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()


def load_bank(root: Path) -> Bank:
    """Parse every file under ``root``; problems are collected, never raised."""
    bank = Bank(root=root)
    _load_topics(bank)
    _load_misconceptions(bank)
    for path in sorted((root / QUESTIONS_DIR).rglob("*.md")):
        question = load_question_file(bank, path)
        if question is not None:
            bank.questions.append(question)
    for path in sorted((root / EXAMS_DIR).rglob("*.md")):
        text, errors = read_text(path, bank.display_path(path))
        bank.errors.extend(errors)
        if text is not None:
            exam, errors = parse_exam(text, bank.display_path(path))
            bank.errors.extend(errors)
            if exam is not None:
                bank.exams.append(exam)
    return bank


def load_question_file(bank: Bank, path: Path) -> QuestionSource | None:
    """Parse one question file into ``bank``'s terms (misconception labels attached)."""
    display = bank.display_path(path)
    text, errors = read_text(path, display)
    bank.errors.extend(errors)
    if text is None:
        return None
    question, errors = parse_question(text, display)
    bank.errors.extend(errors)
    if question is not None:
        question.choices = [
            replace(choice, misconception_label=bank.misconceptions[choice.misconception].label)
            if choice.misconception in bank.misconceptions else choice
            for choice in question.choices
        ]
        if question.answer is not None:
            question.answer = replace(question.answer, labels={
                slug: {"label": bank.misconceptions[slug].label,
                       "description": bank.misconceptions[slug].description}
                for slug in question.answer.misconceptions if slug in bank.misconceptions
            })
    return question


def _load_yaml_file(bank: Bank, name: str):
    path = bank.root / name
    display = bank.display_path(path)
    if not path.exists():
        return None, display
    text, errors = read_text(path, display)
    bank.errors.extend(errors)
    if text is None:
        return None, display
    loaded = load_yaml(text, path=display)
    bank.errors.extend(loaded.errors)
    return loaded, display


def _load_topics(bank: Bank) -> None:
    loaded, display = _load_yaml_file(bank, TOPICS_FILE)
    if loaded is None:
        if not (bank.root / TOPICS_FILE).exists():
            bank.errors.append(ContentError(display, 1, TOPICS_FILE_MISSING))
        return
    items = loaded.value if isinstance(loaded.value, list) else None
    if items is None:
        bank.errors.append(ContentError(display, 1, BAD_TOPIC.format(value=loaded.value)))
        return
    for order, item in enumerate(items):
        line = loaded.item_lines[order]
        if not (isinstance(item, dict) and set(item) == {"slug", "title", "description"}
                and all(isinstance(v, str) and v.strip() for v in item.values())):
            bank.errors.append(ContentError(display, line, BAD_TOPIC.format(value=item)))
        elif any(topic.slug == item["slug"] for topic in bank.topics):
            bank.errors.append(ContentError(display, line, DUPLICATE_TOPIC.format(value=item["slug"])))
        else:
            bank.topics.append(TopicSource(item["slug"], item["title"].strip(),
                                           item["description"].strip(), order))


def _load_misconceptions(bank: Bank) -> None:
    loaded, display = _load_yaml_file(bank, MISCONCEPTIONS_FILE)
    if loaded is None or loaded.value is None:
        return
    if not isinstance(loaded.value, dict):
        bank.errors.append(ContentError(display, 1, BAD_MISCONCEPTION.format(slug="(file)")))
        return
    for slug, item in loaded.value.items():
        line = loaded.key_lines.get(str(slug), 1)
        if not (isinstance(item, dict) and set(item) == {"label", "description"}
                and all(isinstance(v, str) and v.strip() for v in item.values())):
            bank.errors.append(ContentError(display, line, BAD_MISCONCEPTION.format(slug=slug)))
            continue
        bank.misconceptions[str(slug)] = MisconceptionSource(
            str(slug), item["label"].strip(), item["description"].strip()
        )


_CATALOGUES: dict[tuple, dict[str, MisconceptionSource]] = {}


def load_misconceptions(root: Path) -> dict[str, MisconceptionSource]:
    """Return ``misconceptions.yml`` of ``root`` by slug (problems ignored), cached until it changes."""
    path = root / MISCONCEPTIONS_FILE
    try:
        stamp = (str(path), path.stat().st_mtime_ns, path.stat().st_size)
    except OSError:
        return {}
    if stamp not in _CATALOGUES:
        bank = Bank(root=root)
        _load_misconceptions(bank)
        _CATALOGUES.clear()
        _CATALOGUES[stamp] = bank.misconceptions
    return _CATALOGUES[stamp]

