"""The training-iteration scenario: its numbers agree with an independent recomputation."""


import importlib.util

import numpy as np
import pytest

from cnncore import scenarios
from cnncore.functional import softmax
from cnncore.losses import cross_entropy_loss, softmax_squared_error
from cnncore.scenarios import training_iteration as ti
from cnncore.scenarios._data import PHOTO_LABELS, synthetic_photo
from cnncore.scenarios._models import small_cnn
from tests.cnncore.gradcheck import relative_error
from tests.cnncore.scenarios.helpers import result


def test_training_iteration_records_forward_loss_backward_update_in_order():
    trace = scenarios.run("training-iteration")
    kinds = [s.kind for s in trace.steps if s.kind != "note"]
    assert kinds == ["forward"] * 5 + ["loss"] + ["backward"] * 5 + ["update"] * 4
    assert [s.layer for s in trace.steps_of("forward")] == ["conv1", "relu1", "pool1", "flatten1", "fc1"]
    assert trace.steps_of("forward")[0].arrays["input"].shape == (1, 3, 32, 32)
    loss_step = trace.steps_of("loss")[0]
    assert loss_step.scalars["loss"] == result(trace, "loss_before")
    row, col = result(trace, "weight_index")
    fc1_update = trace.steps_of("update")[2]
    assert fc1_update.title == "update fc1.weight"
    assert fc1_update.arrays["after"][row, col] == result(trace, "updated_weight")


def test_softmax_of_training_iteration_logits_is_recorded():
    trace = scenarios.run("training-iteration")
    step = trace.steps_of("loss")[0]
    np.testing.assert_allclose(step.arrays["probabilities"], softmax(step.arrays["logits"]))


# The worked example: MSE on softmax, a filter weight followed, iterations and the loss curve.
# Tests of cnncore.scenarios.training_iteration: the worked example, exactly.
#
# One image, random filters, the squared error 1/2 sum (y - t)^2 on the softmax outputs (or the
# cross-entropy), a filter weight and a last-layer weight followed through backward pass and
# update; repeats on a small batch draw the loss curve.
#

HAS_TORCH = importlib.util.find_spec("torch") is not None


def run(seed=0, **params):
    return scenarios.run("training-iteration", params, seed=seed)


def value(trace, name):
    return trace.results[name].value


def rebuilt(seed, *, label="dog", filters=4, batch=False):
    """Return (x, labels, model) exactly as the scenario draws them for ``seed``.

    With ``batch`` x is the batch of the repeats: the image, then the two other labels.
    """
    rng = np.random.default_rng(seed)
    x = synthetic_photo(rng, label)
    model = small_cnn(rng=rng, in_channels=3, image_size=32, filters=filters, classes=3)
    names = ti.batch_labels(label, 2 if batch else 1)
    if batch:
        x = np.concatenate([x, *(synthetic_photo(rng, other) for other in names[1:])])
    return x, np.array([PHOTO_LABELS.index(n) for n in names]), model


def torch_model(model):
    import torch

    conv, fc = model.layer("conv1"), model.layer("fc1")
    return {name: torch.tensor(p.value.copy(), requires_grad=True) for name, p in
            (("conv1.weight", conv.weight), ("conv1.bias", conv.bias),
             ("fc1.weight", fc.weight), ("fc1.bias", fc.bias))}


def torch_loss(tensors, x, labels, loss):
    import torch

    out = torch.nn.functional.conv2d(torch.tensor(x), tensors["conv1.weight"], tensors["conv1.bias"], padding=1)
    out = torch.nn.functional.max_pool2d(torch.relu(out), 2).flatten(1)
    logits = out @ tensors["fc1.weight"].T + tensors["fc1.bias"]
    if loss == "mse":
        target = torch.nn.functional.one_hot(torch.tensor(labels), 3).double()
        return (0.5 * ((torch.softmax(logits, dim=1) - target) ** 2).sum(dim=1)).mean()
    return torch.nn.functional.cross_entropy(logits, torch.tensor(labels))


def network_loss(model, x, labels, loss):
    logits = model.forward(x)
    return (softmax_squared_error if loss == "mse" else cross_entropy_loss)(logits, labels)[0]


def update_gradient(trace, parameter):
    return next(s for s in trace.steps if s.kind == "update" and s.title == f"update {parameter}").arrays["gradient"]


def test_the_default_is_the_worked_example_squared_error_on_one_image():
    trace = run()
    assert trace.params["loss"] == "mse" and trace.params["iterations"] == 1
    y, t = value(trace, "probabilities_before"), value(trace, "target")
    np.testing.assert_array_equal(t, [1, 0, 0])
    assert value(trace, "loss") == "mse"
    assert value(trace, "loss_before") == pytest.approx(0.5 * np.sum((y - t) ** 2), rel=1e-12)
    np.testing.assert_allclose(value(trace, "output_gradient"), y - t, rtol=1e-12)
    loss_step = trace.steps_of("loss")[0]
    np.testing.assert_allclose(loss_step.arrays["dprobabilities"][0], y - t, rtol=1e-12)
    assert loss_step.label("dprobabilities") == "dL/dy = y - t"
    jacobian = np.diag(y) - np.outer(y, y)
    np.testing.assert_allclose(loss_step.arrays["dlogits"][0], jacobian @ (y - t), rtol=1e-12)
    assert trace.steps_of("forward")[0].arrays["input"].shape == (1, 3, 32, 32)


