"""The lab API answers 400 naming the parameter for numbers written in Python-only spellings."""

import pytest
from django.urls import reverse


@pytest.mark.parametrize("text", ["1_0", " 1", "0x10", "1e", "infinity", "nan"])
def test_int_parameter_spellings_are_refused(client, text):
    response = client.get(reverse("lab_api_scenario", args=["conv-window"]), {"stride": text})
    assert response.status_code == 400
    assert response.json()["param"] == "stride" and "stride" in response.json()["error"]


@pytest.mark.parametrize("text", ["1_0", " 1", "0x10", "1e", "infinity", "nan"])
def test_float_parameter_spellings_are_refused(client, text):
    response = client.get(reverse("lab_api_scenario", args=["learning-rate"]), {"good_learning_rate": text})
    assert response.status_code == 400
    assert response.json()["param"] == "good_learning_rate"


def test_scientific_notation_is_accepted(client):
    response = client.get(reverse("lab_api_scenario", args=["learning-rate"]), {"good_learning_rate": "3e-1"})
    assert response.status_code == 200 and response.json()["params"]["good_learning_rate"] == 0.3
