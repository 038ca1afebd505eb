"""Results shared by every app server through Django's cache, when that cache is Redis.

Only values that are a pure function of their key belong here (a lab run's JSON for its
scenario, parameters and seed; a question version's variant for its seed). Keys carry the
code generation, a digest of the code that computes such values, so after a deploy no worker
reads what older code computed. Without ``REDIS_URL`` (``settings.SHARED_RESULTS_CACHE``
false) every call is a miss and nothing is stored: each process keeps its own LRU caches.
A failing Redis is logged and read as a miss: pages get slower, never wrong.
"""

from __future__ import annotations

import hashlib
import logging
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.core.cache import cache

logger = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parent.parent
CODE = ("cnncore", "quizzes/content", "quizzes/scenario_runs.py", "quizzes/sharedcache.py")
"""What computes the shared values: any change there starts a new generation of keys."""
TIMEOUT = 60 * 60 * 24


@lru_cache(maxsize=1)
def code_generation() -> str:
    """Return a short digest of the source files in ``CODE`` (read once per process)."""
    digest = hashlib.sha256()
    for entry in CODE:
        path = ROOT / entry
        for file in sorted(path.rglob("*.py")) if path.is_dir() else [path]:
            digest.update(str(file.relative_to(ROOT)).encode())
            digest.update(file.read_bytes())
    return digest.hexdigest()[:12]


def enabled() -> bool:
    return bool(getattr(settings, "SHARED_RESULTS_CACHE", False))


def cache_key(namespace: str, parts: tuple) -> str:
    """Return the key of ``parts`` (their ``repr`` is hashed: keep them plain values)."""
    return f"{namespace}:{code_generation()}:{hashlib.sha256(repr(parts).encode()).hexdigest()[:32]}"


def get(namespace: str, parts: tuple):
    """Return the shared value for ``parts``, or None (disabled, missing or Redis failing)."""
    if not enabled():
        return None
    try:
        return cache.get(cache_key(namespace, parts))
    except Exception as error:  # the cache is an optimisation: never fail a page over it
        logger.warning("shared cache get %s failed: %s", namespace, error)
        return None


def put(namespace: str, parts: tuple, value) -> None:
    """Share ``value`` for ``parts`` with every worker (no-op when disabled or failing)."""
    if not enabled():
        return
    try:
        cache.set(cache_key(namespace, parts), value, timeout=TIMEOUT)
    except Exception as error:
        logger.warning("shared cache set %s failed: %s", namespace, error)
