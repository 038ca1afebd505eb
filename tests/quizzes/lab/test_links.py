"""Every question's "Recompute these numbers in the lab" shows the question's own numbers, or is not offered.

Walks every question of ``content/`` for a few seeds: when the lab link is offered, the run the
link asks for (its URL query, parsed as the lab parses it) fills the question's texts exactly
as the question's own run does; when the question shows no number of a run, no link is given.
"""

from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings
from django.http import QueryDict

from cnncore import scenarios
from quizzes import scenario_runs
from quizzes.content.bank import load_bank
from quizzes.content.templating import fill
from quizzes.content.variants import build_variant_near, scenario_context, scenario_trace
from quizzes.lab.query import parse_query
from quizzes.selectors.presenting import lab_url, shows_run_numbers

BANK = load_bank(Path(settings.BASE_DIR) / "content")
QUESTIONS = sorted(BANK.questions, key=lambda q: q.id)
SEEDS = (0, 1, 7)


def texts(question):
    """Every text of a question that placeholders may fill."""
    yield question.stem
    yield question.explanation
    for choice in question.choices:
        yield choice.text
        yield choice.feedback


def lab_trace(url):
    """Return the run the lab shows for ``url``, parsed exactly as the lab page parses it."""
    parts = urlsplit(url)
    name = parts.path.rstrip("/").split("/")[-1]
    scenario = scenarios.get(name)
    parsed = parse_query(scenario, QueryDict(parts.query), query_string=parts.query)
    assert parsed.ok, parsed.errors
    return scenario_runs.run(name, parsed.values, parsed.seed)


def test_the_bank_has_questions_with_and_without_run_numbers():
    assert any(shows_run_numbers(q) for q in QUESTIONS)
    assert any(not shows_run_numbers(q) for q in QUESTIONS)


@pytest.mark.parametrize("question", QUESTIONS, ids=lambda q: q.id)
def test_the_lab_link_reproduces_the_numbers_the_question_shows(question):
    for seed in SEEDS:
        variant = build_variant_near(question, seed, render=False)
        url = lab_url(variant, question)
        if not shows_run_numbers(question):
            assert url == ""
            continue
        assert url.startswith(f"/lab/{question.scenario}/?")
        assert parse_qs(urlsplit(url).query)["seed"] == [str(variant.scenario_seed)]
        shown = scenario_context(scenario_trace(question, variant.seed))
        linked = scenario_context(lab_trace(url))
        for text in texts(question):
            assert fill(text, linked) == fill(text, shown)


@pytest.mark.django_db
def test_the_gradient_check_question_offers_no_lab_run_without_its_numbers(client):
    question = next(q for q in QUESTIONS if q.id == "bp-numerical-gradient-check")
    assert lab_url(build_variant_near(question, 0, render=False), question) == ""


@pytest.mark.django_db
@pytest.mark.parametrize("question", [q for q in QUESTIONS if q.scenario == "training-iteration"
                                      and shows_run_numbers(q)], ids=lambda q: q.id)
def test_training_iteration_links_open_a_page_with_the_question_numbers(client, question):
    variant = build_variant_near(question, 0, render=False)
    response = client.get(lab_url(variant, question))
    assert response.status_code == 200
    trace = lab_trace(lab_url(variant, question))
    assert f"{trace.results['loss_before'].value:.4g}" in response.content.decode()
