"""Fixtures for the interchange tests: the real bank, an empty copy of its topics, Moodle files."""

import shutil
from pathlib import Path

import pytest

from quizzes.content.bank import load_bank

REPO = Path(__file__).resolve().parents[3]
CONTENT = REPO / "content"
FIXTURES = Path(__file__).parent / "fixtures" / "moodle"
QTI_XSD = Path(__file__).parent / "schemas" / "qti3" / "qtiv3p0" / "imsqti_asiv3p0_sbacv1p0_v1p0.xsd"


@pytest.fixture(scope="session")
def real_bank():
    """Return the bank in content/ (parsed once)."""
    return load_bank(CONTENT)


@pytest.fixture
def empty_bank_root(tmp_path) -> Path:
    """Return a content folder with the real topics and misconceptions and no questions."""
    root = tmp_path / "content"
    (root / "questions").mkdir(parents=True)
    shutil.copy(CONTENT / "topics.yml", root)
    shutil.copy(CONTENT / "misconceptions.yml", root)
    return root


@pytest.fixture(scope="session")
def qti_schema():
    """Return the QTI 3.0 ASI schema (loading it takes a couple of seconds)."""
    import xmlschema

    return xmlschema.XMLSchema(str(QTI_XSD))
