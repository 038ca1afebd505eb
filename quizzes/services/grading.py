"""Grading, in one place: a chosen choice or a typed number against a variant's answer key.

Every mode (practice, review, exams, anonymous practice, regrading) grades through ``grade``:

* a choice is right at the correct display position; a wrong one names the misconception its
  choice stands for (``""`` for none);
* a typed number within tolerance of the variant's cnncore value is right; otherwise one
  within tolerance of a named misconception's value names it (the nearest, if several);
  anything else is wrong and names nothing.

``parse_number`` reads what a person types; its refusals are ``BadNumber`` with one of the
message constants below (tests and views reuse them).
"""

from __future__ import annotations

import re
from collections import OrderedDict
from dataclasses import dataclass

from ..content.schema import Tolerance, is_numeric_data
from ..content.variants import NumericKey, numeric_key, scenario_context, scenario_trace
from ..models import QuestionVersion
from ..selectors.variants import cached_variant, version_source

MAX_TYPED_LENGTH = 40
TYPE_A_NUMBER = "Type a number first."
USE_DECIMAL_POINT = "Use a decimal point, not a comma: type 1.5 rather than 1,5."
NOT_A_NUMBER = "That is not a number: type digits such as 0.25, .5 or -1.2e-3."
NOT_FINITE = "Type a finite number: nan and infinity are not answers."
TOO_LONG = f"That is too long: type at most {MAX_TYPED_LENGTH} characters."

NUMBER = re.compile(r"^[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$")
MINUS_SIGNS = str.maketrans({"\u2212": "-", "\u2013": "-"})
_KEYS: OrderedDict[tuple, NumericKey] = OrderedDict()
_KEYS_MAX = 4096


class BadNumber(ValueError):
    """Typed text that is not an answer; ``message`` says why (nothing is counted)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def parse_number(raw: object) -> float:
    """Return the number a student typed; raise ``BadNumber``.

    Accepts ``0.5``, ``.5``, ``-1.2e-3``, ``+3`` and a typographic minus, spaces around it
    trimmed. Refuses empty text, a decimal comma (with a hint), words, nan, infinity and more
    than ``MAX_TYPED_LENGTH`` characters.
    """
    text = "" if raw is None else str(raw)
    if len(text) > MAX_TYPED_LENGTH:
        raise BadNumber(TOO_LONG)
    text = text.strip().translate(MINUS_SIGNS)
    if not text:
        raise BadNumber(TYPE_A_NUMBER)
    if NUMBER.match(text):
        value = float(text)
        if value != value or value in (float("inf"), float("-inf")):  # 1e999 overflows
            raise BadNumber(NOT_FINITE)
        return value
    if re.fullmatch(r"[-+]?\d*,\d+(?:[eE][-+]?\d+)?", text.replace(" ", "")):
        raise BadNumber(USE_DECIMAL_POINT)
    if text.lower().lstrip("+-") in ("nan", "inf", "infinity"):
        raise BadNumber(NOT_FINITE)
    raise BadNumber(NOT_A_NUMBER)


@dataclass(frozen=True)
class ChoiceKey:
    """A shown multiple-choice variant: the correct display position and, per display
    position, the misconception slug its choice stands for (``""`` for none)."""

    correct_position: int
    misconceptions: tuple[str, ...]


@dataclass(frozen=True)
class Grade:
    is_correct: bool
    misconception: str = ""
    """The slug of the named mistake the answer looks like; ``""`` when right or unnamed."""


def grade(key: ChoiceKey | NumericKey, given: int | float) -> Grade:
    """Grade ``given`` (a display position, or a typed number) against ``key``."""
    if isinstance(key, ChoiceKey):
        if given == key.correct_position:
            return Grade(True)
        return Grade(False, key.misconceptions[given] if 0 <= given < len(key.misconceptions) else "")
    if key.tolerance.allows(key.value, given):
        return Grade(True)
    named = [(abs(given - wrong), slug) for slug, wrong in key.misconceptions
             if key.tolerance.allows(wrong, given)]
    return Grade(False, min(named)[1] if named else "")


def is_numeric(version: QuestionVersion) -> bool:
    """Return True if ``version`` is a question answered by typing a number."""
    return is_numeric_data(version.data)


def version_tolerance(version: QuestionVersion) -> Tolerance:
    """Return the tolerance a numeric ``version`` is graded with (the one place that reads it)."""
    return Tolerance.from_data(version.data["answer"]["tolerance"])


def answer_key(version: QuestionVersion, seed: int, *, correct_position: int = 0,
               choice_order: list[int] | tuple[int, ...] = ()) -> ChoiceKey | NumericKey:
    """Return what an answer to ``version``'s variant ``seed`` is graded against.

    Choices: from the stored ``correct_position`` and ``choice_order`` (no scenario run).
    Numbers: the unrounded cnncore values of the variant as it was shown, read from the
    variants' cache when it has it (a shown variant usually is), else recomputed from (version,
    seed); kept in a small cache, since versions are immutable and runs deterministic.
    """
    source = version_source(version)
    if not is_numeric(version):
        return ChoiceKey(correct_position, tuple(source.choices[index].misconception
                                                 if 0 <= index < len(source.choices) else ""
                                                 for index in choice_order))
    cache_key = (version.pk, version.content_hash, seed)
    key = _KEYS.get(cache_key)
    if key is None:
        shown = cached_variant(version, seed)  # a numeric variant carries its key
        key = shown.answer if shown is not None else numeric_key(source, scenario_context(scenario_trace(source, seed)))
        if len(_KEYS) >= _KEYS_MAX:
            _KEYS.popitem(last=False)
        _KEYS[cache_key] = key
    return NumericKey(key.value, version_tolerance(version), key.misconceptions)
