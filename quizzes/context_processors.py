"""Template context shared by every page."""

from django.core.cache import cache
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from .roles import is_author, is_instructor


def roles(request: HttpRequest) -> dict:
    """Expose the signed-in user's roles to templates, computed only when used."""
    user = getattr(request, "user", None)
    if user is None:
        return {}
    return {
        "user_is_author": SimpleLazyObject(lambda: header_is_author(user)),
        "user_is_instructor": SimpleLazyObject(lambda: is_instructor(user)),
    }


HEADER_ROLE_SECONDS = 60
"""How long the header remembers that a user is (not) an author: links only, never access."""


def header_is_author(user) -> bool:
    """Return ``is_author(user)`` for the header's links, cached briefly (a query less per page).

    Access checks call ``roles.is_author`` itself; a new author sees the preview link within a minute.
    """
    if not user.is_authenticated:
        return False
    if user.is_staff:
        return True
    key = f"header-is-author:{user.pk}:{user.get_username()}"
    try:
        cached = cache.get(key)
    except Exception:  # the cache is an optimisation: ask the database
        return is_author(user)
    if cached is None:
        cached = is_author(user)
        try:
            cache.set(key, cached, HEADER_ROLE_SECONDS)
        except Exception:
            pass
    return cached
