"""Execute the notebook of every scenario (defaults, and two other seeds) in a real Jupyter kernel.

Each notebook runs in its own kernel (nbclient + ipykernel); what its last cell prints must be
the lab API's ``results`` for the same query: the same keys, numbers equal to 1e-12. After
running, the notebook must still validate (what JupyterLab opens).
"""

import json
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from cnncore.scenarios import all_scenarios

REPO = Path(__file__).resolve().parents[3]
SEEDS = (None, 7, 123456)
RUNS = [(s.name, seed) for s in all_scenarios() for seed in SEEDS]
TOLERANCE = 1e-12


def _kernel_ready() -> None:
    """Install the python3 kernel spec into this environment when it is missing."""
    from jupyter_client.kernelspec import KernelSpecManager

    if "python3" not in KernelSpecManager().find_kernel_specs():
        subprocess.run([sys.executable, "-m", "ipykernel", "install", "--sys-prefix"], check=True,
                       capture_output=True)


def _query(seed) -> str:
    return "" if seed is None else f"?seed={seed}"


@pytest.fixture(scope="module")
def executed(django_db_blocker):
    """Return {(scenario, seed): (executed notebook, API results)} for every run."""
    from django.test import Client
    from nbclient import NotebookClient

    _kernel_ready()
    client = Client()
    done = {}
    with django_db_blocker.unblock():
        for name, seed in RUNS:
            response = client.get(f"/lab/{name}/notebook.ipynb{_query(seed)}")
            assert response.status_code == 200
            notebook = nbformat.reads(response.content.decode(), as_version=4)
            NotebookClient(notebook, timeout=180, kernel_name="python3",
                           resources={"metadata": {"path": str(REPO)}}).execute()
            api = client.get(f"/api/lab/{name}{_query(seed)}").json()["results"]
            done[(name, seed)] = (notebook, api)
    return done


def _printed(notebook) -> dict:
    outputs = [o for o in notebook.cells[-1].outputs if o.get("name") == "stdout"]
    return json.loads("".join(o["text"] for o in outputs))


def _close(got, want) -> bool:
    if isinstance(want, bool) or isinstance(got, bool) or isinstance(want, str):
        return got == want
    if isinstance(want, int | float) and isinstance(got, int | float):
        return abs(got - want) <= TOLERANCE
    if isinstance(want, list) and isinstance(got, list):
        return len(got) == len(want) and all(_close(g, w) for g, w in zip(got, want, strict=True))
    return got == want


@pytest.mark.parametrize(("name", "seed"), RUNS)
def test_the_notebook_prints_the_apis_results(executed, name, seed):
    notebook, api = executed[(name, seed)]
    printed = _printed(notebook)
    assert list(printed) == list(api), "the same keys, in the same order"
    for key, result in api.items():
        want = result["value"]["values"] if isinstance(result["value"], dict) else result["value"]
        assert _close(printed[key], want), f"{key}: notebook {printed[key]!r} != API {want!r}"


@pytest.mark.parametrize(("name", "seed"), RUNS[::3])
def test_the_executed_notebook_is_still_valid_and_error_free(executed, name, seed):
    notebook, _ = executed[(name, seed)]
    nbformat.validate(notebook)
    assert not [o for cell in notebook.cells if cell.cell_type == "code" for o in cell.outputs
                if o.output_type == "error"]
