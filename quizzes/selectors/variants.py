"""Variants of stored question versions: what a student is (or was) shown (read-only, cached)."""

from __future__ import annotations

import secrets
import threading
from collections import OrderedDict
from collections.abc import Collection

from .. import sharedcache
from ..content.schema import QuestionSource
from ..content.variants import ChoiceCollision, NumericCollision, Variant, build_variant, first_distinct
from ..models import QuestionVersion, Response

_SOURCES: dict[tuple[int, str], QuestionSource] = {}
_SOURCES_MAX = 2048
VARIANTS_MAX = 4096
"""Rendered variants kept per process (a few KB each)."""
SHARED_NAMESPACE = "variant"


def version_source(version: QuestionVersion) -> QuestionSource:
    """Return the parsed source of ``version`` (versions are immutable, so it is cached)."""
    key = (version.pk, version.content_hash)
    source = _SOURCES.get(key)
    if source is None:
        if len(_SOURCES) >= _SOURCES_MAX:
            _SOURCES.clear()
        source = _SOURCES[key] = QuestionSource.from_data(version.data)
    return source


VARIANT_POOL = 64
"""How many variants of each question students are given: seeds 0-63 (a permalink reaches any seed).

Why: a variant is computed (a scenario run) and rendered (markdown, MathML) the first time it is
shown, then cached per (version, seed) for every worker. Drawn from all 2**32 seeds, every
question of every exam a class started was a fresh variant: two cache misses on the class's
busiest pages. Sixty-four numbers per question still give neighbours different variants, and a
student is not given a variant of a question they have already been shown while others remain.
"""


def new_seed(avoid: Collection[int] = ()) -> int:
    """Return a random seed of the pool, other than those in ``avoid`` while the pool has others."""
    unseen = [seed for seed in range(VARIANT_POOL) if seed not in avoid]
    return secrets.choice(unseen) if unseen else secrets.randbelow(VARIANT_POOL)


def fresh_variant(version: QuestionVersion, *, avoid: Collection[int] = ()) -> Variant:
    """Return a variant of ``version`` with a new seed of the pool, not one of ``avoid`` (its
    choices guaranteed distinct: a seed whose choices collide gives way to the next).

    It comes from the variants' cache (``stored_variant``): after a class's first exams every
    variant of the pool is there, so starting an exam runs no scenario, and the pages that show
    the variant next find it rendered.
    """
    excluded = set(avoid)
    while True:
        seed = new_seed(excluded)
        variant = first_distinct(lambda near: stored_variant(version, near), seed)
        if variant.seed not in avoid or excluded.issuperset(range(VARIANT_POOL)):
            return variant
        excluded.add(seed)  # its choices collided and the next seed is one already shown: draw again


def warm_pool(version: QuestionVersion) -> int:
    """Put every variant of ``version`` a student can be given in the caches; return how many
    were rendered now (the others were cached already).

    Those are the pool's seeds, each as ``fresh_variant`` draws it (a seed whose answers collide
    gives way to the next). Why: the first student given each variant otherwise waits for its
    scenario run and render (about 15 ms each, on the requests a class sends at once: starting an
    exam or a practice question). With ``REDIS_URL`` the variants are shared by every worker, so
    ``manage.py warm_variants`` fills them once after a deploy or a content sync.
    """
    rendered = 0

    def draw(seed: int) -> Variant:
        nonlocal rendered
        variant = cached_variant(version, seed)
        if variant is None:
            variant, rendered = rendered_variant(version, seed), rendered + 1
        return variant

    for seed in range(VARIANT_POOL):
        try:
            first_distinct(draw, seed)
        except (ChoiceCollision, NumericCollision):
            continue  # never shown: fresh_variant cannot give this seed either
    return rendered


def seeds_seen(user, question_ids: Collection[int]) -> dict[int, set[int]]:
    """Return, per question, the seeds of the variants ``user`` has been shown (one query)."""
    seen: dict[int, set[int]] = {}
    rows = (Response.objects.filter(user=user, question_id__in=question_ids).order_by()
            .values_list("question_id", "seed"))
    for question_id, seed in rows:
        seen.setdefault(question_id, set()).add(seed)
    return seen


def chosen_variant(version: QuestionVersion, seed: int) -> Variant:
    """Return the variant of ``version`` for exactly ``seed`` (a practice permalink), from the cache.

    Raise ``content.variants.ChoiceCollision`` or ``NumericCollision`` for a seed whose answers
    cannot be told apart (such seeds are never shown).
    """
    return stored_variant(version, seed)
class VariantCache:
    """A thread-safe LRU of rendered variants, keyed on (version pk, content hash, seed)."""

    def __init__(self, maxsize: int) -> None:
        self.maxsize = maxsize
        self._items: OrderedDict[tuple, Variant] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = self.misses = 0

    def get(self, key: tuple) -> Variant | None:
        with self._lock:
            variant = self._items.get(key)
            if variant is None:
                self.misses += 1
                return None
            self.hits += 1
            self._items.move_to_end(key)
            return variant

    def put(self, key: tuple, variant: Variant) -> None:
        with self._lock:
            self._items[key] = variant
            self._items.move_to_end(key)
            while len(self._items) > self.maxsize:
                self._items.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self.hits = self.misses = 0


_VARIANTS = VariantCache(VARIANTS_MAX)


def stored_variant(version: QuestionVersion, seed: int) -> Variant:
    """Return exactly the variant shown for ``seed`` (to answer or review it).

    A version is immutable and a variant deterministic in (version, seed), so each is rendered
    once: kept in this process's LRU and, with ``REDIS_URL``, shared with every worker. The
    content hash is part of the key, so a database rebuilt with other content never reuses one.
    """
    variant = cached_variant(version, seed)
    return variant if variant is not None else rendered_variant(version, seed)


def rendered_variant(version: QuestionVersion, seed: int) -> Variant:
    """Render the variant for ``seed`` now and keep it in both caches (for a variant they miss)."""
    variant, key = build_variant(version_source(version), seed), _key(version, seed)
    sharedcache.put(SHARED_NAMESPACE, key, variant)
    _VARIANTS.put(key, variant)
    return variant


def cached_variant(version: QuestionVersion, seed: int) -> Variant | None:
    """Return the variant for ``seed`` if this process or the shared cache has it; never build it."""
    key = _key(version, seed)
    variant = _VARIANTS.get(key)
    if variant is None:
        variant = sharedcache.get(SHARED_NAMESPACE, key)
        if variant is not None:
            _VARIANTS.put(key, variant)
    return variant


def _key(version: QuestionVersion, seed: int) -> tuple:
    return version.pk, version.content_hash, seed


def variant_cache_clear() -> None:
    """Forget this process's rendered variants (benchmarks and tests)."""
    _VARIANTS.clear()
