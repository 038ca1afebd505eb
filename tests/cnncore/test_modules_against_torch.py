"""cnncore.nn and cnncore.optim against PyTorch in float64 (skipped without torch)."""

import numpy as np
import pytest

from cnncore.losses import cross_entropy_loss
from cnncore.nn import AvgPool2D, Conv2D, Flatten, Linear, MaxPool2D, ReLU, Sequential, Sigmoid, Tanh
from cnncore.optim import SGD
from tests.cnncore.gradcheck import relative_error

torch = pytest.importorskip("torch")
TOLERANCE = 1e-10


def twin_networks(seed: int):
    """Return a cnncore Sequential and a torch nn.Sequential holding the same weights."""
    rng = np.random.default_rng(seed)
    ours = Sequential(
        Conv2D(3, 4, 3, stride=1, padding=1, rng=rng),
        ReLU(),
        MaxPool2D(2),
        Conv2D(4, 3, (2, 3), stride=(1, 2), padding=(1, 0), rng=rng),
        Tanh(),
        AvgPool2D(2, stride=1),
        Flatten(),
        Linear(3 * 6 * 1, 5, rng=rng),
        Sigmoid(),
        Linear(5, 3, rng=rng),
    )
    nn = torch.nn
    theirs = nn.Sequential(
        nn.Conv2d(3, 4, 3, stride=1, padding=1),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Conv2d(4, 3, (2, 3), stride=(1, 2), padding=(1, 0)),
        nn.Tanh(),
        nn.AvgPool2d(2, stride=1),
        nn.Flatten(),
        nn.Linear(18, 5),
        nn.Sigmoid(),
        nn.Linear(5, 3),
    ).double()
    torch_params = [p for p in theirs.parameters()]
    with torch.no_grad():
        for mine, their in zip(ours.parameters(), torch_params, strict=True):
            their.copy_(torch.from_numpy(mine.value))
    return ours, theirs


def test_forward_input_and_parameter_gradients_match_torch():
    ours, theirs = twin_networks(0)
    rng = np.random.default_rng(1)
    x = rng.standard_normal((4, 3, 12, 12))
    labels = np.array([0, 2, 1, 2])

    logits = ours.forward(x)
    loss, dlogits = cross_entropy_loss(logits, labels)
    dx = ours.backward(dlogits)

    x_t = torch.from_numpy(x).requires_grad_()
    logits_t = theirs(x_t)
    loss_t = torch.nn.functional.cross_entropy(logits_t, torch.from_numpy(labels))
    loss_t.backward()

    assert relative_error(logits, logits_t.detach().numpy()) < TOLERANCE
    assert loss == pytest.approx(loss_t.item(), rel=1e-12)
    assert relative_error(dx, x_t.grad.numpy()) < TOLERANCE
    for mine, their in zip(ours.parameters(), theirs.parameters(), strict=True):
        assert relative_error(mine.grad, their.grad.numpy()) < TOLERANCE, mine.name


@pytest.mark.parametrize("momentum", [0.0, 0.9])
def test_sgd_steps_match_torch_sgd(momentum):
    ours, theirs = twin_networks(2)
    rng = np.random.default_rng(3)
    optimizer = SGD(ours.parameters(), 0.05, momentum=momentum)
    torch_optimizer = torch.optim.SGD(theirs.parameters(), lr=0.05, momentum=momentum)
    for _ in range(4):
        x = rng.standard_normal((2, 3, 12, 12))
        labels = rng.integers(0, 3, size=2)
        optimizer.zero_grad()
        _, dlogits = cross_entropy_loss(ours.forward(x), labels)
        ours.backward(dlogits)
        optimizer.step()
        torch_optimizer.zero_grad()
        torch.nn.functional.cross_entropy(theirs(torch.from_numpy(x)),
                                          torch.from_numpy(labels)).backward()
        torch_optimizer.step()
    for mine, their in zip(ours.parameters(), theirs.parameters(), strict=True):
        assert relative_error(mine.value, their.detach().numpy()) < TOLERANCE, mine.name


def test_default_init_bounds_match_torch():
    """torch's default conv/linear init draws from U(-1/sqrt(fan_in), 1/sqrt(fan_in)) too."""
    torch.manual_seed(0)
    conv = torch.nn.Conv2d(3, 64, 3)
    bound = 1 / np.sqrt(3 * 3 * 3)
    assert conv.weight.abs().max().item() <= bound
    assert conv.weight.abs().max().item() > 0.95 * bound
    ours = Conv2D(3, 64, 3, rng=np.random.default_rng(0))
    assert np.abs(ours.weight.value).max() <= bound
