"""Scenario parameters read from a query: edge spellings."""

import math


def test_negative_zero_is_read_as_zero_and_runs():
    from cnncore.scenarios import get, run

    noise = get("training-loop").param("noise")
    value = noise.parse("-0")
    assert value == 0 and math.copysign(1.0, value) == 1.0
    assert run("training-loop", {"noise": "-0", "epochs": 1}).params["noise"] == 0
