"""Liveness, database and cache health for load balancers and monitoring.

``quizzes.http.health.HealthzMiddleware`` answers ``/healthz`` before sessions and
authentication; this view answers the same when the middleware is not installed.
"""

from django.http import HttpRequest, HttpResponse

from ..http.health import health_response


def healthz(request: HttpRequest) -> HttpResponse:
    """Return 200 with ``{"status": "ok", "database": ..., "cache": ...}``, or 503 when one is down."""
    return health_response(request)
