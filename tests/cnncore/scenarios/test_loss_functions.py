"""The loss-functions scenario: its numbers agree with an independent recomputation."""

import math

import numpy as np
import pytest

from cnncore import scenarios
from tests.cnncore.scenarios.helpers import result


def test_loss_functions_agree_with_their_formulas():
    trace = scenarios.run("loss-functions", {"classes": 4, "target_class": 2}, seed=5)
    p = result(trace, "probabilities")
    t = np.eye(4)[2]
    assert p.sum() == pytest.approx(1.0)
    assert result(trace, "cross_entropy") == pytest.approx(-math.log(p[2]))
    assert result(trace, "mse") == pytest.approx(np.mean((p - t) ** 2))
    assert result(trace, "half_squared_error") == pytest.approx(0.5 * np.sum((t - p) ** 2))
    assert result(trace, "binary_cross_entropy") == pytest.approx(
        -np.mean(t * np.log(p) + (1 - t) * np.log(1 - p)))
    np.testing.assert_allclose(result(trace, "cross_entropy_gradient"), p - t)
    summed = scenarios.run("loss-functions", {"classes": 4, "target_class": 2, "reduction": "sum"},
                           seed=5)
    assert result(summed, "mse") == pytest.approx(4 * result(trace, "mse"))
    assert trace.misconceptions["mse"]["sum_instead_of_mean"].value == pytest.approx(result(summed, "mse"))
