"""Facility of a parameterised question by parameter value.

Each response stores the scenario parameters of the variant shown (``Response.params``). For
every parameter that varies (a range or a list of choices in the question's current version) the
database groups the answers by that parameter's value and counts them and the right ones. Numeric
parameters with more than ``MAX_VALUES`` distinct values are shown in ``MAX_VALUES`` equal-width
bins, so each row has enough answers to read.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q
from django.db.models.fields.json import KT

from ..models import Question
from . import formulas
from .scope import Scope, answers

MAX_VALUES = 8


@dataclass(frozen=True)
class ValueFacility:
    label: str
    responses: int
    correct: int

    @property
    def facility(self) -> float | None:
        return formulas.mean(self.correct, self.responses)


@dataclass(frozen=True)
class ParameterFacility:
    name: str
    rows: list[ValueFacility]


def varying_parameters(question: Question) -> list[str]:
    """Return the names of the parameters that vary between variants of ``question``'s current version."""
    version = question.current_version
    if version is None:
        return []
    return [spec["name"] for spec in version.data.get("params", [])
            if spec.get("min") is not None or spec.get("choices")]


def _number(text: str) -> float | None:
    try:
        return float(text)
    except (TypeError, ValueError):
        return None


def _binned(values: list[tuple[float, int, int]]) -> list[ValueFacility]:
    low, high = values[0][0], values[-1][0]
    width = (high - low) / MAX_VALUES
    bins = [[0, 0] for _ in range(MAX_VALUES)]
    for value, n, right in values:
        index = min(int((value - low) / width), MAX_VALUES - 1)
        bins[index][0] += n
        bins[index][1] += right
    rows = []
    for index, (n, right) in enumerate(bins):
        start, end = low + index * width, low + (index + 1) * width
        closing = "]" if index == MAX_VALUES - 1 else ")"
        rows.append(ValueFacility(f"[{start:g}, {end:g}{closing}", n, right))
    return rows


def facility_by_parameter(scope: Scope, question: Question) -> list[ParameterFacility]:
    """Return, for each varying parameter of ``question``, the facility per value (1 query each)."""
    tables = []
    for name in varying_parameters(question):
        groups = (answers(scope).filter(question=question).order_by()
                  .values(value=KT(f"params__{name}"))
                  .annotate(n=Count("pk"), right=Count("pk", filter=Q(is_correct=True))))
        found = [(str(g["value"]), g["n"], g["right"]) for g in groups if g["value"] is not None]
        numeric = [(_number(text), n, right) for text, n, right in found]
        if found and all(value is not None for value, _, _ in numeric):
            numeric.sort()
            if len(numeric) > MAX_VALUES:
                rows = _binned(numeric)
            else:
                rows = [ValueFacility(f"{value:g}", n, right) for value, n, right in numeric]
        else:
            rows = [ValueFacility(text, n, right) for text, n, right in sorted(found)]
        tables.append(ParameterFacility(name, rows))
    return tables
