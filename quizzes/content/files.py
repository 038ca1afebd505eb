"""Read a content file safely: bounded size, UTF-8 text only, never a crash."""

from pathlib import Path

from .errors import FILE_EMPTY, FILE_NOT_TEXT, FILE_TOO_LARGE, ContentError

MAX_FILE_BYTES = 200_000
"""No honest question is this long; anything bigger is a mistake (or an attack)."""


def read_text(path: Path, display_path: str) -> tuple[str | None, list[ContentError]]:
    """Return the file's text, or ``None`` with the reason as a ``ContentError`` at line 1."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            message = FILE_TOO_LARGE.format(size=size, limit=MAX_FILE_BYTES)
            return None, [ContentError(display_path, 1, message)]
        raw = path.read_bytes()
    except OSError as error:
        return None, [ContentError(display_path, 1, f"cannot read the file: {error.strerror}")]
    if b"\x00" in raw:
        return None, [ContentError(display_path, 1, FILE_NOT_TEXT)]
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None, [ContentError(display_path, 1, FILE_NOT_TEXT)]
    if not text.strip():
        return None, [ContentError(display_path, 1, FILE_EMPTY)]
    return text.replace("\r\n", "\n").replace("\r", "\n"), []
