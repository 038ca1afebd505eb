"""htmx requests from signed-out users: 401 with ``HX-Redirect`` to log in, not a followed 302.

``login_required`` answers a signed-out request with a 302 to the login page. The browser's
XMLHttpRequest follows it silently, so an autosave would receive the login page as if it were
the save's answer (and htmx would swap a whole login form into the question). This middleware
turns that 302, for htmx requests only, into a 401 whose ``HX-Redirect`` is the login page with
``next`` set to the page the student is on (htmx sends it as ``HX-Current-URL``), so after
logging in they come back to the same question. The autosave script reads the 401 as "not
saved" and keeps the student's choice on screen.
"""

from __future__ import annotations

from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import resolve_url
from django.utils.http import url_has_allowed_host_and_scheme

SIGNED_OUT = "NOT saved: you have been signed out. Log in again to save this answer."


def _page_path(request: HttpRequest) -> str | None:
    """Return the path (and query) of the page that sent the htmx request, if it is this site's."""
    current = request.headers.get("HX-Current-URL", "")
    if current and url_has_allowed_host_and_scheme(current, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        parts = urlsplit(current)
        return parts.path + (f"?{parts.query}" if parts.query else "")
    if not current and request.method == "GET":
        return request.get_full_path()
    return None


class HtmxLoginRedirectMiddleware:
    """Replace a redirect to the login page of a signed-out htmx request by 401 + HX-Redirect."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.headers.get("HX-Request") != "true" or response.status_code not in (301, 302):
            return response
        login = resolve_url(settings.LOGIN_URL)
        if urlsplit(response.get("Location", "")).path != login:
            return response
        page = _page_path(request)
        target = f"{login}?{urlencode({'next': page}, safe='/')}" if page else login
        signed_out = HttpResponse(f'<span class="save-error" role="alert">{SIGNED_OUT}</span>', status=401)
        signed_out["HX-Redirect"] = target
        return signed_out