@pytest.mark.parametrize("loss", ["mse", "cross_entropy"])
@pytest.mark.parametrize("seed", [0, 3])
def test_followed_weights_match_a_numerical_gradient_of_the_whole_network(loss, seed):
    trace = run(seed, loss=loss)
    x, labels, model = rebuilt(seed)
    for prefix, layer in (("", "fc1"), ("conv_", "conv1")):
        index = value(trace, f"{prefix}weight_index")
        weight = model.layer(layer).weight.value
        assert weight[index] == value(trace, f"{prefix}weight_before")
        h, original = 1e-6, weight[index]
        weight[index] = original + h
        up = network_loss(model, x, labels, loss)
        weight[index] = original - h
        down = network_loss(model, x, labels, loss)
        weight[index] = original
        numerical = (up - down) / (2 * h)
        assert value(trace, f"{prefix}weight_gradient") == pytest.approx(numerical, rel=1e-6, abs=1e-10)


@pytest.mark.skipif(not HAS_TORCH, reason="PyTorch, the reference implementation, is not installed")
@pytest.mark.parametrize("loss", ["mse", "cross_entropy"])
@pytest.mark.parametrize("seed", [1, 4])
def test_every_gradient_of_the_iteration_matches_torch_float64(loss, seed):
    trace = run(seed, loss=loss)
    x, labels, model = rebuilt(seed)
    tensors = torch_model(model)
    total = torch_loss(tensors, x, labels, loss)
    total.backward()
    assert value(trace, "loss_before") == pytest.approx(total.item(), rel=1e-12)
    for name, tensor in tensors.items():
        assert relative_error(update_gradient(trace, name), tensor.grad.numpy()) < 1e-10
    for prefix in ("", "conv_"):
        name = value(trace, f"{prefix}weight_name")
        layer, index = name.split(".weight")[0], value(trace, f"{prefix}weight_index")
        reference = tensors[f"{layer}.weight"].grad.numpy()[index]
        assert value(trace, f"{prefix}weight_gradient") == pytest.approx(reference, rel=1e-10)


@pytest.mark.skipif(not HAS_TORCH, reason="PyTorch, the reference implementation, is not installed")
@pytest.mark.parametrize("loss", ["mse", "cross_entropy"])
def test_the_loss_curve_matches_full_batch_gradient_descent_in_torch(loss):
    import torch

    trace = run(2, loss=loss, iterations=4, learning_rate=0.2)
    x, labels, model = rebuilt(2, batch=True)
    tensors = torch_model(model)
    optimizer = torch.optim.SGD(list(tensors.values()), lr=0.2)
    curve = []
    for _ in range(4):
        optimizer.zero_grad()
        total = torch_loss(tensors, x, labels, loss)
        curve.append(total.item())
        total.backward()
        optimizer.step()
    with torch.no_grad():
        curve.append(torch_loss(tensors, x, labels, loss).item())
    assert relative_error(value(trace, "loss_curve"), np.array(curve)) < 1e-10


@pytest.mark.parametrize("loss", ["mse", "cross_entropy"])
@pytest.mark.parametrize("seed", range(4))
def test_the_conv_weight_chain_multiplies_out_and_sums_to_its_gradient(loss, seed):
    trace = run(seed, loss=loss)
    p = scenarios.get("training-iteration").validate({"loss": loss})
    recorder = type(trace)()
    computed = ti.compute(p, np.random.default_rng(seed), recorder)
    chain, conv = computed.chain, computed.conv
    assert conv.gradient == value(trace, "conv_weight_gradient")
    assert chain.routed and chain.conv_output > 0
    assert chain.dconv_output == pytest.approx(chain.dfeature, rel=1e-12)
    assert chain.term == pytest.approx(chain.dconv_output * chain.input_value, rel=1e-12)
    if loss == "mse":
        y = computed.before.probabilities[0]
        np.testing.assert_allclose(chain.dz, (np.diag(y) - np.outer(y, y)) @ chain.dy, rtol=1e-12)
    assert abs(chain.term) <= abs(conv.gradient) or chain.terms > 1
    note = next(s for s in trace.steps if s.title == f"Following the filter weight {conv.name}")
    assert f"dL/dw = {ti.fmt(conv.gradient)}" in note.explanation
    assert ("softmax Jacobian" in note.explanation) == (loss == "mse")


