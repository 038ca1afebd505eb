"""Answer a database outage with a 503 that retries, and one log line per request.

When the database server restarts or is unreachable, every view that queries it raises
``OperationalError`` (or ``InterfaceError`` on a connection that died). Instead of a 500 page
and a traceback per request, ``DatabaseOutageMiddleware`` answers 503 with ``Retry-After``: a
page that says the student's saved answers are safe and reloads itself (GET), or says the
form was not saved and to send it again (POST), or, for htmx, a short fragment that the
autosave script shows as "NOT saved" before retrying. The page is rendered without the
request context, since the context processors would query the database again.
"""

from __future__ import annotations

import logging

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string

logger = logging.getLogger("quizzes.database_outage")

RETRY_AFTER_SECONDS = 10
DATABASE_ERRORS = (OperationalError, InterfaceError)
NOT_SAVED = "NOT saved: the database is briefly unavailable. Retrying…"


def outage_response(request: HttpRequest, error: Exception) -> HttpResponse:
    """Return the 503 for ``request`` and log one line naming the request and the error."""
    problem = str(error).strip().splitlines()[0] if str(error).strip() else ""
    logger.warning("database unavailable: %s %s answered 503 (%s: %s)",
                   request.method, request.path, type(error).__name__, problem)
    if request.headers.get("HX-Request") == "true":
        response = HttpResponse(f'<span class="save-error" role="alert">{NOT_SAVED}</span>', status=503)
    else:
        html = render_to_string("503.html", {
            "retry": request.method in ("GET", "HEAD"), "retry_after": RETRY_AFTER_SECONDS,
        })
        response = HttpResponse(html, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    response._has_been_logged = True  # the line above is the log; Django would add a second one
    return response


class DatabaseOutageMiddleware:
    """Turn a view's ``OperationalError``/``InterfaceError`` into ``outage_response``."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, DATABASE_ERRORS):
            return outage_response(request, exception)
        return None
