"""GET /lab/<scenario>/notebook.ipynb?<query>: a valid notebook download, the lab's 400s and 404s."""

import json

import nbformat
import pytest

from cnncore.scenarios import all_scenarios

SCENARIOS = [s.name for s in all_scenarios()]



pytestmark = pytest.mark.django_db

@pytest.mark.parametrize("name", SCENARIOS)
def test_every_scenario_downloads_a_valid_notebook_at_its_defaults(client, name):
    response = client.get(f"/lab/{name}/notebook.ipynb")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/x-ipynb+json"
    assert response["Content-Disposition"] == f'attachment; filename="{name}-seed-0.ipynb"'
    notebook = nbformat.reads(response.content.decode(), as_version=4)
    nbformat.validate(notebook)
    kinds = [cell.cell_type for cell in notebook.cells]
    assert kinds.count("code") >= 4 and "markdown" in kinds
    assert all(a != b or a == "markdown" for a, b in zip(kinds, kinds[1:], strict=False)), \
        "short markdown between the phase cells"
    assert "print(json.dumps(" in notebook.cells[-1].source


def test_the_notebook_carries_the_querys_parameters_and_seed(client):
    response = client.get("/lab/conv-window/notebook.ipynb?kernel-size=2&stride=2&padding=1&seed=17")
    setup = json.loads(response.content)["cells"][2]["source"]
    text = "".join(setup)
    assert "'kernel_size': 2," in text and "'stride': 2," in text and "'padding': 1," in text
    assert "seed = 17" in text and 'filename="conv-window-seed-17.ipynb"' in response["Content-Disposition"]


@pytest.mark.parametrize(("query", "param"), [
    ("stride=9", "stride"),
    ("seed=-1", "seed"),
    ("nope=1", "nope"),
    ("stride=1&stride=2", "stride"),
])
def test_a_bad_query_is_a_400_naming_the_parameter(client, query, param):
    response = client.get(f"/lab/conv-window/notebook.ipynb?{query}")
    assert response.status_code == 400
    assert response.json()["param"] == param


def test_an_unknown_scenario_is_a_404_and_a_post_a_405(client):
    assert client.get("/lab/nope/notebook.ipynb").status_code == 404
    assert client.post("/lab/conv-window/notebook.ipynb").status_code == 405


def test_the_lab_page_links_its_runs_notebook(client):
    page = client.get("/lab/conv-window/?stride=2&seed=5").content.decode()
    assert 'href="/lab/conv-window/notebook.ipynb?' in page and "seed=5" in page and "Open as notebook" in page
    bad = client.get("/lab/conv-window/?stride=9").content.decode()
    assert "Open as notebook" not in bad


def test_an_answered_questions_explanation_links_its_variants_notebook(synced, student, client):
    from quizzes.models import QuestionVersion
    from quizzes.selectors.presenting import question_view

    version = QuestionVersion.objects.filter(question__qid="output-size-padded").latest("pk")
    view = question_view(version, 1234, chosen_position=0, reveal=True)
    assert view.notebook_url.startswith("/lab/conv-output-size/notebook.ipynb?")
    assert view.notebook_url.split("?")[1] == view.lab_url.split("?")[1]
    hidden = question_view(version, 1234, chosen_position=None, reveal=False)
    assert hidden.notebook_url == ""
