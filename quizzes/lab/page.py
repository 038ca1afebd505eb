"""What the lab pages show: the index by topic, a scenario's form and run, one array's values."""

from __future__ import annotations

import random
from dataclasses import dataclass
from urllib.parse import quote

import numpy as np
from django.urls import reverse

from cnncore.scenarios import TOPICS, ParameterError, Scenario, all_scenarios
from cnncore.trace import Step, Trace

from .. import scenario_runs
from .form import form_fields, value_text
from .heatmap import values_tables
from .present import present
from .query import LabQuery, canonical_query, parse_query
from .topics import TopicInfo, known_topics, topic_info

NEW_SEED_LIMIT = 1_000_000
""""New seed" picks a seed below this (short enough to read and type)."""
PAGE_KEYS = ("phase", "part")
"""Query keys of the page itself, not of the scenario: which phase is open, which to send alone."""


def page_options(query) -> tuple[object, str, str]:
    """Return the query without ``PAGE_KEYS``, the phase asked open and the part asked alone."""
    phase, part = query.get("phase", ""), query.get("part", "")
    if not any(key in query for key in PAGE_KEYS):
        return query, "", ""
    rest = query.copy()
    for key in PAGE_KEYS:
        rest.pop(key, None)
    return rest, str(phase)[:40], str(part)[:40]


def overshoot_link(scenario: Scenario) -> str:
    """Return the run that shows a too high learning rate overshooting ("" for other scenarios)."""
    if scenario.name != "training-iteration":
        return ""
    from cnncore.scenarios import training_iteration

    values = scenario.validate({"learning_rate": training_iteration.OVERSHOOT_LEARNING_RATE,
                                "iterations": training_iteration.OVERSHOOT_ITERATIONS})
    return reverse("lab_scenario", args=[scenario.name]) + "?" + canonical_query(values, 0) + "#lab-curves"


@dataclass
class TopicGroup:
    topic: TopicInfo
    scenarios: list[Scenario]


def index_groups() -> list[TopicGroup]:
    """Return every scenario grouped by topic, topics in teaching order."""
    known = known_topics()
    groups = {slug: TopicGroup(topic_info(slug, known), []) for slug in TOPICS}
    for scenario in all_scenarios():
        groups.setdefault(scenario.topic, TopicGroup(topic_info(scenario.topic, known), [])).scenarios.append(scenario)
    return [group for group in groups.values() if group.scenarios]


def run_query(scenario: Scenario, query, *, query_string: str) -> tuple[LabQuery, Trace | None]:
    """Return the parsed query and its run (None, with the error added, when it cannot run)."""
    parsed = parse_query(scenario, query, query_string=query_string)
    if not parsed.ok:
        return parsed, None
    try:
        return parsed, scenario_runs.run(scenario.name, parsed.values, parsed.seed)
    except ParameterError as error:
        parsed.errors.append(error)
        return parsed, None


def scenario_page(scenario: Scenario, query, *, query_string: str) -> tuple[dict, int]:
    """Return the template context of a scenario page for the request query, and its status.

    ``?phase=`` (a phase kind or anchor, or "all") opens that phase; ``?part=`` (an anchor)
    asks for that phase's body alone (the page loads a closed phase this way).
    """
    query, open_phase, part = page_options(query)
    query_string = query.urlencode() if (open_phase or part) else query_string
    parsed, trace = run_query(scenario, query, query_string=query_string)
    page_url = reverse("lab_scenario", args=[scenario.name])
    fields = form_fields(scenario, parsed)
    field_names = {f.name for f in fields}
    context = {
        "scenario": scenario,
        "topic": topic_info(scenario.topic),
        "fields": fields,
        "errors": parsed.errors,
        "problems": [(e.message, f"lab-field-{e.param}" if e.param in field_names else "")
                     for e in parsed.errors],
        "invalid": " ".join(sorted({e.param for e in parsed.errors if e.param})),
        "page_url": page_url,
        "new_seed_link": f"{page_url}?"
        + canonical_query(parsed.values or scenario.defaults(), random.randrange(NEW_SEED_LIMIT)),
        "trace": trace,
        "view": None,
        "part": part,
        "overshoot_link": overshoot_link(scenario),
    }
    if trace is not None:
        query_text = canonical_query(parsed.values, parsed.seed)

        values_root = reverse("lab_values", args=[scenario.name, 0, "a"]).removesuffix("0/a/")

        def values_url(step: int, array: str) -> str:  # one reverse() per page, not per array
            return f"{values_root}{step}/{quote(array)}/?{query_text}"

        context |= {
            "view": present(trace, values_url=values_url, open_phase=open_phase, only=part),
            "permalink": f"{page_url}?{query_text}",
            "api_link": reverse("lab_api_scenario", args=[scenario.name]) + "?" + query_text,
            "params_text": ", ".join(f"{name} = {value_text(scenario.param(name), value)}"
                                     for name, value in parsed.values.items()),
        }
    return context, 200 if trace is not None else 400


def values_page(scenario: Scenario, query, *, query_string: str, step: int,
                array: str) -> tuple[dict, int] | None:
    """Return the context of one step array's values tables, or None if there is no such array."""
    parsed, trace = run_query(scenario, query, query_string=query_string)
    if trace is None:
        return {"scenario": scenario, "errors": parsed.errors, "tables": ""}, 400
    found: Step | None = trace.steps[step] if 0 <= step < len(trace.steps) else None
    if found is None or array not in found.arrays:
        return None
    query_text = canonical_query(parsed.values, parsed.seed)
    values = np.asarray(found.arrays[array])
    return {
        "scenario": scenario,
        "step": found,
        "label": found.label(array),
        "shape": values.shape,
        "tables": values_tables(values),
        "back": reverse("lab_scenario", args=[scenario.name]) + f"?{query_text}#step-{step}-{array}",
    }, 200
