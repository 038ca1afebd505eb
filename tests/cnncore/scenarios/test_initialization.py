"""The initialization scenario: its numbers agree with an independent recomputation."""


import numpy as np
import pytest

from cnncore import scenarios
from tests.cnncore.scenarios.helpers import result


@pytest.mark.parametrize("init_value", [0.1, 0.0, -0.4])
def test_constant_filters_stay_identical_and_random_ones_do_not(init_value):
    trace = scenarios.run("initialization", {"init_value": init_value, "filters": 4}, seed=2)
    assert result(trace, "filters_identical_constant") is True
    assert result(trace, "distinct_filters_constant") == 1
    assert result(trace, "filters_identical_random") is False
    assert result(trace, "distinct_filters_random") == 4
    final = trace.steps[0].arrays["final_filters"]
    np.testing.assert_allclose(final, np.broadcast_to(final[:1], final.shape), rtol=0, atol=1e-12)
