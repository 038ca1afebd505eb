"""Read an import file safely: a size cap, and XML parsed with entity expansion and DTDs refused."""

from __future__ import annotations

from pathlib import Path

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from .model import ImportRefused, Problem

MAX_IMPORT_BYTES = 5 * 1024 * 1024
"""A bank of a thousand questions is well under a megabyte; anything past this is a mistake."""
TOO_LARGE = "the file is {size:,} bytes; an import file may be at most {limit:,} bytes (split the bank)"
NOT_UTF8 = "not a UTF-8 text file"
CANNOT_READ = "cannot read the file: {problem}"
BROKEN_XML = "not well-formed XML: {problem}"
UNSAFE_XML = "the XML declares a DTD or entities, which are refused (they can expand into gigabytes): {problem}"


def read_bytes(path: Path, name: str) -> bytes:
    """Return the file's bytes, or raise ``ImportRefused`` (too large, unreadable)."""
    try:
        size = path.stat().st_size
        if size > MAX_IMPORT_BYTES:
            raise ImportRefused([Problem(name, 0, TOO_LARGE.format(size=size, limit=MAX_IMPORT_BYTES))])
        return path.read_bytes()
    except OSError as error:
        raise ImportRefused([Problem(name, 0, CANNOT_READ.format(problem=error.strerror))]) from None


def decode(raw: bytes, name: str) -> str:
    """Return the text of ``raw`` (UTF-8, a BOM allowed, line endings made \\n)."""
    try:
        return raw.decode("utf-8-sig").replace("\r\n", "\n").replace("\r", "\n")
    except UnicodeDecodeError:
        raise ImportRefused([Problem(name, 0, NOT_UTF8)]) from None


def parse_xml(raw: bytes, name: str):
    """Return the root element of ``raw``; refuse a DTD, entities and broken XML with a reason."""
    try:
        return fromstring(raw, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as error:
        raise ImportRefused([Problem(name, 0, UNSAFE_XML.format(problem=error))]) from None
    except Exception as error:  # ElementTree.ParseError (and expat errors) name line and column
        raise ImportRefused([Problem(name, 0, BROKEN_XML.format(problem=error))]) from None
