"""The parameter-count scenario: its numbers agree with an independent recomputation."""


import numpy as np

from cnncore import scenarios
from tests.cnncore.scenarios.helpers import result


def test_parameter_count_matches_formulas_and_a_real_forward_pass():
    params = {"input_size": 28, "in_channels": 1, "conv1_filters": 6, "conv2_filters": 16,
              "kernel_size": 5, "padding": 0, "classes": 10}  # LeNet-like
    trace = scenarios.run("parameter-count", params)
    assert result(trace, "conv1_parameters") == 6 * (1 * 5 * 5 + 1) == 156
    assert result(trace, "conv2_parameters") == 16 * (6 * 5 * 5 + 1) == 2416
    assert result(trace, "pool2_output_shape") == (16, 4, 4)
    assert result(trace, "flatten_features") == 256
    assert result(trace, "fc1_parameters") == 10 * 257
    assert result(trace, "total_parameters") == 156 + 2416 + 2570
    assert result(trace, "receptive_field") == 16  # 5, 6, 14, 16
    assert result(trace, "largest_layer") == "fc1"
    from cnncore.scenarios.parameter_count import feature_layers

    layers, shape = feature_layers(trace.params)
    x = np.zeros((1, 1, 28, 28))
    for layer in layers:
        x = layer.forward(x)
    assert x.shape == shape == (1, 16, 4, 4)


def test_parameter_count_without_second_conv_has_no_conv2_results():
    trace = scenarios.run("parameter-count", {"conv2_filters": 0, "pool": False})
    assert "conv2_parameters" not in trace.results
    assert result(trace, "receptive_field") == 3
