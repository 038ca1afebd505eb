"""``{% site_url %}``: the site's templates' ``{% url %}``, each pattern reversed once and reused.

Why: ``reverse`` walks the URL patterns on every call (10-20 us here) and the exam and practice
pages, hit by a whole class at once, carry a dozen such links. A URL whose arguments are all
integers is reversed once per (script prefix, name, number of arguments) with stand-in numbers,
and later calls put the real numbers in their places. Anything else (a string or keyword
argument) goes through ``reverse`` as ``{% url %}`` does. The output is the string ``reverse``
gives.
"""

from __future__ import annotations

from django import template
from django.urls import get_script_prefix, reverse

register = template.Library()

STAND_INS = (987_654_321, 987_654_322, 987_654_323)
"""Integers no URL of the site contains: marks where each argument goes."""

_PATTERNS: dict[tuple[str, str, int], tuple[str, ...] | None] = {}


def _cut(name: str, count: int) -> tuple[str, ...] | None:
    """Return the URL of ``name`` cut where its ``count`` integer arguments go, or None if it cannot be."""
    url, pieces = reverse(name, args=STAND_INS[:count]), []
    for stand_in in STAND_INS[:count]:
        head, mark, url = url.partition(str(stand_in))
        if not mark or str(stand_in) in url:
            return None  # not a plain integer slot: leave it to reverse
        pieces.append(head)
    return (*pieces, url)


def _pieces(name: str, count: int) -> tuple[str, ...] | None:
    """Return ``_cut(name, count)``, worked out once per script prefix (a None too)."""
    key = (get_script_prefix(), name, count)
    if key not in _PATTERNS:
        _PATTERNS[key] = _cut(name, count)
    return _PATTERNS[key]


def site_url(name: str, *args: object, **kwargs: object) -> str:
    """Return ``reverse(name, args=args, kwargs=kwargs)``, from a cached pattern when every argument
    is a positional int."""
    if kwargs or len(args) > len(STAND_INS) or not all(type(arg) is int for arg in args):
        return reverse(name, args=args, kwargs=kwargs)
    pieces = _pieces(name, len(args))
    if pieces is None:
        return reverse(name, args=args)
    return "".join(piece + str(arg) for piece, arg in zip(pieces, args, strict=False)) + pieces[-1]


@register.simple_tag(name="site_url")
def site_url_tag(name: str, *args: object, **kwargs: object) -> str:
    """``{% site_url 'attempt_answer' attempt.pk item.position [as name] %}``: as ``{% url %}``.

    A builtin of the site's templates (``TEMPLATES`` options), so no ``{% load %}`` is needed.
    """
    return site_url(name, *args, **kwargs)
