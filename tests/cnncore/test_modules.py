"""Tests of cnncore.nn: every layer's backward against numerical gradients, naming, init, traces."""

import numpy as np
import pytest

from cnncore.losses import cross_entropy_loss
from cnncore.nn import (
    AvgPool2D,
    Conv2D,
    Flatten,
    Linear,
    MaxPool2D,
    Parameter,
    ReLU,
    Sequential,
    Sigmoid,
    Tanh,
)
from cnncore.trace import Trace
from tests.cnncore.gradcheck import numerical_gradient, relative_error

TOLERANCE = 1e-7


def away_from_kinks(x: np.ndarray, margin: float = 0.05) -> np.ndarray:
    """Return x with no value within ``margin`` of 0 (ReLU's kink)."""
    return np.where(np.abs(x) < margin, np.sign(x + 1e-12) * (margin + np.abs(x)), x)


def layer_cases():
    """Return (name, layer, input) pairs covering every layer type and stride/padding."""
    rng = np.random.default_rng(0)
    return [
        ("conv", Conv2D(2, 3, 3, rng=rng), rng.standard_normal((2, 2, 5, 5))),
        ("conv_stride_padding", Conv2D(2, 2, 3, stride=2, padding=1, rng=rng),
         rng.standard_normal((1, 2, 6, 5))),
        ("conv_rectangular", Conv2D(1, 2, (2, 3), stride=(1, 2), rng=rng),
         rng.standard_normal((2, 1, 4, 7))),
        ("linear", Linear(4, 3, rng=rng), rng.standard_normal((3, 4))),
        ("relu", ReLU(), away_from_kinks(rng.standard_normal((2, 3, 4)))),
        ("sigmoid", Sigmoid(), rng.standard_normal((2, 5)) * 3),
        ("tanh", Tanh(), rng.standard_normal((2, 5)) * 2),
        ("maxpool", MaxPool2D(2), rng.standard_normal((2, 2, 4, 6))),
        ("maxpool_overlap", MaxPool2D(3, stride=1), rng.standard_normal((1, 2, 5, 5))),
        ("avgpool", AvgPool2D(2, stride=1), rng.standard_normal((1, 2, 4, 4))),
        ("flatten", Flatten(), rng.standard_normal((2, 3, 2, 2))),
    ]


CASES = layer_cases()


@pytest.mark.parametrize(("name", "layer", "x"), CASES, ids=[c[0] for c in CASES])
def test_layer_backward_matches_numerical_gradient_of_input(name, layer, x):
    out = layer.forward(x)
    dout = np.random.default_rng(1).standard_normal(out.shape)
    dx = layer.backward(dout)
    numerical = numerical_gradient(lambda a: layer.forward(a).copy(), x, dout)  # Flatten: a view
    assert relative_error(dx, numerical) < TOLERANCE


@pytest.mark.parametrize(("name", "layer", "x"), [c for c in CASES if c[1].parameters()],
                         ids=[c[0] for c in CASES if c[1].parameters()])
def test_layer_parameter_gradients_match_numerical_gradients(name, layer, x):
    out = layer.forward(x)
    dout = np.random.default_rng(2).standard_normal(out.shape)
    layer.zero_grad()
    layer.backward(dout)
    for param in layer.parameters():
        original = param.value.copy()

        def forward_with(value, param=param):
            param.value[...] = value
            return layer.forward(x)

        numerical = numerical_gradient(forward_with, original, dout)
        param.value[...] = original
        assert relative_error(param.grad, numerical) < TOLERANCE, param.name


def small_network(rng):
    return Sequential(
        Conv2D(2, 3, 3, padding=1, rng=rng),
        ReLU(),
        MaxPool2D(2),
        Conv2D(3, 2, 2, rng=rng),
        Tanh(),
        Flatten(),
        Linear(2 * 1 * 1, 4, rng=rng),
        Sigmoid(),
        Linear(4, 3, rng=rng),
    )


