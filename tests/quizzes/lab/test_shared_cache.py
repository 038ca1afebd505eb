"""With REDIS_URL (a shared cache), the lab API's JSON for (scenario, params, seed) is shared by every worker."""

from unittest import mock

import pytest
from django.core.cache import cache

from quizzes import scenario_runs

pytestmark = pytest.mark.django_db

URL = "/api/lab/conv-window?kernel_size=3&stride=2&padding=1&seed=41"


@pytest.fixture(autouse=True)
def fresh():
    scenario_runs.cache_clear()
    yield
    scenario_runs.cache_clear()


def test_another_worker_serves_the_shared_json_without_running_the_scenario(client, settings):
    settings.SHARED_RESULTS_CACHE = True
    first = client.get(URL).content
    scenario_runs.cache_clear()  # as if another worker process asked
    with mock.patch("quizzes.scenario_runs.scenarios.run", side_effect=AssertionError("ran again")):
        again = client.get(URL)
    assert again.status_code == 200
    assert again.content == first


def test_without_a_shared_cache_each_worker_runs_its_own(client, settings):
    settings.SHARED_RESULTS_CACHE = False
    with mock.patch.object(cache, "set", side_effect=AssertionError("shared")):
        assert client.get(URL).status_code == 200
    scenario_runs.cache_clear()
    with mock.patch("quizzes.scenario_runs.scenarios.run", side_effect=AssertionError("ran again")):
        with pytest.raises(AssertionError, match="ran again"):
            client.get(URL)