@pytest.mark.parametrize("prefix", ["", "conv_"])
def test_updated_weights_and_their_mistakes(prefix):
    trace = run(2, learning_rate=0.3)
    before, gradient = value(trace, f"{prefix}weight_before"), value(trace, f"{prefix}weight_gradient")
    assert value(trace, f"{prefix}updated_weight") == pytest.approx(before - 0.3 * gradient, abs=1e-15)
    wrong = trace.misconceptions[f"{prefix}updated_weight"]
    assert wrong["added_gradient"].value == pytest.approx(before + 0.3 * gradient)
    assert wrong["forgot_learning_rate"].value == pytest.approx(before - gradient)
    assert wrong["divided_by_learning_rate"].value == pytest.approx(before - gradient / 0.3)
    assert value(trace, f"{prefix}weight_name").startswith("conv1.weight[" if prefix else "fc1.weight[")


@pytest.mark.parametrize("iterations", [1, 2, 30])
def test_loss_curve_starts_before_any_update_and_has_one_value_per_iteration(iterations):
    trace = run(0, iterations=iterations)
    curve = value(trace, "loss_curve")
    assert len(curve) == iterations + 1
    assert trace.series["loss_curve"].y == list(curve)
    assert trace.series["loss_curve"].x == list(range(iterations + 1))
    assert trace.steps_of("forward")[0].arrays["input"].shape == (1, 3, 32, 32)  # iteration 1: the image
    if iterations == 1:  # the batch is the image
        assert list(curve) == [value(trace, "loss_before"), value(trace, "loss_after")]


@pytest.mark.parametrize("label", ["dog", "bird"])
def test_repeats_start_from_the_same_weights_on_a_batch_of_a_dog_a_cat_and_a_bird(label):
    one, three = run(3, label=label), run(3, label=label, iterations=3)
    assert one.results["conv_weight_gradient"].value == three.results["conv_weight_gradient"].value
    assert ti.batch_labels(label, 3)[0] == label and sorted(ti.batch_labels(label, 3)) == sorted(PHOTO_LABELS)
    x, labels, model = rebuilt(3, label=label, batch=True)
    assert value(three, "loss_curve")[0] == pytest.approx(network_loss(model, x, labels, "mse"), rel=1e-12)


def test_the_linked_learning_rate_overshoots_for_the_default_seed():
    lr = ti.OVERSHOOT_LEARNING_RATE
    bounds = scenarios.get("training-iteration").param("learning_rate")
    assert bounds.min <= lr <= bounds.max
    trace = run(0, learning_rate=lr, iterations=ti.OVERSHOOT_ITERATIONS)
    curve = list(value(trace, "loss_curve"))
    assert any(b > a for a, b in zip(curve, curve[1:], strict=False))
    assert value(trace, "loss_curve_behaviour") in ("ended higher", "went up and down")
    assert curve[-1] > curve[0]


def test_the_default_learning_rate_lowers_the_loss_on_30_iterations():
    trace = run(0, iterations=30)
    curve = value(trace, "loss_curve")
    assert curve[-1] < 0.2 * curve[0]
    assert value(trace, "loss_curve_behaviour") == "fell"


@pytest.mark.parametrize("loss", ["mse", "cross_entropy"])
@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize("label", ["dog", "cat", "bird"])
def test_one_iteration_lowers_the_loss_at_the_default_learning_rate(seed, label, loss):
    trace = run(seed, label=label, loss=loss)
    before, after = value(trace, "probabilities_before"), value(trace, "probabilities_after")
    target = PHOTO_LABELS.index(label)
    assert value(trace, "loss_after") < value(trace, "loss_before")
    if loss == "cross_entropy":
        assert value(trace, "loss_before") == pytest.approx(-np.log(before[target]))
        assert value(trace, "loss_after") == pytest.approx(-np.log(after[target]))
    assert before.sum() == pytest.approx(1) and after.sum() == pytest.approx(1)
    lr = value(trace, "learning_rate")
    assert value(trace, "updated_weight") == pytest.approx(
        value(trace, "weight_before") - lr * value(trace, "weight_gradient"), abs=1e-15)


def test_the_squared_error_mistakes_of_the_loss():
    trace = run(0)
    y, t = value(trace, "probabilities_before"), value(trace, "target")
    wrong = trace.misconceptions["loss_before"]
    assert wrong["forgot_half"].value == pytest.approx(np.sum((y - t) ** 2))
    assert wrong["true_class_only"].value == pytest.approx(0.5 * (1 - y[0]) ** 2)
    assert set(run(0, loss="cross_entropy").misconceptions["loss_before"]) == {"forgot_minus", "used_probability"}


def test_an_unknown_loss_is_refused_naming_the_choices():
    with pytest.raises(scenarios.ParameterError, match="loss must be one of mse, cross_entropy"):
        run(0, loss="l1")
    with pytest.raises(scenarios.ParameterError, match="iterations must be between 1 and 30"):
        run(0, iterations=31)