def test_sequential_gradients_match_numerical_gradients_of_a_loss():
    rng = np.random.default_rng(3)
    model = small_network(rng)
    x = rng.standard_normal((2, 2, 4, 4))
    labels = np.array([0, 2])

    def loss_of_input(a):
        return cross_entropy_loss(model.forward(a), labels)[0]

    loss, dlogits = cross_entropy_loss(model.forward(x), labels)
    model.zero_grad()
    dx = model.backward(dlogits)
    grads = {p.name: p.grad.copy() for p in model.parameters()}
    assert relative_error(dx, numerical_gradient(loss_of_input, x)) < TOLERANCE
    for param in model.parameters():
        original = param.value.copy()

        def loss_with(value, param=param):
            param.value[...] = value
            return cross_entropy_loss(model.forward(x), labels)[0]

        numerical = numerical_gradient(loss_with, original)
        param.value[...] = original
        assert relative_error(grads[param.name], numerical) < TOLERANCE, param.name


def test_sequential_names_layers_by_kind_and_parameters_by_layer():
    model = small_network(np.random.default_rng(0))
    assert [layer.name for layer in model] == [
        "conv1", "relu1", "pool1", "conv2", "tanh1", "flatten1", "fc1", "sigmoid1", "fc2"
    ]
    assert [p.name for p in model.parameters()] == [
        "conv1.weight", "conv1.bias", "conv2.weight", "conv2.bias",
        "fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias",
    ]
    assert model.layer("pool1") is model[2]


def test_sequential_keeps_given_names_and_rejects_duplicates():
    model = Sequential(ReLU(name="first"), ReLU())
    assert [layer.name for layer in model] == ["first", "relu2"]
    with pytest.raises(ValueError, match="unique"):
        Sequential(ReLU(name="a"), Sigmoid(name="a"))


def test_renaming_a_layer_renames_its_parameters():
    layer = Linear(2, 1, rng=np.random.default_rng(0))
    assert [p.name for p in layer.parameters()] == ["weight", "bias"]
    layer.name = "head"
    assert [p.name for p in layer.parameters()] == ["head.weight", "head.bias"]


def test_gradients_accumulate_until_zero_grad():
    layer = Linear(3, 2, rng=np.random.default_rng(0))
    x = np.ones((1, 3))
    layer.forward(x)
    layer.backward(np.ones((1, 2)))
    first = layer.weight.grad.copy()
    layer.backward(np.ones((1, 2)))
    np.testing.assert_allclose(layer.weight.grad, 2 * first)
    layer.zero_grad()
    assert not layer.weight.grad.any() and not layer.bias.grad.any()


def test_output_shape_agrees_with_forward():
    rng = np.random.default_rng(0)
    model = Sequential(Conv2D(3, 4, 5, stride=2, padding=1, rng=rng), ReLU(), MaxPool2D(2),
                       AvgPool2D(2, stride=1), Flatten(), Linear(4 * 3 * 3, 2, rng=rng))
    x = np.zeros((2, 3, 17, 17))
    assert model.output_shape(x.shape) == model.forward(x).shape == (2, 2)
    with pytest.raises(ValueError, match="larger than the padded input"):
        Conv2D(1, 1, 7, init="constant").output_shape((1, 1, 3, 3))


def test_backward_before_forward_raises():
    with pytest.raises(RuntimeError, match="forward before backward"):
        Conv2D(1, 1, 2, init="constant").backward(np.zeros((1, 1, 1, 1)))
    with pytest.raises(RuntimeError, match="forward before backward"):
        ReLU().backward(np.zeros(3))
    with pytest.raises(RuntimeError, match="forward before backward"):
        Flatten().backward(np.zeros((1, 3)))


def test_uniform_init_is_seeded_and_bounded_by_one_over_sqrt_fan_in():
    first = Conv2D(3, 8, 3, rng=np.random.default_rng(7))
    second = Conv2D(3, 8, 3, rng=np.random.default_rng(7))
    np.testing.assert_array_equal(first.weight.value, second.weight.value)
    np.testing.assert_array_equal(first.bias.value, second.bias.value)
    bound = 1 / np.sqrt(3 * 3 * 3)
    assert np.abs(first.weight.value).max() <= bound
    assert np.abs(first.bias.value).max() <= bound
    assert np.abs(first.weight.value).max() > 0.8 * bound  # it uses the range


def test_he_normal_init_has_std_sqrt_two_over_fan_in_and_zero_bias():
    layer = Linear(200, 300, rng=np.random.default_rng(0), init="he_normal")
    assert layer.weight.value.std() == pytest.approx(np.sqrt(2 / 200), rel=0.02)
    assert not layer.bias.value.any()


