"""The lab's JSON API: /api/lab/ lists the scenarios, /api/lab/<name> returns a run's trace."""

import json
import random
from urllib.parse import urlencode

import pytest
from django.urls import reverse

from cnncore.scenarios import all_scenarios, get, run
from cnncore.scenarios.params import OUT_OF_RANGE, SEED_LIMIT, number_text
from quizzes import scenario_runs
from quizzes.lab.query import GIVEN_MORE_THAN_ONCE, MAX_QUERY_LENGTH

SCENARIOS = [s.name for s in all_scenarios()]


def api(name: str) -> str:
    return reverse("lab_api_scenario", args=[name])


def test_index_lists_every_scenario_with_its_parameter_schema(client):
    response = client.get(reverse("lab_api_index"))
    assert response.status_code == 200
    listed = response.json()["scenarios"]
    assert [s["name"] for s in listed] == SCENARIOS
    for entry, scenario in zip(listed, all_scenarios(), strict=True):
        assert {k: entry[k] for k in scenario.to_dict()} == json.loads(json.dumps(scenario.to_dict()))
        assert entry["url"] == api(scenario.name)
        assert entry["page"] == reverse("lab_scenario", args=[scenario.name])


@pytest.mark.parametrize("name", SCENARIOS)
def test_every_scenario_answers_its_trace_with_defaults(client, name):
    response = client.get(api(name))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    data = response.json()
    assert data == json.loads(json.dumps(run(name).to_dict()))
    assert data["scenario"] == name and data["seed"] == 0
    for step in data["steps"]:
        for array in step["arrays"].values():
            assert {"label", "shape", "dtype", "values", "display"} <= set(array)


def test_a_question_style_link_reproduces_exactly_the_same_numbers(client):
    """Questions link with urlencode(params + seed); the JSON is the direct run's to_dict()."""
    params = {"input_size": 6, "in_channels": 2, "kernel_size": 3, "stride": 2, "padding": 1,
              "row": 1, "col": 2, "integer_values": False}
    url = api("conv-window") + "?" + urlencode({**params, "seed": 12345})
    assert client.get(url).json() == json.loads(json.dumps(run("conv-window", params, seed=12345).to_dict()))


def test_float_parameters_round_trip_through_the_url_exactly(client):
    params = {"learning_rate": 0.1 + 0.2, "label": "bird", "filters": 3}
    url = api("training-iteration") + "?" + urlencode({**params, "seed": 99})
    data = client.get(url).json()
    assert data["params"]["learning_rate"] == 0.1 + 0.2
    assert data == json.loads(json.dumps(run("training-iteration", params, seed=99).to_dict()))


def test_the_trailing_slash_is_optional(client):
    assert client.get(api("conv-output-size") + "/").json() == client.get(api("conv-output-size")).json()


def test_hyphenated_parameter_names_are_read_as_underscores(client):
    data = client.get(api("conv-output-size") + "?kernel-size=3").json()
    assert data["params"]["kernel_size"] == 3


@pytest.mark.parametrize(
    ("query", "param", "words"),
    [
        ("stride=9", "stride", "stride must be between 1 and 5, got 9"),
        ("stride=two", "stride", "stride must be a whole number"),
        ("stride=", "stride", "stride must be a whole number"),
        ("padding=1.5", "padding", "padding must be a whole number"),
        ("colour=red", "colour", "has no parameter 'colour'"),
        ("stride=1&stride=2", "stride", GIVEN_MORE_THAN_ONCE.format(name="stride", count=2)),
        ("kernel-size=3&kernel_size=3", "kernel_size", "kernel_size is given twice"),
        ("seed=-1", "seed", "seed must be a whole number between 0 and"),
        (f"seed={SEED_LIMIT}", "seed", "seed must be a whole number between 0 and"),
        ("seed=1&seed=2", "seed", "seed is given 2 times"),
    ],
)
def test_a_bad_parameter_is_a_400_naming_it(client, query, param, words):
    response = client.get(api("conv-output-size") + "?" + query)
    assert response.status_code == 400
    body = response.json()
    assert body["param"] == param
    assert words in body["error"]


