"""The house's layering, checked on the source: cnncore knows no Django, selectors read only.

``cnncore`` is importable without Django (notebooks ``import cnncore``); selectors and the
analytics read and never reach into ``services`` (which write): a pure helper both need lives
beside them (``quizzes/regrade_rules.py``, ``quizzes/content/schema.py``).
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def imported_modules(source: str, package: str) -> set[str]:
    """Return the absolute dotted names a module of ``package`` imports (relative imports resolved)."""
    names = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parts, base] if base else parts)
            names.add(base)
            names.update(f"{base}.{alias.name}" for alias in node.names)
    return names


def modules_under(folder: str) -> list[Path]:
    return sorted((ROOT / folder).rglob("*.py"))


def imports_of(path: Path) -> set[str]:
    return imported_modules(path.read_text(), ".".join(path.relative_to(ROOT).parts[:-1]))


@pytest.mark.parametrize("path", modules_under("cnncore"), ids=lambda p: str(p.relative_to(ROOT)))
def test_cnncore_imports_neither_django_nor_the_site(path):
    bad = {name for name in imports_of(path) if name.split(".")[0] in ("django", "quizzes", "config")}
    assert not bad, f"{path.relative_to(ROOT)} imports {sorted(bad)}"


@pytest.mark.parametrize("path", modules_under("quizzes/selectors") + modules_under("quizzes/analytics"),
                         ids=lambda p: str(p.relative_to(ROOT)))
def test_selectors_and_analytics_never_import_services(path):
    bad = {name for name in imports_of(path) if name == "quizzes.services" or name.startswith("quizzes.services.")}
    assert not bad, f"{path.relative_to(ROOT)} imports {sorted(bad)}"


def test_the_import_reader_resolves_relative_imports_of_services():
    """The check above catches the kind of import this tidy-up removed, however it is spelt."""
    source = "from ..services.regrading import is_numeric\nfrom .. import services\nimport numpy\n"
    assert imported_modules(source, "quizzes.selectors") >= {
        "quizzes.services.regrading", "quizzes.services", "numpy"}
