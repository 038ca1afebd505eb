"""The scenario registry: ``@register`` a builder, then ``run``, ``get`` or list scenarios.

A builder is ``build(p: dict, rng: numpy.random.Generator, trace: Trace) -> None``: it reads
the validated parameters ``p``, draws every random number from ``rng`` (seeded by ``run``) and
records steps, results, misconceptions and series into ``trace``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from cnncore.scenarios.params import (
    GIVEN_TWICE,
    UNKNOWN_PARAM,
    Param,
    ParameterError,
    validate_seed,
)
from cnncore.trace import Trace

TOPICS = (
    "backprop-fundamentals",
    "chain-rule",
    "loss-functions",
    "gradient-descent",
    "initialization",
    "activations",
    "convolution",
    "output-size",
    "pooling",
    "cnn-architecture",
    "training-loop",
)
"""Topic slugs in teaching order; ``all_scenarios`` follows it."""

Builder = Callable[[dict, np.random.Generator, Trace], None]
Check = Callable[[dict], None]


class UnknownScenario(LookupError):
    """No scenario has the name asked for."""

    def __init__(self, name: str) -> None:
        known = ", ".join(s.name for s in all_scenarios())
        super().__init__(f"unknown scenario {name!r}; known scenarios: {known}")
        self.name = name


@dataclass(frozen=True)
class Scenario:
    """A named, seeded, bounded worked example."""

    name: str
    title: str
    topic: str
    summary: str
    params: tuple[Param, ...]
    build: Builder
    check: Check | None = None

    def param(self, name: str) -> Param:
        """Return the parameter ``name`` (hyphens read as underscores); raise ParameterError."""
        key = name.replace("-", "_")
        for param in self.params:
            if param.name == key:
                return param
        known = ", ".join(p.name for p in self.params) or "none"
        raise ParameterError(key, UNKNOWN_PARAM.format(scenario=self.name, name=name, known=known))

    def defaults(self) -> dict[str, object]:
        """Return ``{name: default}`` for every parameter."""
        return {param.name: param.default for param in self.params}

    def validate(self, raw: Mapping[str, object] | None = None) -> dict[str, object]:
        """Return every parameter typed and in bounds, defaults filled in; raise ParameterError.

        ``raw`` may hold strings (a URL query) or typed values; names may use hyphens.
        """
        values = self.defaults()
        given: set[str] = set()
        for name, value in (raw or {}).items():
            param = self.param(name)
            if param.name in given:
                raise ParameterError(param.name, GIVEN_TWICE.format(name=param.name))
            given.add(param.name)
            values[param.name] = param.parse(value)
        if self.check is not None:
            self.check(values)
        return values

    def run(self, params: Mapping[str, object] | None = None, *, seed: object = 0) -> Trace:
        """Return the trace of this scenario for ``params`` and ``seed`` (deterministic)."""
        values = self.validate(params)
        seed = validate_seed(seed)
        trace = Trace(scenario=self.name, title=self.title, topic=self.topic, seed=seed, params=dict(values))
        self.build(dict(values), np.random.default_rng(seed), trace)
        return trace

    def to_dict(self) -> dict:
        """Return the scenario's description and parameter schema as JSON-serialisable data."""
        return {
            "name": self.name,
            "title": self.title,
            "topic": self.topic,
            "summary": self.summary,
            "params": [param.to_dict() for param in self.params],
        }


_SCENARIOS: dict[str, Scenario] = {}


def register(
    *,
    name: str,
    title: str,
    topic: str,
    summary: str,
    params: Sequence[Param] = (),
    check: Check | None = None,
) -> Callable[[Builder], Builder]:
    """Return a decorator that registers its builder function as the scenario ``name``."""
    if topic not in TOPICS:
        raise ValueError(f"scenario {name}: topic must be one of {TOPICS}, got {topic!r}")

    def decorator(build: Builder) -> Builder:
        if name in _SCENARIOS:
            raise ValueError(f"scenario {name!r} is registered twice")
        _SCENARIOS[name] = Scenario(name, title, topic, summary, tuple(params), build, check)
        return build

    return decorator


def get(name: str) -> Scenario:
    """Return the scenario ``name``; raise ``UnknownScenario`` listing the known ones."""
    try:
        return _SCENARIOS[name]
    except KeyError:
        raise UnknownScenario(name) from None


def all_scenarios() -> list[Scenario]:
    """Return every scenario in teaching order (by topic, then in registration order)."""
    order = {name: i for i, name in enumerate(_SCENARIOS)}
    return sorted(_SCENARIOS.values(), key=lambda s: (TOPICS.index(s.topic), order[s.name]))


def run(name: str, params: Mapping[str, object] | None = None, *, seed: int = 0) -> Trace:
    """Return the trace of scenario ``name`` run with ``params`` and ``seed``."""
    return get(name).run(params, seed=seed)
