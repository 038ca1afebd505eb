"""Variants of stored question versions: what a student is (or was) shown."""

from __future__ import annotations

import secrets

from ..content.schema import QuestionSource
from ..content.variants import Variant, build_variant, build_variant_near
from ..models import QuestionVersion

SEED_LIMIT = 2**32
_SOURCES: dict[tuple[int, str], QuestionSource] = {}
_SOURCES_MAX = 2048


def version_source(version: QuestionVersion) -> QuestionSource:
    """Return the parsed source of ``version`` (versions are immutable, so it is cached)."""
    key = (version.pk, version.content_hash)
    source = _SOURCES.get(key)
    if source is None:
        if len(_SOURCES) >= _SOURCES_MAX:
            _SOURCES.clear()
        source = _SOURCES[key] = QuestionSource.from_data(version.data)
    return source


def new_seed() -> int:
    """Return a fresh random variant seed."""
    return secrets.randbelow(SEED_LIMIT)


def fresh_variant(version: QuestionVersion) -> Variant:
    """Return a variant of ``version`` with a new seed (its choices guaranteed distinct).

    Its HTML is not rendered: what is stored is the seed, the order and the texts; pages render
    the stored variant when they show it.
    """
    return build_variant_near(version_source(version), new_seed(), render=False)


def chosen_variant(version: QuestionVersion, seed: int) -> Variant:
    """Return the variant of ``version`` for exactly ``seed`` (a practice permalink), unrendered.

    Raise ``content.variants.ChoiceCollision`` or ``NumericCollision`` for a seed whose answers
    cannot be told apart (such seeds are never shown).
    """
    return build_variant(version_source(version), seed, render=False)


def stored_variant(version: QuestionVersion, seed: int) -> Variant:
    """Return exactly the variant shown for ``seed`` (to answer or review it)."""
    return build_variant(version_source(version), seed)
