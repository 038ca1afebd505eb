"""Liveness and database health for load balancers and monitoring."""

from django.db import DatabaseError, connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Return 200 with ``{"status": "ok", ...}``, or 503 when the database does not answer."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as error:
        return JsonResponse(
            {"status": "error", "database": {"ok": False, "error": error.__class__.__name__}},
            status=503,
        )
    return JsonResponse({"status": "ok", "database": {"ok": True, "vendor": connection.vendor}})
