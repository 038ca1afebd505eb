"""The health check: the database and the cache, each reported on its own.

``HealthzMiddleware`` sits first in ``MIDDLEWARE`` and answers ``/healthz`` itself, so a load
balancer's probe costs one ``SELECT 1`` and one cache round trip: no session, no user, no CSRF,
no template. Run gunicorn with threads (``config/gunicorn.py``) so a probe is not queued
behind slow page requests of the same worker.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.cache import add_never_cache_headers

PATH = "/healthz"


def database_health() -> dict:
    """Return ``{"ok": True, "vendor": ...}``, or ``{"ok": False, "error": <class name>}``."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as error:
        return {"ok": False, "error": error.__class__.__name__}
    return {"ok": True, "vendor": connection.vendor}


def cache_health() -> dict:
    """Return ``{"ok", "backend"}`` after writing and reading back a key (the error's class when not ok)."""
    backend = "redis" if getattr(settings, "REDIS_URL", "") else "local-memory"
    key, value = "healthz:probe", secrets.token_hex(4)
    try:
        cache.set(key, value, timeout=10)
        ok = cache.get(key) == value
    except Exception as error:  # any client error means the cache is down
        return {"ok": False, "backend": backend, "error": error.__class__.__name__}
    return {"ok": ok, "backend": backend} if ok else {"ok": False, "backend": backend, "error": "ReadBack"}


def health_response(request: HttpRequest) -> HttpResponse:
    """Return the JSON health report: 200 when both answer, 503 when one does not; 405 unless GET/HEAD."""
    if request.method not in ("GET", "HEAD"):
        response = HttpResponse(status=405)
        response["Allow"] = "GET, HEAD"
        return response
    database, cache_report = database_health(), cache_health()
    ok = database["ok"] and cache_report["ok"]
    response = JsonResponse({"status": "ok" if ok else "error", "database": database, "cache": cache_report},
                            status=200 if ok else 503)
    add_never_cache_headers(response)
    return response


class HealthzMiddleware:
    """Answer ``/healthz`` before any other middleware runs; pass everything else on."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info.rstrip("/") == PATH:
            return health_response(request)
        return self.get_response(request)
