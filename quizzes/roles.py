"""Who may do what: students (everyone signed in), authors (a group), instructors (staff)."""

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

AUTHORS_GROUP = "Authors"


def is_author(user: AbstractBaseUser | AnonymousUser) -> bool:
    """Return True if ``user`` may preview and validate content (authors and staff)."""
    if not user.is_authenticated:
        return False
    return user.is_staff or user.groups.filter(name=AUTHORS_GROUP).exists()


def is_instructor(user: AbstractBaseUser | AnonymousUser) -> bool:
    """Return True if ``user`` may see cohorts, dashboards and students' data (staff)."""
    return bool(user.is_authenticated and user.is_staff)
