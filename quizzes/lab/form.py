"""The lab's parameter form, built from a scenario's ``Param`` schema plus the seed.

Every field keeps what the student typed (also when it is wrong), shows its bounds, default
and help, and carries its error: the template ties label, help and error to the control
(``for``, ``aria-describedby``, ``aria-invalid``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from cnncore.scenarios import Param, ParameterError, Scenario
from cnncore.scenarios.params import SEED_LIMIT, number_text

from .query import SEED, LabQuery

SEED_PARAM = Param("seed", "int", 0, min=0, max=SEED_LIMIT - 1,
                   help="picks the random numbers (data and starting weights); "
                        "the same seed always gives the same numbers")
BOOL_OPTIONS = (("true", "yes"), ("false", "no"))


@dataclass
class Option:
    value: str
    label: str
    selected: bool


@dataclass
class FieldView:
    """One form control: ``control`` is "number" or "select"."""

    name: str
    label: str
    control: str
    value: str
    help: str
    bounds: str
    default: str
    error: str
    min: str = ""
    max: str = ""
    step: str = ""
    options: list[Option] = field(default_factory=list)

    @property
    def id(self) -> str:
        return f"lab-field-{self.name}"

    @property
    def help_id(self) -> str:
        return f"lab-help-{self.name}"

    @property
    def error_id(self) -> str:
        return f"lab-error-{self.name}"


def label_of(name: str) -> str:
    """Return a parameter name as a label: "learning_rate" -> "Learning rate"."""
    text = name.replace("_", " ")
    return text[:1].upper() + text[1:]


def value_text(param: Param, value) -> str:
    """Return a typed value as the form shows it ("true"/"false" for a bool)."""
    if param.kind == "bool":
        return "true" if value else "false"
    return number_text(value) if param.kind in ("int", "float") else str(value)


def field_view(param: Param, query: LabQuery, *, name: str | None = None) -> FieldView:
    """Return the control of ``param``, showing the query's raw value or else the default."""
    name = name or param.name
    raw = query.raw.get(name)
    value = value_text(param, param.default) if raw is None else raw
    view = FieldView(name, label_of(name), "number", value, param.help, "",
                     value_text(param, param.default), query.error_for(name))
    if param.kind in ("int", "float"):
        view.min, view.max = number_text(param.min), number_text(param.max)
        view.step = "1" if param.kind == "int" else "any"
        view.bounds = f"{view.min} to {view.max}"
        return view
    view.control = "select"
    choices = BOOL_OPTIONS if param.kind == "bool" else tuple((c, c) for c in param.choices)
    try:
        chosen = value_text(param, param.parse(value))
    except ParameterError:
        chosen = None
        view.options.append(Option(value, f"{value} (not valid)", True))
    view.options += [Option(v, label, v == chosen) for v, label in choices]
    view.bounds = "yes or no" if param.kind == "bool" else "one of " + ", ".join(param.choices)
    return view


def form_fields(scenario: Scenario, query: LabQuery) -> list[FieldView]:
    """Return one field per scenario parameter, then the seed."""
    return [field_view(p, query) for p in scenario.params] + [field_view(SEED_PARAM, query, name=SEED)]

