"""Record a run of a network step by step, so a page or a terminal can show every number.

A ``Trace`` holds, in order:

* ``steps``: one ``Step`` per forward layer, loss, backward layer, parameter update or note.
  Each step has a ``kind`` (one of ``STEP_KINDS``), a ``title``, the ``layer`` it belongs to
  (``""`` for none), a short ``explanation`` and named ``arrays`` and ``scalars``.
* ``results``: named key quantities (the answers a question asks about), each a ``Result``.
* ``misconceptions``: for a result, named WRONG values that a classic mistake gives, each a
  ``Misconception``; ``trace.misconceptions["out_h"]["forgot_padding"].value``.
* ``series``: named curves (loss or accuracy per iteration or epoch), each a ``Series``;
  series sharing a ``chart`` belong on one plot.

``Trace.to_dict()`` is JSON-serialisable (every array becomes ``{"label", "shape", "dtype",
"values", "display"}``; the layout is in ``cnncore._trace_json``) and ``Trace.from_dict`` reads
it back; ``Trace.to_text()`` is for the terminal. Arrays are copied when recorded, so later
in-place updates do not rewrite history.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

STEP_KINDS = ("forward", "loss", "backward", "update", "note")
TABLE_MAX_ELEMENTS = 64
"""Arrays with at most this many elements are shown as tables; larger ones as heatmaps."""

GLOSSARY = {
    "input": "input",
    "output": "output",
    "weight": "weights",
    "bias": "bias",
    "upstream": "upstream gradient dL/d(output)",
    "downstream": "gradient passed down dL/d(input)",
    "mask": "ReLU mask (1 where the input was > 0)",
    "local_derivative": "local derivative d(output)/d(input)",
    "routing": "routing (how many windows took this input as their maximum)",
    "dweight": "dL/d(weights)",
    "dbias": "dL/d(bias)",
    "before": "value before the update",
    "gradient": "gradient dL/d(value)",
    "velocity": "momentum velocity",
    "after": "value after the update",
    "logits": "logits (scores before softmax)",
    "probabilities": "softmax probabilities",
    "dlogits": "dL/d(logits)",
    "target": "one-hot target t",
    "dprobabilities": "dL/dy: gradient of the loss with respect to the outputs y",
}

Scalar = float | int | bool | str
Value = Scalar | tuple | list | np.ndarray


@dataclass
class Step:
    """One recorded step: a layer's forward or backward pass, the loss, an update or a note."""

    index: int
    kind: str
    title: str
    layer: str = ""
    explanation: str = ""
    arrays: dict[str, np.ndarray] = field(default_factory=dict)
    scalars: dict[str, Scalar] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)

    def label(self, name: str) -> str:
        """Return the display label of ``name``: given, from ``GLOSSARY``, or derived.

        Derived labels read "dL_dW1" as "dL/dW1" and other underscores as spaces.
        """
        if name in self.labels:
            return self.labels[name]
        if name in GLOSSARY:
            return GLOSSARY[name]
        derivative = re.fullmatch(r"d([A-Za-z]\w*?)_d([A-Za-z]\w*)", name)
        if derivative:
            return f"d{derivative[1]}/d{derivative[2]}"
        return name.replace("_", " ")


@dataclass
class Result:
    """A named key quantity of a run, with what it means."""

    name: str
    value: Value
    description: str


@dataclass
class Misconception:
    """A wrong value for ``result`` that the mistake in ``description`` gives."""

    result: str
    name: str
    value: Value
    description: str


@dataclass
class Series:
    """A curve: ``y`` against ``x``; series with the same ``chart`` share one plot."""

    name: str
    label: str
    chart: str
    x_label: str
    y_label: str
    x: list[float]
    y: list[float]


