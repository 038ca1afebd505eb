"""cnncore: a small, exact, pure-NumPy CNN library that shows its work.

It imports nothing from Django. Layers:

* ``cnncore.functional`` and ``cnncore.losses``: the math, ``*_forward -> (out, cache)`` and
  ``*_backward(dout, cache) -> gradients`` (the contract in the project's design notes);
* ``cnncore.nn``: layers (``Conv2D``, ``ReLU``, ``MaxPool2D``, ``Flatten``, ``Linear``,
  ``Sequential``...) with ``forward``, ``backward``, ``parameters`` and ``zero_grad``;
  ``cnncore.optim.SGD``; ``cnncore.train`` (one iteration: forward, loss, backward, update);
* ``cnncore.trace.Trace``: every forward, loss, backward and update step with its arrays,
  plus results, misconceptions and curves;
* ``cnncore.scenarios``: named, seeded, bounded worked examples, ``run(name, params, seed=0)``.

``python -m cnncore list`` and ``python -m cnncore run NAME --param value`` show them in a
terminal.
"""

from cnncore.nn import (
    AvgPool2D,
    Conv2D,
    Flatten,
    Linear,
    MaxPool2D,
    Module,
    Parameter,
    ReLU,
    Sequential,
    Sigmoid,
    Tanh,
)
from cnncore.optim import SGD
from cnncore.trace import Trace

__all__ = [
    "SGD",
    "AvgPool2D",
    "Conv2D",
    "Flatten",
    "Linear",
    "MaxPool2D",
    "Module",
    "Parameter",
    "ReLU",
    "Sequential",
    "Sigmoid",
    "Tanh",
    "Trace",
]
