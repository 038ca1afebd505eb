"""Grade one answer under a question version's regrading rules: the one place that decides.

Pure (no database): services grade with it, selectors describe rules with it.

``grade(answer, rules)`` is pure: it takes what the student gave (``Answer``) and the version's
active rules (``Rule``: a kind and generic ``params``) and returns whether the answer counts as
right and whether the question counts towards the score at all. Every path that grades (an exam
being finished, a practice answer, a regrade, an undo) calls it, so applying the rules twice
gives the same result as applying them once.

Rules (kinds are ``Regrade.Kind`` values):

- ``accept_choice`` ``{"choice": i}``: the choice with source index ``i`` (its place in the
  question file, whatever order it was shown in) is right too;
- ``full_marks`` ``{}``: every graded answer is right, a blank one in a finished exam too;
- ``drop`` ``{}``: the question no longer counts towards exam scores (``scored`` is False);
- ``widen_tolerance`` ``{"tolerance": {"kind": "relative"|"absolute", "amount": x}}``: a typed
  number within this tolerance of the expected value is right too (typed-number questions, whose
  version data has ``kind: "numeric"``).

A rule can only make an answer right, never wrong: the question's own key still counts.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field

from .content.schema import RELATIVE

ACCEPT_CHOICE = "accept_choice"
FULL_MARKS = "full_marks"
DROP = "drop"
WIDEN_TOLERANCE = "widen_tolerance"


@dataclass(frozen=True)
class Rule:
    """An active regrading rule: its kind and parameters (``Regrade.kind``, ``Regrade.params``)."""

    kind: str
    params: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Answer:
    """What one response holds, reduced to what grading needs.

    ``key_correct`` is the grade by the question's own key (chosen position == correct position,
    or the typed number within the authored tolerance). ``chosen_source`` is the source index of
    the chosen choice (``choice_order[chosen_position]``), None for a blank or typed answer.
    """

    answered: bool
    key_correct: bool
    chosen_source: int | None = None
    typed: float | None = None
    expected: float | None = None


@dataclass(frozen=True)
class Grade:
    is_correct: bool
    scored: bool = True


def within(typed: float | None, expected: float | None, tolerance: dict) -> bool:
    """Return True if ``typed`` is within ``tolerance`` of ``expected``.

    Absolute: ``|typed - expected| <= amount``; relative: ``|typed - expected| <= amount * |expected|``.
    A missing or non-finite number is never within.
    """
    if typed is None or expected is None or not (math.isfinite(typed) and math.isfinite(expected)):
        return False
    amount = float(tolerance.get("amount", 0))
    bound = amount * abs(expected) if tolerance.get("kind") == RELATIVE else amount
    return abs(typed - expected) <= bound * (1 + 1e-12) + 1e-15


def grade(answer: Answer, rules: Iterable[Rule]) -> Grade:
    """Return the grade of ``answer`` under ``rules`` (no rules: the key's grade)."""
    rules = list(rules)
    scored = not any(rule.kind == DROP for rule in rules)
    right = answer.answered and answer.key_correct
    for rule in rules:
        if right:
            break
        if rule.kind == FULL_MARKS:
            right = True
        elif rule.kind == ACCEPT_CHOICE and answer.answered:
            right = answer.chosen_source is not None and answer.chosen_source == rule.params.get("choice")
        elif rule.kind == WIDEN_TOLERANCE and answer.answered:
            right = within(answer.typed, answer.expected, rule.params.get("tolerance", {}))
    return Grade(is_correct=right, scored=scored)


def describe(rule: Rule, *, choice_text: str = "") -> str:
    """Return one sentence for a student saying how the question was regraded."""
    if rule.kind == ACCEPT_CHOICE:
        shown = f" “{choice_text}”" if choice_text else ""
        return f"Another answer{shown} is now accepted as correct too."
    if rule.kind == FULL_MARKS:
        return "Everyone gets full marks for this question."
    if rule.kind == DROP:
        return "This question no longer counts towards the score."
    if rule.kind == WIDEN_TOLERANCE:
        return f"Typed answers within {tolerance_text(rule.params.get('tolerance', {}))} of the expected value" \
               " are now accepted."
    return "This question was regraded."


def tolerance_text(tolerance: dict) -> str:
    """Return a tolerance as people write it: ``5%`` (relative) or ``±0.5`` (absolute)."""
    amount = float(tolerance.get("amount") or 0)
    return f"{amount * 100:g}%" if tolerance.get("kind") == RELATIVE else f"±{amount:g}"