def test_constant_init_needs_no_rng_and_random_init_does():
    layer = Conv2D(2, 3, 2, init="constant", init_value=0.5)
    assert (layer.weight.value == 0.5).all() and not layer.bias.value.any()
    with pytest.raises(ValueError, match="rng"):
        Conv2D(2, 3, 2)
    with pytest.raises(ValueError, match="init must be one of"):
        Linear(2, 3, init="zeros")


def test_float32_layers_stay_float32():
    rng = np.random.default_rng(0)
    model = Sequential(Conv2D(1, 2, 3, rng=rng, dtype=np.float32), ReLU(), Flatten(),
                       Linear(2 * 2 * 2, 2, rng=rng, dtype=np.float32))
    out = model.forward(np.ones((1, 1, 4, 4), dtype=np.float32))
    assert out.dtype == np.float32
    assert model.backward(np.ones_like(out)).dtype == np.float32


def test_from_arrays_copies_the_arrays():
    weight, bias = np.ones((1, 1, 2, 2)), np.zeros(1)
    layer = Conv2D.from_arrays(weight, bias, stride=1, padding=1, name="conv9")
    weight[...] = 5
    assert (layer.weight.value == 1).all()
    assert layer.padding == (1, 1) and layer.name == "conv9"
    linear = Linear.from_arrays([[1.0, 2.0]], [3.0])
    np.testing.assert_array_equal(linear.forward(np.array([[1.0, 1.0]])), [[6.0]])


def test_parameter_starts_with_a_zero_gradient_of_its_shape():
    param = Parameter("w", np.ones((2, 3)))
    assert param.grad.shape == (2, 3) and not param.grad.any() and param.size == 6


def test_sequential_records_forward_steps_in_order_and_backward_in_reverse():
    rng = np.random.default_rng(0)
    model = Sequential(Conv2D(1, 2, 3, padding=1, rng=rng), ReLU(), MaxPool2D(2), Flatten(),
                       Linear(2 * 2 * 2, 3, rng=rng))
    trace = Trace()
    x = rng.standard_normal((1, 1, 4, 4))
    out = model.forward(x, trace=trace)
    model.backward(np.ones_like(out), trace=trace)
    names = [layer.name for layer in model]
    assert [s.layer for s in trace.steps_of("forward")] == names
    assert [s.layer for s in trace.steps_of("backward")] == names[::-1]
    first = trace.steps[0]
    np.testing.assert_array_equal(first.arrays["input"], x)
    assert list(first.arrays) == ["input", "weight", "bias", "output"]
    for forward, following in zip(trace.steps_of("forward"), trace.steps_of("forward")[1:], strict=False):
        np.testing.assert_array_equal(forward.arrays["output"], following.arrays["input"])
    relu_back = next(s for s in trace.steps_of("backward") if s.layer == "relu1")
    relu_input = trace.steps_of("forward")[1].arrays["input"]
    np.testing.assert_array_equal(relu_back.arrays["mask"], (relu_input > 0).astype(float))
    np.testing.assert_array_equal(relu_back.arrays["downstream"],
                                  relu_back.arrays["upstream"] * relu_back.arrays["mask"])
    conv_back = trace.steps_of("backward")[-1]
    assert {"upstream", "dweight", "dbias", "downstream"} <= set(conv_back.arrays)
    np.testing.assert_array_equal(conv_back.arrays["dweight"], model[0].weight.grad)


def test_activation_local_derivatives_are_the_textbook_formulas():
    x = np.linspace(-3, 3, 13)
    sigmoid, tanh, relu = Sigmoid(), Tanh(), ReLU()
    s, t = sigmoid.forward(x), tanh.forward(x)
    relu.forward(x)
    np.testing.assert_allclose(sigmoid.local_derivative(), s * (1 - s), rtol=1e-15)
    np.testing.assert_allclose(tanh.local_derivative(), 1 - t**2, rtol=1e-15)
    np.testing.assert_array_equal(relu.local_derivative(), (x > 0).astype(float))


def test_maxpool_trace_shows_how_often_each_input_was_a_maximum():
    layer = MaxPool2D(2, stride=1)
    x = np.array([[[[0.0, 1.0, 0.0], [0.0, 5.0, 0.0], [0.0, 0.0, 0.0]]]])
    trace = Trace()
    out = layer.forward(x, trace=trace)
    layer.backward(np.ones_like(out), trace=trace)
    routing = trace.steps_of("backward")[0].arrays["routing"]
    assert routing[0, 0, 1, 1] == 4 and routing.sum() == 4
