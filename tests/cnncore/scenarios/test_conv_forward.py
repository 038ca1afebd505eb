"""The conv-forward scenario: its numbers agree with an independent recomputation."""


import numpy as np
import pytest

from cnncore import scenarios
from cnncore.functional import conv2d_forward
from tests.cnncore.scenarios.helpers import result


@pytest.mark.parametrize("seed", range(3))
def test_conv_forward_output_matches_conv2d_forward(seed):
    trace = scenarios.run("conv-forward", {"in_channels": 3, "out_channels": 2, "stride": 2},
                          seed=seed)
    forward = trace.steps_of("forward")[0]
    out, _ = conv2d_forward(forward.arrays["input"], forward.arrays["weight"],
                            forward.arrays["bias"], stride=2, padding=1)
    np.testing.assert_allclose(result(trace, "output"), out[0], atol=1e-12)
    assert result(trace, "corner_value") == pytest.approx(out[0, 0, 0, 0])
    assert result(trace, "weight_count") == 2 * 3 * 3 * 3 + 2
