"""Per scenario, the cells that rebuild a run: markdown between code, one code cell per phase.

Each code cell may use ``params`` (the validated parameters), ``seed`` and ``rng`` (a
``numpy.random.Generator`` seeded like the scenario's), defined by the notebook's first cell;
the last cell of a recipe must leave ``results``: {name: value}, in the scenario's order.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Cell:
    kind: str  # "markdown" or "code"
    source: str


def md(text: str) -> Cell:
    return Cell("markdown", text.strip())


def code(text: str) -> Cell:
    return Cell("code", text.strip())


def recipes() -> dict[str, tuple[Cell, ...]]:
    """Return every scenario's recipe by scenario name.

    training-iteration has two: the one-loss single iteration, and (when the scenario has a
    ``loss`` parameter) the rewritten one with a choice of loss and repeated iterations.
    """
    from cnncore.scenarios import get

    from . import backprop, convolution, training, training_iteration_losses

    found = {**backprop.RECIPES, **training.RECIPES, **convolution.RECIPES}
    if any(param.name == "loss" for param in get("training-iteration").params):
        found["training-iteration"] = training_iteration_losses.TRAINING_ITERATION_WITH_LOSSES
    return found
