"""Throttle password guessing: per account (django-axes), per IP and for password resets.

* **Per account**: django-axes counts failed logins per username in the database and locks the
  account for ``AXES_COOLOFF_TIME`` after ``AXES_FAILURE_LIMIT`` failures, from any address.
* **Per IP**: ``LOGIN_IP`` counts failed logins per client address in Django's cache (shared by
  every worker when the cache is shared), so one client cannot try many accounts. Its limit is
  higher than the account's: a class behind one school address mistypes too.
* **Password reset**: ``RESET_IP`` and ``RESET_EMAIL`` limit reset e-mails per address and per
  e-mail, so the form cannot be used to flood an inbox.

Both login checks run as the first authentication backends, before ``ModelBackend`` hashes
anything, so a throttled attempt costs no password hashing. Every refusal is a 429 page with
``Retry-After``.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

LOCKED_OUT = ("Too many failed logins for this account. For your safety it is locked for a while: "
              "try again in {minutes} minutes, or reset your password.")
TOO_MANY_FROM_HERE = ("Too many failed logins from your network. Try again in {minutes} minutes.")
TOO_MANY_RESETS = ("Too many password reset requests. Check your inbox (and spam folder) for the "
                   "e-mail already sent, or try again in {minutes} minutes.")


@dataclass(frozen=True)
class Throttle:
    """At most ``limit`` hits per key in a fixed window of ``seconds``, counted in the cache."""

    name: str
    limit: int
    seconds: int

    def _key(self, key: str) -> str:
        return f"throttle:{self.name}:{key.lower()}"

    def count(self, key: str) -> int:
        return int(cache.get(self._key(key), 0))

    def exceeded(self, key: str) -> bool:
        """Return True if ``key`` has used up its hits in the current window."""
        return self.count(key) >= self.limit

    def hit(self, key: str) -> None:
        """Count one hit for ``key`` (the window starts at the first hit)."""
        if not cache.add(self._key(key), 1, self.seconds):
            try:
                cache.incr(self._key(key))
            except ValueError:  # expired between add and incr
                cache.add(self._key(key), 1, self.seconds)


LOGIN_IP = Throttle("login-ip", limit=30, seconds=15 * 60)
RESET_IP = Throttle("reset-ip", limit=10, seconds=60 * 60)
RESET_EMAIL = Throttle("reset-email", limit=3, seconds=60 * 60)


def client_ip(request: HttpRequest) -> str:
    """Return the client's address as the server sees it (REMOTE_ADDR; set it right behind a proxy)."""
    return request.META.get("REMOTE_ADDR") or "unknown"


def throttled_response(request: HttpRequest, message: str, *, seconds: int) -> HttpResponse:
    """Return the 429 page saying ``message`` (``{minutes}`` filled) with ``Retry-After``."""
    minutes = max(1, round(seconds / 60))
    response = render(request, "429.html", {"message": message.format(minutes=minutes)}, status=429)
    response["Retry-After"] = str(seconds)
    return response


def _cooloff_seconds() -> int:
    return int(settings.AXES_COOLOFF_TIME.total_seconds())


def axes_lockout_response(request: HttpRequest, original_response=None, credentials=None) -> HttpResponse:
    """django-axes' lockout response (``AXES_LOCKOUT_CALLABLE``): the 429 page."""
    return throttled_response(request, LOCKED_OUT, seconds=_cooloff_seconds())


class IpLoginThrottleBackend:
    """First authentication backend: refuse at once while the client's IP is over ``LOGIN_IP``."""

    def authenticate(self, request: HttpRequest | None, **credentials):
        if request is not None and LOGIN_IP.exceeded(client_ip(request)):
            request.login_throttled = True
            raise PermissionDenied  # stops authenticate() before any password is hashed
        return None  # no get_user: it signs nobody in, so sessions never name this backend


def count_failed_login(sender, credentials, request=None, **kwargs) -> None:
    """``user_login_failed`` receiver: count the failure against the client's IP."""
    if request is not None:
        LOGIN_IP.hit(client_ip(request))


class LoginThrottleMiddleware:
    """Answer a login refused by ``IpLoginThrottleBackend`` with the 429 page."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if getattr(request, "login_throttled", False):
            return throttled_response(request, TOO_MANY_FROM_HERE, seconds=LOGIN_IP.seconds)
        return response


def reset_throttled(request: HttpRequest, email: str) -> HttpResponse | None:
    """Count a password reset request; return the 429 if its IP or e-mail is over the limit."""
    ip, email = client_ip(request), email.strip().lower()
    if RESET_IP.exceeded(ip) or (email and RESET_EMAIL.exceeded(email)):
        return throttled_response(request, TOO_MANY_RESETS, seconds=RESET_EMAIL.seconds)
    RESET_IP.hit(ip)
    if email:
        RESET_EMAIL.hit(email)
    return None
