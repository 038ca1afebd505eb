"""pylti1p3's launch data storage in the database: every worker sees a login's state and nonce.

pylti1p3 keeps the OIDC state, the nonce it sent the platform and the validated launch (for
deep linking later) in a key-value store. The default (the process cache) breaks as soon as
the login and the launch reach different processes, so the values live in ``LtiStateEntry``.
``consume`` deletes a key and reports whether it was there: a nonce is used exactly once.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from pylti1p3.launch_data_storage.base import LaunchDataStorage

from .models import LtiStateEntry

DEFAULT_LIFETIME = 24 * 60 * 60


class DatabaseLaunchDataStorage(LaunchDataStorage):
    """Keys in ``LtiStateEntry``; bound to the browser by pylti1p3's session cookie over HTTPS."""

    def get_session_cookie_name(self) -> str | None:
        # As pylti1p3's cache storage: the extra cookie only over HTTPS, where it can be SameSite=None.
        if self._request is None or not self._request.is_secure():
            return None
        return super().get_session_cookie_name()

    def can_set_keys_expiration(self) -> bool:
        return True

    def get_value(self, key: str):
        now = timezone.now()
        entry = LtiStateEntry.objects.filter(key=self._prepare_key(key), expires_at__gt=now).first()
        return None if entry is None else entry.value

    def set_value(self, key: str, value, exp: int | None = None) -> None:
        entry = LtiStateEntry(key=self._prepare_key(key), value=value,
                              expires_at=timezone.now() + timedelta(seconds=exp or DEFAULT_LIFETIME))
        LtiStateEntry.objects.bulk_create([entry], update_conflicts=True, unique_fields=["key"],
                                          update_fields=["value", "expires_at"])  # one upsert query

    def check_value(self, key: str) -> bool:
        return LtiStateEntry.objects.filter(key=self._prepare_key(key), expires_at__gt=timezone.now()).exists()

    def consume(self, key: str) -> bool:
        """Delete ``key``; return True if it existed and had not expired (only one caller can win)."""
        deleted, _ = LtiStateEntry.objects.filter(key=self._prepare_key(key),
                                                  expires_at__gt=timezone.now()).delete()
        return deleted > 0


def purge_expired() -> int:
    """Delete expired entries; return how many."""
    deleted, _ = LtiStateEntry.objects.filter(expires_at__lte=timezone.now()).delete()
    return deleted
