"""Build the notebook of one lab run: nbformat v4 JSON, written by hand (no Jupyter needed to serve it).

Cells: a title with the run's lab link, a setup cell (imports, the run's ``params`` and
``seed``, ``rng`` seeded as the scenario seeds it), the scenario's recipe (markdown between
phase cells), and a last cell that prints ``results`` as JSON: the keys of the lab API's
``results``, arrays as nested lists.
"""

from __future__ import annotations

import json
from collections.abc import Mapping

from django.urls import reverse

from cnncore.scenarios import Scenario

from ..lab.query import canonical_query
from .recipes import Cell, code, md, recipes

NBFORMAT, NBFORMAT_MINOR = 4, 5
CONTENT_TYPE = "application/x-ipynb+json"
METADATA = {
    "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
    "language_info": {"name": "python", "version": "3.11", "mimetype": "text/x-python",
                      "file_extension": ".py", "pygments_lexer": "ipython3"},
}
SETUP_NOTE = """
Run it where `cnncore` can be imported: in a checkout of Backprop Lab, or after
`pip install -e .` at its root (or `pip install "git+<its repository URL>"`), which installs
`cnncore` and NumPy and nothing else.
"""
PLAIN = '''
def plain(value):
    """Return ``value`` as JSON data: arrays as nested lists, NumPy numbers as Python ones."""
    if isinstance(value, np.ndarray):
        return (value + 0.0).tolist() if value.dtype.kind == "f" else value.tolist()
    if isinstance(value, np.generic):
        return plain(value.item())
    if isinstance(value, float):
        return value + 0.0
    if isinstance(value, (tuple, list)):
        return [plain(v) for v in value]
    return value
'''


class NoRecipe(LookupError):
    """The scenario has no notebook recipe yet."""


def _python(value: object) -> str:
    return repr(value)


def setup_cell(values: Mapping[str, object], seed: int) -> Cell:
    """Return the first code cell: imports, the run's parameters and seed, the seeded generator."""
    lines = ["import json", "", "import numpy as np", "", "params = {"]
    lines += [f"    {name!r}: {_python(value)}," for name, value in values.items()]
    lines += ["}", f"seed = {seed}", "rng = np.random.default_rng(seed)  # every random number of the run"]
    return code("\n".join(lines) + "\n" + PLAIN)


def notebook(scenario: Scenario, values: Mapping[str, object], seed: int) -> dict:
    """Return the notebook (nbformat v4.5 as a dict) that rebuilds ``scenario`` for ``values`` and ``seed``."""
    recipe = recipes().get(scenario.name)
    if recipe is None:
        raise NoRecipe(scenario.name)
    query = canonical_query(values, seed)
    lab = reverse("lab_scenario", args=[scenario.name]) + "?" + query
    api = reverse("lab_api_scenario", args=[scenario.name]) + "?" + query
    cells = [
        md(f"# {scenario.title}\n\n{scenario.summary}\n\nThis notebook rebuilds, in plain NumPy, exactly the "
           f"run of the lab page `{lab}`: the same parameters, the same seed, the same numbers. "
           f"Its last cell prints the results with the keys of the lab API (`{api}`).\n{SETUP_NOTE}"),
        md("## 0. The run's parameters and seed"),
        setup_cell(values, seed),
        *recipe,
        md("## The results as JSON\nThe same keys and numbers as the API's `results`."),
        code("print(json.dumps({name: plain(value) for name, value in results.items()}, indent=1))"),
    ]
    return {
        "nbformat": NBFORMAT, "nbformat_minor": NBFORMAT_MINOR, "metadata": METADATA,
        "cells": [_cell(cell, index) for index, cell in enumerate(cells, start=1)],
    }


def _cell(cell: Cell, index: int) -> dict:
    source = cell.source.splitlines(keepends=True)
    data = {"cell_type": cell.kind, "id": f"cell-{index}", "metadata": {}, "source": source}
    if cell.kind == "code":
        data.update(execution_count=None, outputs=[])
    return data


def to_json(data: dict) -> str:
    """Return the notebook as the text Jupyter writes (one-space indent, sorted keys)."""
    return json.dumps(data, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def file_name(scenario: Scenario, seed: int) -> str:
    return f"{scenario.name}-seed-{seed}.ipynb"
