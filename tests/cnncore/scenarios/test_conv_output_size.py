"""The conv-output-size scenario: its numbers agree with an independent recomputation."""


import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from cnncore import scenarios
from cnncore.functional import conv2d_forward
from tests.cnncore.scenarios.helpers import result


@settings(max_examples=60, deadline=None)
@given(height=st.integers(1, 64), width=st.integers(1, 64), kernel=st.integers(1, 11),
       stride=st.integers(1, 5), padding=st.integers(0, 5))
def test_conv_output_size_matches_conv2d_forward_or_says_it_does_not_fit(height, width, kernel,
                                                                        stride, padding):
    trace = scenarios.run("conv-output-size", {"input_height": height, "input_width": width,
                                               "kernel_size": kernel, "stride": stride,
                                               "padding": padding})
    fits = kernel <= min(height, width) + 2 * padding
    assert result(trace, "fits") == fits
    if fits:
        out, _ = conv2d_forward(np.zeros((1, 1, height, width)), np.zeros((1, 1, kernel, kernel)),
                                np.zeros(1), stride=stride, padding=padding)
        assert (result(trace, "out_h"), result(trace, "out_w")) == out.shape[2:]
        dropped = (height + 2 * padding - kernel) % stride
        assert result(trace, "unused_rows") == dropped
    else:
        assert 0 in (result(trace, "out_h"), result(trace, "out_w"))


def test_conv_output_size_misconceptions_are_the_classic_wrong_formulas():
    trace = scenarios.run("conv-output-size", {"input_height": 7, "kernel_size": 4, "stride": 2,
                                               "padding": 1})
    wrong = {name: m.value for name, m in trace.misconceptions["out_h"].items()}
    assert result(trace, "out_h") == 3  # (7 + 2 - 4) // 2 + 1
    assert wrong == {"forgot_padding": 2, "padding_once": 3, "forgot_plus_one": 2,
                     "forgot_stride": 6, "rounded_up": 4}
    assert result(trace, "exact") is False and result(trace, "unused_rows") == 1
