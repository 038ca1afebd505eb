"""Read content files from disk for the author preview, without syncing anything."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..content.bank import Bank, load_bank
from ..content.errors import DUPLICATE_ID, ContentError
from ..content.schema import QuestionSource
from ..content.validate import validate_exam, validate_question
from ..content.variants import Variant, build_variant

PREVIEW_SEEDS = 3
MAX_PREVIEW_SEEDS = 12


@dataclass
class PreviewEntry:
    """One file in the preview index."""

    relpath: str
    title: str
    topic: str
    difficulty: int
    is_parameterised: bool
    kind: str


@dataclass
class QuestionPreview:
    """A question file rendered for several seeds, with its problems."""

    relpath: str
    question: QuestionSource | None
    errors: list[ContentError]
    variants: list[Variant] = field(default_factory=list)


def resolve_content_file(root: Path, relpath: str) -> Path | None:
    """Return the ``.md`` file at ``relpath`` inside ``root``, or None (never a path outside)."""
    if not relpath.endswith(".md"):
        return None
    try:
        path = (root / relpath).resolve()
        path.relative_to(root.resolve())
        return path if path.is_file() else None
    except (ValueError, OSError):  # outside the root, a NUL byte, a name too long for the OS
        return None


def _load_with_file(root: Path, relpath: str) -> tuple[Bank, str] | None:
    """Return the bank and the display path of the file ``relpath``; None if there is no such file."""
    path = resolve_content_file(root, relpath)
    if path is None:
        return None
    bank = load_bank(root)
    return bank, bank.display_path(path)


def preview_index(root: Path) -> tuple[list[PreviewEntry], list[ContentError], Bank]:
    """Return every question and exam file under ``root`` and the bank's parse problems."""
    bank = load_bank(root)
    entries = [
        PreviewEntry(str(Path(q.path).relative_to(root.name)), q.id or q.path, q.topic, q.difficulty,
                     q.is_parameterised, "question")
        for q in bank.questions
    ] + [
        PreviewEntry(str(Path(e.path).relative_to(root.name)), e.title or e.id, "", 0, False, "exam")
        for e in bank.exams
    ]
    return entries, bank.errors, bank


def preview_question(root: Path, relpath: str, *, seeds: int = PREVIEW_SEEDS) -> QuestionPreview | None:
    """Return the question file ``relpath`` rendered for ``seeds`` seeds; None if no such file."""
    loaded = _load_with_file(root, relpath)
    if loaded is None:
        return None
    bank, display = loaded
    question = next((q for q in bank.questions if q.path == display), None)
    errors = [error for error in bank.errors if error.path == display]
    if question is not None:
        errors += validate_question(question, bank)
        twin = next((q for q in bank.questions if q.id == question.id and q.path != display), None)
        if twin is not None:
            errors.append(ContentError(display, question.line_of("id"),
                                       DUPLICATE_ID.format(value=question.id, other=twin.path)))
    preview = QuestionPreview(relpath, question, sorted(set(errors)))
    if question is not None and not preview.errors:
        count = max(1, min(seeds, MAX_PREVIEW_SEEDS)) if question.is_parameterised else 1
        preview.variants = [build_variant(question, seed) for seed in range(count)]
    return preview


def preview_exam_errors(root: Path, relpath: str) -> tuple[object, list[ContentError]] | None:
    """Return (exam, problems) for the exam file ``relpath``; None if no such file."""
    loaded = _load_with_file(root, relpath)
    if loaded is None:
        return None
    bank, display = loaded
    exam = next((e for e in bank.exams if e.path == display), None)
    errors = [error for error in bank.errors if error.path == display]
    if exam is not None:
        errors += validate_exam(exam, bank)
    return exam, sorted(set(errors))
