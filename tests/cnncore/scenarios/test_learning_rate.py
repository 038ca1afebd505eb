"""The learning-rate scenario: its numbers agree with an independent recomputation."""



from cnncore import scenarios
from tests.cnncore.scenarios.helpers import result


def test_learning_rate_shows_too_small_good_and_too_large():
    trace = scenarios.run("learning-rate", seed=0)
    assert result(trace, "behaviour_small") == "too slow"
    assert result(trace, "behaviour_good") == "converges"
    assert result(trace, "behaviour_large") == "diverges"
    assert result(trace, "best_learning_rate") == scenarios.get("learning-rate").defaults()["good_learning_rate"]
    curves = {name: s.y for name, s in trace.series.items()}
    assert curves["loss_small"][0] == curves["loss_good"][0] == curves["loss_large"][0]
    assert curves["loss_good"][-1] < 0.5 * curves["loss_good"][0]
