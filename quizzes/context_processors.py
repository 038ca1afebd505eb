"""Template context shared by every page."""

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from .roles import is_author, is_instructor
from .selectors.exams import open_attempts


def roles(request: HttpRequest) -> dict:
    """Expose the signed-in user's roles to templates, computed only when used."""
    user = getattr(request, "user", None)
    if user is None:
        return {}
    return {
        "user_is_author": SimpleLazyObject(lambda: is_author(user)),
        "user_is_instructor": SimpleLazyObject(lambda: is_instructor(user)),
        "open_attempts": SimpleLazyObject(lambda: open_attempts(user)),
    }
