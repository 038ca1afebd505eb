"""Account services: sign-up (safe against a race) and demo accounts for local development."""

from dataclasses import dataclass

from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import IntegrityError, transaction

from ..roles import AUTHORS_GROUP


class AccountTaken(Exception):
    """A concurrent sign-up took the username or the e-mail address first; ``field`` says which."""

    def __init__(self, field: str) -> None:
        super().__init__(field)
        self.field = field


def account_create(*, form):
    """Save a valid sign-up ``form`` and return the user; raise ``AccountTaken`` if a race lost.

    The form's checks run before the write, so two sign-ups at once can both pass them; the
    database's unique username and case-insensitive e-mail index then refuse the second.
    """
    try:
        with transaction.atomic():
            return form.save()
    except IntegrityError:
        users = get_user_model().objects
        if users.filter(username__iexact=form.cleaned_data["username"]).exists():
            raise AccountTaken("username") from None
        if users.filter(email__iexact=form.cleaned_data["email"]).exists():
            raise AccountTaken("email") from None
        raise


DEMO_ACCOUNTS_FORBIDDEN = "Demo accounts are for development only (DEMO_ACCOUNTS_ALLOWED is off)."


@dataclass(frozen=True)
class DemoAccount:
    """A demo login and what it is for."""

    username: str
    password: str
    role: str


DEMO_ACCOUNTS = (
    DemoAccount("student", "student-pass-2026", "student: practice, exams, review, progress"),
    DemoAccount("author", "author-pass-2026", "author: everything a student can, plus content preview"),
    DemoAccount("admin", "admin-pass-2026", "instructor/admin: dashboards and /admin/"),
)


@transaction.atomic
def demo_accounts_ensure() -> tuple[DemoAccount, ...]:
    """Create or reset the demo accounts so the printed passwords always work.

    Raise ``PermissionError`` outside settings that allow demo accounts.
    """
    if not getattr(settings, "DEMO_ACCOUNTS_ALLOWED", False):
        raise PermissionError(DEMO_ACCOUNTS_FORBIDDEN)
    user_model = get_user_model()
    authors, _ = Group.objects.get_or_create(name=AUTHORS_GROUP)
    for account in DEMO_ACCOUNTS:
        user, _ = user_model.objects.get_or_create(
            username=account.username,
            defaults={"email": f"{account.username}@example.com"},
        )
        user.set_password(account.password)
        user.is_staff = user.is_superuser = account.username == "admin"
        user.save()
        if account.username == "author":
            user.groups.add(authors)
    for account in DEMO_ACCOUNTS:
        axes_reset(username=account.username)  # lift any login lockout: the printed passwords work
    return DEMO_ACCOUNTS
