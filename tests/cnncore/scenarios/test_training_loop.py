"""The training-loop scenario: its numbers agree with an independent recomputation."""

import math

import pytest

from cnncore import scenarios
from tests.cnncore.scenarios.helpers import result


@pytest.mark.parametrize("seed", range(3))
def test_training_loop_counts_iterations_and_accuracy_rises(seed):
    trace = scenarios.run("training-loop", seed=seed)
    n, batch, epochs = trace.params["examples"], trace.params["batch_size"], trace.params["epochs"]
    assert result(trace, "iterations_per_epoch") == math.ceil(n / batch)
    assert result(trace, "total_iterations") == math.ceil(n / batch) * epochs
    assert len(trace.series["train_accuracy"].y) == epochs + 1
    assert len(trace.series["loss_per_iteration"].y) == result(trace, "total_iterations")
    assert result(trace, "final_accuracy") >= 0.9 > result(trace, "initial_accuracy")
    assert result(trace, "final_loss") < result(trace, "initial_loss")
    kinds = {s.kind for s in trace.steps}
    assert kinds == {"note", "forward", "loss", "backward", "update"}
    assert trace.steps_of("forward")[0].arrays["input"].shape == (batch, 1, 8, 8)


def test_training_loop_stops_when_the_weights_blow_up():
    trace = scenarios.run("training-loop", {"batch_size": 1, "momentum": 0.95, "learning_rate": 2},
                          seed=123)
    assert result(trace, "diverged") is True
    assert result(trace, "total_iterations") > len(trace.series["loss_per_iteration"].y)
    assert "blew up" in trace.steps[-1].title


def test_training_loop_shows_the_first_iteration_only_for_small_batches():
    trace = scenarios.run("training-loop", {"batch_size": 32})
    assert {s.kind for s in trace.steps} == {"note"}
    assert "shown in full for batches up to 16" in trace.steps[0].explanation


def test_training_loop_uneven_batches():
    trace = scenarios.run("training-loop", {"examples": 50, "batch_size": 8, "epochs": 1})
    assert result(trace, "iterations_per_epoch") == 7 and result(trace, "last_batch_size") == 2
    assert trace.misconceptions["iterations_per_epoch"]["floor_instead_of_ceil"].value == 6
