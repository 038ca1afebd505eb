"""Convert a ``Trace`` to JSON-serialisable data and back (``Trace.to_dict`` / ``from_dict``).

The layout::

    {"scenario", "title", "topic", "seed", "params": {name: value},
     "steps": [{"index", "kind", "title", "layer", "explanation",
                "arrays": {name: ARRAY}, "scalars": {name: number|str|bool},
                "scalar_labels": {name: label}}],
     "results": {name: {"value": VALUE, "description"}},
     "misconceptions": {result: {mistake: {"value": VALUE, "description"}}},
     "series": {name: {"label", "chart", "x_label", "y_label", "x": [...], "y": [...]}}}

    ARRAY = {"label" (in steps only), "shape": [...], "dtype": "float64",
             "values": nested lists, "display": "table" | "heatmap"}
    VALUE = a number, string, bool, list (a tuple) or ARRAY

Every float is finite: a NaN or inf raises ``ValueError`` naming where it is.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import TYPE_CHECKING

import numpy as np

from cnncore.trace import TABLE_MAX_ELEMENTS

if TYPE_CHECKING:
    from cnncore.trace import Step, Trace


def trace_to_dict(trace: Trace) -> dict:
    """Return ``trace`` as JSON-serialisable data (see the module docstring)."""
    return {
        "scenario": trace.scenario,
        "title": trace.title,
        "topic": trace.topic,
        "seed": trace.seed,
        "params": dict(trace.params),
        "class_names": list(trace.class_names),
        "steps": [_step_to_dict(step) for step in trace.steps],
        "results": {
            name: {"value": _value_to_data(r.value, name), "description": r.description}
            for name, r in trace.results.items()
        },
        "misconceptions": {
            result: {
                name: {"value": _value_to_data(m.value, name), "description": m.description}
                for name, m in wrongs.items()
            }
            for result, wrongs in trace.misconceptions.items()
        },
        "series": {
            name: {
                "label": s.label,
                "chart": s.chart,
                "x_label": s.x_label,
                "y_label": s.y_label,
                "x": _finite_list(s.x, f"series {name} x"),
                "y": _finite_list(s.y, f"series {name} y"),
            }
            for name, s in trace.series.items()
        },
    }


def trace_from_dict(trace: Trace, data: Mapping) -> Trace:
    """Fill the empty ``trace`` from ``data`` (what ``trace_to_dict`` returned); return it."""
    trace.scenario, trace.title, trace.topic = data["scenario"], data["title"], data["topic"]
    trace.seed, trace.params = data["seed"], dict(data["params"])
    trace.class_names = tuple(data.get("class_names", ()))
    for step in data["steps"]:
        trace.add_step(
            step["kind"],
            step["title"],
            layer=step["layer"],
            explanation=step["explanation"],
            arrays={name: _array_from_data(a) for name, a in step["arrays"].items()},
            scalars=step["scalars"],
            labels={name: a["label"] for name, a in step["arrays"].items()}
            | step.get("scalar_labels", {}),
        )
    for name, result in data["results"].items():
        trace.add_result(name, _value_from_data(result["value"]), result["description"])
    for result, wrongs in data["misconceptions"].items():
        for name, wrong in wrongs.items():
            trace.add_misconception(result, name, _value_from_data(wrong["value"]),
                                    wrong["description"])
    for name, s in data["series"].items():
        trace.add_series(name, label=s["label"], chart=s["chart"], x=s["x"], y=s["y"],
                         x_label=s["x_label"], y_label=s["y_label"])
    return trace


def _check_finite_number(value, where: str):
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError(f"{where} is {value}: a trace holds finite numbers only")
    return value


def _finite_list(values, where: str) -> list:
    return [_check_finite_number(v, where) for v in values]


def array_to_data(array: np.ndarray, where: str, label: str | None = None) -> dict:
    """Return ``{"label", "shape", "dtype", "values", "display"}`` for ``array``."""
    if array.dtype.kind == "f" and array.size and not np.isfinite(array).all():
        raise ValueError(f"{where} holds NaN or inf: a trace holds finite numbers only")
    data = {} if label is None else {"label": label}
    data |= {
        "shape": list(array.shape),
        "dtype": str(array.dtype),
        "values": array.tolist(),
        "display": "table" if array.size <= TABLE_MAX_ELEMENTS else "heatmap",
    }
    return data


def _array_from_data(data: Mapping) -> np.ndarray:
    return np.array(data["values"], dtype=data["dtype"]).reshape(data["shape"])


def _value_to_data(value, where: str):
    if isinstance(value, np.ndarray):
        return array_to_data(value, where)
    if isinstance(value, tuple | list):
        return [_value_to_data(v, where) for v in value]
    return _check_finite_number(value, where)


def _value_from_data(data):
    if isinstance(data, dict) and "shape" in data:
        return _array_from_data(data)
    if isinstance(data, list):
        return tuple(_value_from_data(v) for v in data)
    return data


def _step_to_dict(step: Step) -> dict:
    where = f"step {step.index} ({step.title})"
    return {
        "index": step.index,
        "kind": step.kind,
        "title": step.title,
        "layer": step.layer,
        "explanation": step.explanation,
        "arrays": {
            name: array_to_data(array, f"{where} array {name!r}", step.label(name))
            for name, array in step.arrays.items()
        },
        "scalars": {
            name: _check_finite_number(value, f"{where} scalar {name!r}")
            for name, value in step.scalars.items()
        },
        "scalar_labels": {name: step.label(name) for name in step.scalars},
    }


