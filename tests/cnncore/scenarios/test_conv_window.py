"""The conv-window scenario: its numbers agree with an independent recomputation."""


import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cnncore import scenarios
from cnncore.functional import conv2d_forward
from cnncore.scenarios import ParameterError
from tests.cnncore.scenarios.helpers import result


@settings(max_examples=30, deadline=None)
@given(size=st.integers(3, 8), channels=st.integers(1, 3), kernel=st.integers(1, 5),
       stride=st.integers(1, 3), padding=st.integers(0, 2), row=st.integers(0, 11),
       col=st.integers(0, 11), seed=st.integers(0, 2**32 - 1))
def test_conv_window_value_is_the_conv2d_output_element(size, channels, kernel, stride, padding,
                                                       row, col, seed):
    params = {"input_size": size, "in_channels": channels, "kernel_size": kernel,
              "stride": stride, "padding": padding, "row": row, "col": col}
    try:
        trace = scenarios.run("conv-window", params, seed=seed)
    except ParameterError:
        return
    forward = trace.steps_of("forward")[0]
    out, _ = conv2d_forward(forward.arrays["input"], forward.arrays["weight"],
                            forward.arrays["bias"], stride=stride, padding=padding)
    assert result(trace, "value") == pytest.approx(out[0, 0, row, col], abs=1e-12)
    assert result(trace, "value") == pytest.approx(
        result(trace, "sum_of_products") + result(trace, "bias"), abs=1e-12)
    np.testing.assert_allclose(result(trace, "products"),
                               result(trace, "window") * result(trace, "kernel"))
    assert result(trace, "out_h") == out.shape[2]


def test_conv_window_flipped_kernel_misconception_is_a_true_convolution():
    trace = scenarios.run("conv-window", {"row": 1, "col": 1}, seed=4)
    window, kernel = result(trace, "window"), result(trace, "kernel")
    flipped = (window * kernel[:, ::-1, ::-1]).sum() + result(trace, "bias")
    assert trace.misconceptions["value"]["flipped_kernel"].value == pytest.approx(flipped)
