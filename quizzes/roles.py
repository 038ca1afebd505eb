"""Who may do what: students (everyone signed in), authors (a group), instructors (staff)."""

from functools import wraps

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

AUTHORS_GROUP = "Authors"


def is_author(user: AbstractBaseUser | AnonymousUser) -> bool:
    """Return True if ``user`` may preview and validate content (authors and staff)."""
    if not user.is_authenticated:
        return False
    return user.is_staff or user.groups.filter(name=AUTHORS_GROUP).exists()


def is_instructor(user: AbstractBaseUser | AnonymousUser) -> bool:
    """Return True if ``user`` may see cohorts, dashboards and students' data (staff)."""
    return bool(user.is_authenticated and user.is_staff)


def role_required(test):
    """Return a view decorator: anonymous users go to log in; signed-in users failing ``test`` get 403."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not test(request.user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


author_required = role_required(is_author)
instructor_required = role_required(is_instructor)