@dataclass
class Trace:
    """Everything one scenario run computed, in the order a student should read it."""

    scenario: str = ""
    title: str = ""
    topic: str = ""
    seed: int = 0
    params: dict[str, Scalar] = field(default_factory=dict)
    steps: list[Step] = field(default_factory=list)
    results: dict[str, Result] = field(default_factory=dict)
    misconceptions: dict[str, dict[str, Misconception]] = field(default_factory=dict)
    series: dict[str, Series] = field(default_factory=dict)
    class_names: tuple[str, ...] = ()
    """Names of the classes, in order, when the run classifies (e.g. dog, cat, bird)."""

    # -- recording -------------------------------------------------------------------------

    def add_step(
        self,
        kind: str,
        title: str,
        *,
        layer: str = "",
        explanation: str = "",
        arrays: Mapping[str, object] | None = None,
        scalars: Mapping[str, object] | None = None,
        labels: Mapping[str, str] | None = None,
    ) -> Step:
        """Append a step of ``kind`` (see ``STEP_KINDS``), copying its arrays, and return it."""
        if kind not in STEP_KINDS:
            raise ValueError(f"step kind must be one of {STEP_KINDS}, got {kind!r}")
        step = Step(
            index=len(self.steps),
            kind=kind,
            title=title,
            layer=layer,
            explanation=explanation,
            arrays={name: _plain(np.asarray(value)) for name, value in (arrays or {}).items()},
            scalars={name: _plain(value) for name, value in (scalars or {}).items()},
            labels=dict(labels or {}),
        )
        self.steps.append(step)
        return step

    def move_to_end(self, start: int, stop: int) -> None:
        """Move ``steps[start:stop]`` after the steps recorded since, and renumber every step.

        A scenario records its computation first and its introduction after, then shows them in
        teaching order: ``start``/``stop`` bound what ``compute`` recorded.
        """
        self.steps[start:] = self.steps[stop:] + self.steps[start:stop]
        for index, step in enumerate(self.steps):
            step.index = index

    def note(self, title: str, explanation: str, **details) -> Step:
        """Append an explanatory step; ``details`` are split into arrays and scalars."""
        arrays = {k: v for k, v in details.items() if isinstance(v, np.ndarray)}
        scalars = {k: v for k, v in details.items() if k not in arrays}
        return self.add_step("note", title, explanation=explanation, arrays=arrays, scalars=scalars)

    def add_result(self, name: str, value: Value, description: str) -> None:
        """Record the key quantity ``name`` (a scalar, string, tuple or array)."""
        self.results[name] = Result(name, _plain(value), description)

    def add_misconception(self, result: str, name: str, value: Value, description: str) -> None:
        """Record the wrong ``value`` for the already recorded ``result`` that a mistake gives."""
        if result not in self.results:
            raise KeyError(f"record the result {result!r} before its misconceptions")
        self.misconceptions.setdefault(result, {})[name] = Misconception(
            result, name, _plain(value), description
        )

    def add_series(
        self,
        name: str,
        *,
        label: str,
        chart: str,
        x: Sequence[float],
        y: Sequence[float],
        x_label: str,
        y_label: str,
    ) -> None:
        """Record the curve ``name``: ``y`` against ``x`` (same length)."""
        if len(x) != len(y):
            raise ValueError(f"series {name!r}: x has {len(x)} points but y has {len(y)}")
        self.series[name] = Series(
            name, label, chart, x_label, y_label, [_plain(v) for v in x], [_plain(v) for v in y]
        )

    # -- reading ---------------------------------------------------------------------------

    def result_values(self) -> dict[str, Value]:
        """Return ``{result name: value}``."""
        return {name: result.value for name, result in self.results.items()}

    def steps_of(self, kind: str) -> list[Step]:
        """Return the steps of ``kind`` in order."""
        return [step for step in self.steps if step.kind == kind]

    def distractors(self, result: str, *, tolerance: float = 1e-9) -> list[Misconception]:
        """Return the misconceptions of ``result`` whose values differ from it and each other.

        Numbers closer than ``tolerance`` (relative to the larger magnitude, at least 1) count
        as equal, so a mistake that happens to give the right answer is not offered as wrong.
        """
        kept: list[Misconception] = []
        seen = [self.results[result].value]
        for wrong in self.misconceptions.get(result, {}).values():
            if not any(_same_value(wrong.value, other, tolerance) for other in seen):
                kept.append(wrong)
                seen.append(wrong.value)
        return kept

    # -- serialising -----------------------------------------------------------------------

    def to_dict(self) -> dict:
        """Return the trace as JSON-serialisable data; raise ``ValueError`` on NaN or inf."""
        from cnncore._trace_json import trace_to_dict

        return trace_to_dict(self)

    @classmethod
    def from_dict(cls, data: Mapping) -> Trace:
        """Return the trace that ``to_dict`` described."""
        from cnncore._trace_json import trace_from_dict

        return trace_from_dict(cls(), data)

    def to_text(self) -> str:
        """Return a readable report for the terminal: steps, results, misconceptions, series."""
        from cnncore._trace_text import trace_to_text

        return trace_to_text(self)


# -- conversion helpers ------------------------------------------------------------------------


def _plain(value):
    """Return ``value`` with NumPy scalars turned into Python ones and tuples kept."""
    if isinstance(value, np.ndarray):
        copy = np.array(value, copy=True)
        if copy.dtype.kind == "f":
            copy += 0.0  # turns -0.0 into 0.0, so no "-0" is shown
        return copy
    if isinstance(value, np.generic):
        return _plain(value.item())
    if isinstance(value, float):
        return value + 0.0
    if isinstance(value, tuple | list):
        return type(value)(_plain(v) for v in value)
    return value


def _same_value(a, b, tolerance: float) -> bool:
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        a, b = np.asarray(a), np.asarray(b)
        if a.shape != b.shape:
            return False
        if a.dtype.kind in "biuf" and b.dtype.kind in "biuf":
            scale = max(1.0, float(np.max(np.abs(a), initial=0)), float(np.max(np.abs(b), initial=0)))
            return bool(np.all(np.abs(a - b) <= tolerance * scale))
        return bool(np.array_equal(a, b))
    if isinstance(a, bool) or isinstance(b, bool) or isinstance(a, str) or isinstance(b, str):
        return a == b
    if isinstance(a, int | float) and isinstance(b, int | float):
        return abs(a - b) <= tolerance * max(1.0, abs(a), abs(b))
    return a == b
