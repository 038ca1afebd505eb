"""Named, seeded, bounded worked examples: ``run(name, params, seed=0) -> Trace``.

Each scenario module registers itself with ``@register``; importing this package imports
them all (``SCENARIO_MODULES``). ``all_scenarios()`` lists them in teaching order.
"""

from importlib import import_module

from cnncore.scenarios.params import Param, ParameterError, validate_seed
from cnncore.scenarios.registry import (
    TOPICS,
    Scenario,
    UnknownScenario,
    all_scenarios,
    get,
    register,
    run,
)

SCENARIO_MODULES = (
    "training_iteration",
    "chain_rule_mlp",
    "loss_functions",
    "learning_rate",
    "initialization",
    "activation_derivatives",
    "conv_window",
    "conv_forward",
    "conv_backward",
    "conv_output_size",
    "maxpool_routing",
    "parameter_count",
    "training_loop",
)
"""Imported in this order, which orders scenarios that share a topic (see ``all_scenarios``)."""

for _module in SCENARIO_MODULES:
    import_module(f"cnncore.scenarios.{_module}")

__all__ = [
    "TOPICS",
    "Param",
    "ParameterError",
    "Scenario",
    "UnknownScenario",
    "all_scenarios",
    "get",
    "register",
    "run",
    "validate_seed",
]
