"""Run a scenario for validated parameters, through small in-process LRU caches.

The one place that runs ``cnncore`` scenarios for the site: question variants
(``quizzes.content.variants``) and the lab pages and API both call it.

A run is deterministic in (scenario, parameters, seed), so identical requests share one
``Trace`` (read-only: nothing that presents a trace may change it), and the API shares its
JSON text (encoding the largest trace costs more than running it); with ``REDIS_URL`` set,
that JSON is also shared by every worker and app server through Redis
(``quizzes.sharedcache``). A run whose numbers are not finite (a huge learning rate can
overflow) raises ``ParameterError`` with ``param`` "", so pages and the API answer 400, never 500.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Mapping
from functools import lru_cache

import numpy as np
import orjson

from cnncore import scenarios
from cnncore.scenarios import ParameterError
from cnncore.trace import Trace

from . import sharedcache

logger = logging.getLogger(__name__)

CACHE_SIZE = 32
"""Traces kept; the largest is about 2 MB of arrays, so the cache stays under ~64 MB."""
JSON_CACHE_SIZE = 8
"""Encoded API answers kept (up to about 1 MB each)."""
NOT_FINITE = ("these parameters make some numbers overflow to infinity or NaN ({where}); "
              "try a smaller learning rate or fewer iterations")
SHARED_NAMESPACE = "lab-json"
"""With ``REDIS_URL``, answers are also shared by every worker (``quizzes.sharedcache``)."""
RUN_FAILED = "these parameters cannot be computed: {error}"


def run(name: str, values: Mapping[str, object], seed: int) -> Trace:
    """Return the trace of scenario ``name`` for validated ``values`` and ``seed`` (cached)."""
    return _run(name, tuple(values.items()), seed)


@lru_cache(maxsize=CACHE_SIZE)
def _run(name: str, items: tuple, seed: int) -> Trace:
    try:
        with np.errstate(all="ignore"):
            trace = scenarios.run(name, dict(items), seed=seed)
    except ParameterError:
        raise
    except (ValueError, ArithmeticError) as error:  # the numbers broke down mid-run
        logger.warning("lab run %s %r seed %s failed: %s", name, items, seed, error)
        raise ParameterError("", RUN_FAILED.format(error=error)) from error
    where = first_non_finite(trace)
    if where:
        raise ParameterError("", NOT_FINITE.format(where=where))
    return trace


def run_json(name: str, values: Mapping[str, object], seed: int) -> str:
    """Return ``Trace.to_dict()`` of the run as compact JSON text (cached)."""
    return _json(name, tuple(values.items()), seed)


@lru_cache(maxsize=JSON_CACHE_SIZE)
def _json(name: str, items: tuple, seed: int) -> str:
    shared = sharedcache.get(SHARED_NAMESPACE, (name, items, seed))
    if shared is not None:
        return shared
    # orjson writes the same shortest round-trip floats as json, about 30x faster on the
    # largest traces (2 MB: ~10 ms instead of ~300 ms).
    text = orjson.dumps(_run(name, items, seed).to_dict()).decode()
    sharedcache.put(SHARED_NAMESPACE, (name, items, seed), text)
    return text


def cache_clear() -> None:
    """Forget every cached run and answer (the benchmark measures runs without cache hits)."""
    _run.cache_clear()
    _json.cache_clear()


def cache_info():
    """Return the LRU cache's hits, misses and size."""
    return _run.cache_info()


def first_non_finite(trace: Trace) -> str:
    """Return where ``trace`` first holds NaN or infinity ("" when every number is finite)."""
    def bad(value) -> bool:
        if isinstance(value, np.ndarray):
            return value.dtype.kind in "fc" and not np.isfinite(value).all()
        if isinstance(value, tuple | list):
            return any(bad(v) for v in value)
        return isinstance(value, float) and not math.isfinite(value)

    for step in trace.steps:
        for name, value in (*step.arrays.items(), *step.scalars.items()):
            if bad(value):
                return f"step {step.index}, {name}"
    for name, result in trace.results.items():
        if bad(result.value):
            return f"result {name}"
    for wrongs in trace.misconceptions.values():
        for wrong in wrongs.values():
            if bad(wrong.value):
                return f"misconception {wrong.result}.{wrong.name}"
    for name, series in trace.series.items():
        if bad(series.x) or bad(series.y):
            return f"series {name}"
    return ""
