"""cnncore.functional and cnncore.losses against PyTorch on the CPU, the reference.

float64: relative error (max abs difference / max abs reference) below 1e-10.
float32: within atol 1e-4, rtol 1e-3.
"""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cnncore import functional as fn
from cnncore import losses
from tests.cnncore.gradcheck import relative_error

torch = pytest.importorskip("torch", reason="PyTorch, the reference implementation, is not installed")
torch_fn = torch.nn.functional

DTYPES = [np.float64, np.float32]
FAST = settings(max_examples=40, deadline=None, derandomize=True)


def assert_matches_torch(ours, reference):
    """Compare one array (or float) with its torch counterpart at the contract's tolerance."""
    reference = reference.detach().numpy() if isinstance(reference, torch.Tensor) else reference
    ours, reference = np.asarray(ours), np.asarray(reference)
    assert ours.shape == reference.shape
    if reference.dtype == np.float32:
        assert ours.dtype == np.float32
        np.testing.assert_allclose(ours, reference, atol=1e-4, rtol=1e-3)
    else:
        assert relative_error(ours, reference) < 1e-10


def torch_forward_backward(function, arrays, dout, **kwargs):
    """Return ``(out, grads)`` of ``function`` in torch, ``grads`` of every array in ``arrays``."""
    tensors = [torch.tensor(a, requires_grad=True) for a in arrays]
    out = function(*tensors, **kwargs)
    out.backward(torch.tensor(dout))
    return out, [t.grad for t in tensors]


def random_arrays(seed, dtype, *shapes):
    rng = np.random.default_rng(seed)
    return [rng.standard_normal(shape).astype(dtype) for shape in shapes]


@st.composite
def conv_configs(draw):
    kernel = (draw(st.integers(1, 4)), draw(st.integers(1, 4)))
    padding = (draw(st.integers(0, 2)), draw(st.integers(0, 2)))
    size = [draw(st.integers(max(1, k - 2 * p), k - 2 * p + 6)) for k, p in zip(kernel, padding, strict=True)]
    return {
        "x_shape": (draw(st.integers(1, 3)), draw(st.integers(1, 3)), *size),
        "filters": draw(st.integers(1, 4)),
        "kernel": kernel,
        "stride": (draw(st.integers(1, 3)), draw(st.integers(1, 3))),
        "padding": padding,
        "dtype": draw(st.sampled_from(DTYPES)),
        "seed": draw(st.integers(0, 2**16)),
    }


@st.composite
def pool_configs(draw):
    kernel = (draw(st.integers(1, 3)), draw(st.integers(1, 3)))
    size = [draw(st.integers(k, k + 6)) for k in kernel]
    return {
        "x_shape": (draw(st.integers(1, 3)), draw(st.integers(1, 3)), *size),
        "kernel": kernel,
        "stride": (draw(st.integers(1, 3)), draw(st.integers(1, 3))),
        "dtype": draw(st.sampled_from(DTYPES)),
        "seed": draw(st.integers(0, 2**16)),
    }


@FAST
@given(conv_configs())
def test_conv2d_matches_torch_forward_and_backward(config):
    c_in = config["x_shape"][1]
    w_shape = (config["filters"], c_in, *config["kernel"])
    x, w, b = random_arrays(config["seed"], config["dtype"], config["x_shape"], w_shape, w_shape[:1])
    stride, padding = config["stride"], config["padding"]

    out, cache = fn.conv2d_forward(x, w, b, stride, padding)
    dout = random_arrays(config["seed"] + 1, config["dtype"], out.shape)[0]
    grads = fn.conv2d_backward(dout, cache)

    ref_out, ref_grads = torch_forward_backward(
        torch_fn.conv2d, [x, w, b], dout, stride=stride, padding=padding
    )
    assert_matches_torch(out, ref_out)
    for ours, reference in zip(grads, ref_grads, strict=True):
        assert_matches_torch(ours, reference)


@FAST
@given(pool_configs(), st.booleans())
def test_max_pool2d_matches_torch_including_ties(config, with_ties):
    x = random_arrays(config["seed"], config["dtype"], config["x_shape"])[0]
    if with_ties:  # few distinct values: many windows hold several equal maxima
        x = np.round(x).astype(config["dtype"])
    out, cache = fn.max_pool2d_forward(x, config["kernel"], config["stride"])
    dout = random_arrays(config["seed"] + 1, config["dtype"], out.shape)[0]
    dx = fn.max_pool2d_backward(dout, cache)

    ref_out, (ref_dx,) = torch_forward_backward(
        torch_fn.max_pool2d, [x], dout, kernel_size=config["kernel"], stride=config["stride"]
    )
    assert_matches_torch(out, ref_out)
    assert_matches_torch(dx, ref_dx)


