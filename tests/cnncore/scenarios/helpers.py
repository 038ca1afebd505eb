"""Small helpers shared by the scenario tests."""

import numpy as np


def result(trace, name):
    """Return the value of result ``name`` of ``trace``."""
    return trace.results[name].value


def array_sizes(trace):
    """Return the size of every array a trace records (steps and results)."""
    sizes = [a.size for step in trace.steps for a in step.arrays.values()]
    sizes += [r.value.size for r in trace.results.values() if isinstance(r.value, np.ndarray)]
    return sizes
