"""``Param``: one scenario parameter's schema, and ``ParameterError`` for a bad value.

``Param.parse(raw)`` accepts a typed value or a string (from a URL query or the command line)
and returns the typed value, or raises ``ParameterError`` naming the parameter, the bound and
the value. The messages are the constants below, so tests and pages can reuse them.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import numpy as np

KINDS = ("int", "float", "choice", "bool")
TRUE_WORDS = ("1", "true", "yes", "on")
FALSE_WORDS = ("0", "false", "no", "off")

OUT_OF_RANGE = "{name} must be between {min} and {max}, got {value}"
NOT_AN_INT = "{name} must be a whole number, got {value!r}"
NOT_A_NUMBER = "{name} must be a finite number, got {value!r}"
NOT_A_CHOICE = "{name} must be one of {choices}, got {value!r}"
NOT_A_BOOL = "{name} must be true or false, got {value!r}"
UNKNOWN_PARAM = "{scenario} has no parameter {name!r}; its parameters are {known}"
GIVEN_TWICE = "{name} is given twice (as {name} and with hyphens)"
SEED_RANGE = "seed must be a whole number between 0 and 4294967295, got {value!r}"

SEED_LIMIT = 2**32

NUMBER_TEXT = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
"""A number as a person writes it: a plain decimal, optionally in scientific notation (ASCII only;
no spaces, underscores, hex, ``inf`` or ``nan``, all of which Python's own parsers accept)."""


def _number_text(raw: str) -> str | None:
    """Return ``raw`` if it is a plain decimal or scientific notation, else None."""
    return raw if NUMBER_TEXT.fullmatch(raw) else None


class ParameterError(ValueError):
    """A parameter value is unknown, of the wrong type or out of bounds; ``param`` names it."""

    def __init__(self, param: str, message: str) -> None:
        super().__init__(message)
        self.param = param
        self.message = message


def number_text(value) -> str:
    """Return a number as a short string: 10.0 -> "10", 0.0001 -> "0.0001"."""
    return format(value, "g") if isinstance(value, float) else str(value)


@dataclass(frozen=True)
class Param:
    """One parameter: ``kind`` is "int", "float", "choice" or "bool".

    ``min`` and ``max`` bound numbers (inclusive); ``choices`` lists the strings a choice
    accepts; ``help`` says what the parameter changes.
    """

    name: str
    kind: str
    default: object
    min: float | None = None
    max: float | None = None
    choices: tuple[str, ...] = ()
    help: str = ""

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"Param {self.name}: kind must be one of {KINDS}, got {self.kind!r}")
        if self.kind in ("int", "float") and (self.min is None or self.max is None):
            raise ValueError(f"Param {self.name}: a number needs min and max")
        if self.kind == "choice" and not self.choices:
            raise ValueError(f"Param {self.name}: a choice needs choices")
        try:
            object.__setattr__(self, "default", self.parse(self.default))
        except ParameterError as error:
            raise ValueError(f"Param {self.name}: invalid default: {error}") from None

    def parse(self, raw: object) -> object:
        """Return ``raw`` (typed or a string) as this parameter's type, or raise ParameterError."""
        if self.kind == "int":
            return self._in_range(_to_int(raw, self.name))
        if self.kind == "float":
            return self._in_range(_to_float(raw, self.name))
        if self.kind == "bool":
            return _to_bool(raw, self.name)
        text = str(raw).strip()
        if text not in self.choices:
            raise ParameterError(
                self.name, NOT_A_CHOICE.format(name=self.name, choices=", ".join(self.choices), value=raw)
            )
        return text

    def _in_range(self, value):
        if not (self.min <= value <= self.max):
            raise ParameterError(
                self.name,
                OUT_OF_RANGE.format(
                    name=self.name,
                    min=number_text(self.min),
                    max=number_text(self.max),
                    value=number_text(value),
                ),
            )
        return value + 0 if isinstance(value, float) else value  # -0.0 becomes 0.0: one value, one run

    def to_dict(self) -> dict:
        """Return the schema as JSON-serialisable data (for forms and the API)."""
        return {
            "name": self.name,
            "kind": self.kind,
            "default": self.default,
            "min": self.min,
            "max": self.max,
            "choices": list(self.choices),
            "help": self.help,
        }


def validate_seed(seed: object) -> int:
    """Return ``seed`` as an int in [0, 2**32), accepting a decimal string; else raise."""
    try:
        value = _to_int(seed, "seed")
    except ParameterError:
        raise ParameterError("seed", SEED_RANGE.format(value=seed)) from None
    if not 0 <= value < SEED_LIMIT:
        raise ParameterError("seed", SEED_RANGE.format(value=seed))
    return value


def _to_int(raw: object, name: str) -> int:
    if isinstance(raw, bool | np.bool_):
        raise ParameterError(name, NOT_AN_INT.format(name=name, value=raw))
    if isinstance(raw, int | np.integer):
        return int(raw)
    if isinstance(raw, float | np.floating) and math.isfinite(raw) and float(raw).is_integer():
        return int(raw)
    if isinstance(raw, str) and (text := _number_text(raw)) is not None:
        try:
            return int(text)
        except ValueError:
            pass
        try:
            number = float(text)
        except ValueError:
            number = math.nan
        if math.isfinite(number) and number.is_integer():
            return int(number)
    raise ParameterError(name, NOT_AN_INT.format(name=name, value=raw))


def _to_float(raw: object, name: str) -> float:
    if isinstance(raw, bool | np.bool_):
        raise ParameterError(name, NOT_A_NUMBER.format(name=name, value=raw))
    if isinstance(raw, str) and _number_text(raw) is None:
        raise ParameterError(name, NOT_A_NUMBER.format(name=name, value=raw))
    try:
        value = float(raw)
    except (TypeError, ValueError, OverflowError):
        raise ParameterError(name, NOT_A_NUMBER.format(name=name, value=raw)) from None
    if not math.isfinite(value):
        raise ParameterError(name, NOT_A_NUMBER.format(name=name, value=raw))
    return value


def _to_bool(raw: object, name: str) -> bool:
    if isinstance(raw, bool | np.bool_):
        return bool(raw)
    if isinstance(raw, int | np.integer) and raw in (0, 1):
        return bool(raw)
    if isinstance(raw, str):
        word = raw.strip().lower()
        if word in TRUE_WORDS:
            return True
        if word in FALSE_WORDS:
            return False
    raise ParameterError(name, NOT_A_BOOL.format(name=name, value=raw))
