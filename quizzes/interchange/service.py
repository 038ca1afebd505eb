"""The two things the commands do: export (part of) the bank to a format, import a file into it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..content.bank import Bank, load_bank
from . import build, gift, moodle_xml, qti3
from .importer import ImportPlan, plan_import, write_plan
from .model import ImportRefused, Problem
from .reading import decode, read_bytes

FORMATS = ("moodle-xml", "gift", "qti3")
IMPORT_FORMATS = ("moodle-xml", "gift")
NO_QUESTIONS = "no question matches {pattern!r}"
BANK_PROBLEMS = "the content has {count} problem(s); run validate_content and fix them first"
UNKNOWN_FORMAT = "cannot tell the format of {name}: name it .xml (Moodle XML) or .gift / .txt (GIFT), or give --format"


class ExportRefused(Exception):
    """The bank cannot be exported as asked; the message says why."""


@dataclass(frozen=True)
class ExportResult:
    data: bytes
    questions: int
    items: int


def export_bank(*, root: Path, fmt: str, pattern: str | None = None,
                variants: int = build.DEFAULT_VARIANTS) -> ExportResult:
    """Return ``root``'s questions matching ``pattern`` in format ``fmt`` (see ``FORMATS``)."""
    bank = load_bank(root)
    if bank.errors:
        raise ExportRefused(BANK_PROBLEMS.format(count=len(bank.errors)))
    questions = build.select(bank.questions, pattern)
    if not questions:
        raise ExportRefused(NO_QUESTIONS.format(pattern=pattern))
    items = build.bank_items(bank, pattern=pattern, variants=variants)
    if fmt == "qti3":
        data = qti3.write(items)
    else:
        data = (moodle_xml.write(items) if fmt == "moodle-xml" else gift.write(items)).encode("utf-8")
    return ExportResult(data=data, questions=len(questions), items=len(items))


def guess_format(path: Path, raw: bytes) -> str | None:
    """Return the import format of ``path`` from its name, else from its first character."""
    suffix = path.suffix.lower()
    if suffix == ".xml":
        return "moodle-xml"
    if suffix in (".gift", ".txt"):
        return "gift"
    head = raw.lstrip()[:1]
    return "moodle-xml" if head == b"<" else None


def plan_file(*, path: Path, root: Path, topic: str, fmt: str | None = None, scenario: str | None = None,
              overwrite: bool = False, bank: Bank | None = None) -> ImportPlan:
    """Return what importing ``path`` into topic ``topic`` writes; raise ``ImportRefused``."""
    name = path.name
    raw = read_bytes(path, name)
    fmt = fmt or guess_format(path, raw)
    if fmt not in IMPORT_FORMATS:
        raise ImportRefused([Problem(name, 0, UNKNOWN_FORMAT.format(name=name))])
    if fmt == "moodle-xml":
        items, problems = moodle_xml.read(raw, name)
    else:
        items, problems = gift.read(decode(raw, name), name)
    if not items and not problems:
        raise ImportRefused([Problem(name, 0, "the file holds no questions")])
    bank = bank or load_bank(root)
    return plan_import(items, problems, file=name, bank=bank, topic=topic, scenario=scenario, overwrite=overwrite)


def import_file(**kwargs) -> list[Path]:
    """Import a file (see ``plan_file``): write every question, or raise and write nothing."""
    return write_plan(plan_file(**kwargs))