def test_a_combination_the_scenario_refuses_is_a_400_naming_the_parameter(client):
    response = client.get(api("conv-window") + "?input_size=5&kernel_size=3&row=4")
    assert response.status_code == 400
    assert response.json()["param"] == "row"
    assert "the output is 3x3" in response.json()["error"]


def test_an_out_of_bounds_message_is_cnncores_own(client):
    body = client.get(api("conv-output-size") + "?padding=99").json()
    param = get("conv-output-size").param("padding")
    assert body["error"] == OUT_OF_RANGE.format(
        name="padding", min=number_text(param.min), max=number_text(param.max), value=99)


def test_a_too_long_query_string_is_refused_whole(client):
    response = client.get(api("conv-output-size") + "?stride=1&x=" + "a" * MAX_QUERY_LENGTH)
    assert response.status_code == 400
    assert response.json()["param"] is None
    assert str(MAX_QUERY_LENGTH) in response.json()["error"]


def test_an_unknown_scenario_is_a_json_404_listing_the_known_ones(client):
    response = client.get(api("no-such-scenario"))
    assert response.status_code == 404
    body = response.json()
    assert "no-such-scenario" in body["error"]
    assert body["scenarios"] == SCENARIOS


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_only_get_is_answered(client, method):
    for url in (reverse("lab_api_index"), api("conv-window")):
        response = getattr(client, method)(url)
        assert response.status_code == 405
        assert response["Allow"] == "GET, HEAD"
        assert "GET only" in response.json()["error"]


def test_head_is_answered_like_get_without_a_body(client):
    response = client.head(api("conv-window"))
    assert response.status_code == 200
    assert response.content == b""


def test_identical_runs_come_from_the_cache():
    scenario_runs.cache_clear()
    values = get("conv-window").validate({})
    first = scenario_runs.run("conv-window", values, 5)
    again = scenario_runs.run("conv-window", dict(values), 5)
    assert again is first
    assert scenario_runs.cache_info().hits == 1


def test_runs_whose_numbers_overflow_are_a_400_not_a_500(client, monkeypatch):
    def overflowing(name, params, seed):
        trace = run("loss-functions", seed=seed)
        trace.add_result("broken", float("inf"), "an infinite number")
        return trace

    monkeypatch.setattr(scenario_runs.scenarios, "run", overflowing)
    scenario_runs.cache_clear()
    try:
        response = client.get(api("loss-functions") + "?seed=31337")
    finally:
        scenario_runs.cache_clear()
    assert response.status_code == 400
    assert response.json()["param"] is None
    assert "overflow" in response.json()["error"]


def random_query(scenario, rng: random.Random) -> dict:
    """Return raw query values within (and sometimes just outside) the schema's bounds."""
    query = {}
    for param in scenario.params:
        if rng.random() < 0.3:
            continue  # missing: the default
        if param.kind == "int":
            query[param.name] = rng.randint(int(param.min) - 1, int(param.max) + 1)
        elif param.kind == "float":
            query[param.name] = rng.choice([param.min, param.max, rng.uniform(param.min, param.max)])
        elif param.kind == "choice":
            query[param.name] = rng.choice(param.choices)
        else:
            query[param.name] = rng.choice(["true", "false"])
    query["seed"] = rng.randrange(SEED_LIMIT)
    return query


@pytest.mark.parametrize("name", SCENARIOS)
def test_random_parameters_never_give_a_500(client, name):
    rng = random.Random(name)
    scenario = get(name)
    for _ in range(6):
        response = client.get(api(name) + "?" + urlencode(random_query(scenario, rng)))
        assert response.status_code in (200, 400), response.content[:300]
        if response.status_code == 400:
            assert response.json()["error"]
