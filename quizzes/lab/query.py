"""The URL query of a lab request -> typed parameters and seed, or errors naming the parameter.

Rules: a parameter that is missing takes its default (the seed: 0); one that is malformed,
out of bounds, unknown to the scenario or given more than once is an error naming it; a
query string longer than ``MAX_QUERY_LENGTH`` is refused whole. Every error is a
``cnncore.scenarios.ParameterError`` (``.param``, ``.message``); ``param`` is "" for an error
of the whole query.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import urlencode

from cnncore.scenarios import ParameterError, Scenario, validate_seed
from cnncore.scenarios.params import GIVEN_TWICE, number_text

SEED = "seed"
MAX_QUERY_LENGTH = 1024
"""Longer query strings are refused (every scenario's parameters fit in a few hundred)."""
QUERY_TOO_LONG = "the query string is {length} characters long; the lab reads at most {limit}"
GIVEN_MORE_THAN_ONCE = "{name} is given {count} times; give it once"


@dataclass
class LabQuery:
    """What a query asked for: ``raw`` strings (for the form), typed ``values`` and ``seed``."""

    raw: dict[str, str] = field(default_factory=dict)
    values: dict[str, object] | None = None
    seed: int | None = None
    errors: list[ParameterError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def error_for(self, name: str) -> str:
        """Return the message of the first error naming ``name`` ("" if none)."""
        return next((e.message for e in self.errors if e.param == name), "")


def canonical_query(values: Mapping[str, object], seed: int) -> str:
    """Return the query string that reproduces ``values`` and ``seed`` exactly."""
    def text(value) -> str:
        if isinstance(value, bool):
            return "true" if value else "false"
        return repr(value) if isinstance(value, float) else number_text(value)

    return urlencode({**{name: text(v) for name, v in values.items()}, SEED: str(seed)})


def parse_query(scenario: Scenario, query, *, query_string: str) -> LabQuery:
    """Return the typed parameters and seed of ``query`` (a QueryDict), or its errors."""
    result = LabQuery()
    if len(query_string) > MAX_QUERY_LENGTH:
        result.errors.append(ParameterError("", QUERY_TOO_LONG.format(length=len(query_string),
                                                                      limit=MAX_QUERY_LENGTH)))
        return result
    typed: dict[str, object] = {}
    seed_text = None
    for key in query:
        items = query.getlist(key)
        if key == SEED:
            name = SEED
        else:
            try:
                name = scenario.param(key).name
            except ParameterError as error:
                result.errors.append(error)
                continue
            if name in result.raw:
                result.errors.append(ParameterError(name, GIVEN_TWICE.format(name=name)))
                continue
        result.raw[name] = items[-1]
        if len(items) > 1:
            result.errors.append(ParameterError(name, GIVEN_MORE_THAN_ONCE.format(name=name, count=len(items))))
        elif name == SEED:
            seed_text = items[-1]
        else:
            try:
                typed[name] = scenario.param(name).parse(items[-1])
            except ParameterError as error:
                result.errors.append(error)
    try:
        seed = validate_seed(0 if seed_text is None else seed_text)
    except ParameterError as error:
        if SEED not in {e.param for e in result.errors}:
            result.errors.append(error)
        seed = None
    if result.errors:
        return result
    try:
        result.values = scenario.validate(typed)
    except ParameterError as error:
        result.errors.append(error)
        return result
    result.seed = seed
    return result