@FAST
@given(pool_configs())
def test_avg_pool2d_matches_torch(config):
    x = random_arrays(config["seed"], config["dtype"], config["x_shape"])[0]
    out, cache = fn.avg_pool2d_forward(x, config["kernel"], config["stride"])
    dout = random_arrays(config["seed"] + 1, config["dtype"], out.shape)[0]
    dx = fn.avg_pool2d_backward(dout, cache)

    ref_out, (ref_dx,) = torch_forward_backward(
        torch_fn.avg_pool2d, [x], dout, kernel_size=config["kernel"], stride=config["stride"]
    )
    assert_matches_torch(out, ref_out)
    assert_matches_torch(dx, ref_dx)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize(
    ("forward", "backward", "reference"),
    [
        (fn.relu_forward, fn.relu_backward, torch.relu),
        (fn.sigmoid_forward, fn.sigmoid_backward, torch.sigmoid),
        (fn.tanh_forward, fn.tanh_backward, torch.tanh),
    ],
)
def test_activations_match_torch(forward, backward, reference, dtype):
    x, dout = random_arrays(0, dtype, (4, 3, 5, 5), (4, 3, 5, 5))
    x *= 8  # reach the flat tails of sigmoid and tanh
    x[0, 0, 0, :3] = [0.0, -800.0, 800.0]  # the ReLU kink, sigmoid's overflow zone
    out, cache = forward(x)
    ref_out, (ref_dx,) = torch_forward_backward(reference, [x], dout)
    assert_matches_torch(out, ref_out)
    assert_matches_torch(backward(dout, cache), ref_dx)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize(("n", "d", "m"), [(1, 1, 1), (8, 20, 10), (5, 3, 7)])
def test_linear_matches_torch(n, d, m, dtype):
    x, w, b, dout = random_arrays(n * d * m, dtype, (n, d), (m, d), (m,), (n, m))
    out, cache = fn.linear_forward(x, w, b)
    ref_out, ref_grads = torch_forward_backward(torch_fn.linear, [x, w, b], dout)
    assert_matches_torch(out, ref_out)
    for ours, reference in zip(fn.linear_backward(dout, cache), ref_grads, strict=True):
        assert_matches_torch(ours, reference)


@pytest.mark.parametrize("dtype", DTYPES)
def test_softmax_matches_torch(dtype):
    (logits,) = random_arrays(1, dtype, (6, 10))
    logits[0] *= 300  # large logits
    assert_matches_torch(fn.softmax(logits), torch.softmax(torch.tensor(logits), dim=1))


def torch_loss(function, first, *rest, reduction):
    """Return ``(loss, dfirst)`` from torch for a loss function of ``first`` (with grad) and ``rest``."""
    tensor = torch.tensor(first, requires_grad=True)
    loss = function(tensor, *[torch.tensor(r) for r in rest], reduction=reduction)
    loss.backward()
    return loss.item(), tensor.grad


def assert_loss_matches_torch(ours, reference):
    (loss, grad), (ref_loss, ref_grad) = ours, reference
    assert type(loss) is float
    assert loss == pytest.approx(ref_loss, rel=1e-10 if grad.dtype == np.float64 else 1e-5)
    assert_matches_torch(grad, ref_grad)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("reduction", ["mean", "sum"])
def test_mse_loss_matches_torch(reduction, dtype):
    pred, target = random_arrays(2, dtype, (4, 3), (4, 3))
    assert_loss_matches_torch(
        losses.mse_loss(pred, target, reduction),
        torch_loss(torch_fn.mse_loss, pred, target, reduction=reduction),
    )


def torch_softmax_squared_error(logits, labels, *, reduction):
    """The teaching material's 1/2 sum (y - t)^2 on softmax outputs, in torch: (loss, dlogits)."""
    tensor = torch.tensor(logits, requires_grad=True)
    target = torch_fn.one_hot(torch.tensor(labels), logits.shape[1]).to(tensor.dtype)
    per_example = 0.5 * ((torch.softmax(tensor, dim=1) - target) ** 2).sum(dim=1)
    loss = per_example.mean() if reduction == "mean" else per_example.sum()
    loss.backward()
    return loss.item(), tensor.grad


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("reduction", ["mean", "sum"])
def test_softmax_squared_error_matches_torch(reduction, dtype):
    (logits,) = random_arrays(6, dtype, (5, 3))
    logits[0] *= 30
    labels = np.random.default_rng(6).integers(0, 3, size=5)
    assert_loss_matches_torch(
        losses.softmax_squared_error(logits, labels, reduction),
        torch_softmax_squared_error(logits, labels, reduction=reduction),
    )


def test_softmax_backward_matches_torch():
    logits, dprobs = random_arrays(7, np.float64, (4, 3), (4, 3))
    out, (dlogits,) = torch_forward_backward(lambda z: torch.softmax(z, dim=1), [logits], dprobs)
    assert_matches_torch(fn.softmax_backward(dprobs, fn.softmax(logits)), dlogits)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("reduction", ["mean", "sum"])
def test_cross_entropy_loss_matches_torch(reduction, dtype):
    (logits,) = random_arrays(3, dtype, (7, 5))
    logits[0] *= 200
    labels = np.random.default_rng(3).integers(0, 5, size=7)
    assert_loss_matches_torch(
        losses.cross_entropy_loss(logits, labels, reduction),
        torch_loss(torch_fn.cross_entropy, logits, labels, reduction=reduction),
    )


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("reduction", ["mean", "sum"])
def test_binary_cross_entropy_loss_matches_torch_including_clamped_ends(reduction, dtype):
    rng = np.random.default_rng(4)
    probs, targets = rng.uniform(size=(3, 4)).astype(dtype), rng.uniform(size=(3, 4)).astype(dtype)
    probs[0, :3] = [0.0, 1.0, 1e-30]
    targets[0, :3] = [1.0, 0.0, 1.0]
    assert_loss_matches_torch(
        losses.binary_cross_entropy_loss(probs, targets, reduction),
        torch_loss(torch_fn.binary_cross_entropy, probs, targets, reduction=reduction),
    )
