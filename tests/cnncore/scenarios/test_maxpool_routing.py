"""The maxpool-routing scenario: its numbers agree with an independent recomputation."""


import numpy as np
import pytest

from cnncore import scenarios
from tests.cnncore.scenarios.helpers import result


@pytest.mark.parametrize(("params", "seed"), [({}, 0), ({"stride": 1, "kernel_size": 3,
                                                         "input_size": 6, "max_value": 3}, 1)])
def test_maxpool_routes_each_gradient_to_its_window_maximum(params, seed):
    trace = scenarios.run("maxpool-routing", params, seed=seed)
    window, dout, dx = result(trace, "window"), result(trace, "dout"), result(trace, "dx")
    row, col = result(trace, "max_position")
    assert result(trace, "max_value") == window.max() == window[row, col]
    first = np.flatnonzero(window.ravel() == window.max())[0]
    assert (row, col) == divmod(int(first), window.shape[1])
    assert dx.sum() == pytest.approx(dout.sum())  # every gradient lands somewhere, once
    if params.get("stride", 2) == params.get("kernel_size", 2):
        assert result(trace, "routed_gradient") == dout[0, 0]
        assert np.count_nonzero(dx[:2, :2]) == 1
