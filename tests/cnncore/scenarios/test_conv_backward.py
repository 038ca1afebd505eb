"""The conv-backward scenario: its numbers agree with an independent recomputation."""


import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from cnncore import scenarios
from cnncore.functional import conv2d_backward, conv2d_forward
from cnncore.scenarios import ParameterError
from tests.cnncore.scenarios.helpers import result


@settings(max_examples=40, deadline=None)
@given(c=st.integers(1, 3), f=st.integers(1, 3), size=st.integers(3, 7), k=st.integers(1, 4),
       stride=st.integers(1, 2), padding=st.integers(0, 1), integer=st.booleans(),
       seed=st.integers(0, 1000))
def test_conv_backward_correlations_equal_conv2d_backward(c, f, size, k, stride, padding, integer,
                                                         seed):
    params = {"in_channels": c, "out_channels": f, "input_size": size, "kernel_size": k,
              "stride": stride, "padding": padding, "integer_values": integer}
    try:
        trace = scenarios.run("conv-backward", params, seed=seed)
    except ParameterError:
        return
    assert result(trace, "dw_matches") and result(trace, "dx_matches") and result(trace, "db_matches")
    forward = trace.steps_of("forward")[0]
    _, cache = conv2d_forward(forward.arrays["input"], forward.arrays["weight"],
                              forward.arrays["bias"], stride=stride, padding=padding)
    dx, dw, db = conv2d_backward(result(trace, "dout")[np.newaxis], cache)
    np.testing.assert_allclose(result(trace, "dw"), dw, atol=1e-12)
    np.testing.assert_allclose(result(trace, "dx"), dx[0], atol=1e-12)
    np.testing.assert_allclose(result(trace, "db"), db, atol=1e-12)
