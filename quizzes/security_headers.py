"""Send ``Content-Security-Policy`` and ``Permissions-Policy`` on every response.

Django 5.2 has no CSP of its own. Scripts come only from this site (no inline scripts, no
eval: behaviour lives in ``static/js/``); styles only from this site's stylesheets, plus inline
``style`` attributes, which the bar charts and heatmaps use for their widths and colours. The
policies are settings (``CONTENT_SECURITY_POLICY``, ``PERMISSIONS_POLICY``); a view that sets
its own header keeps it.
"""

from django.conf import settings
from django.http import HttpRequest, HttpResponse


class SecurityHeadersMiddleware:
    """Add the configured CSP and Permissions-Policy headers unless the response has its own."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response
        self.headers = {
            "Content-Security-Policy": settings.CONTENT_SECURITY_POLICY,
            "Permissions-Policy": settings.PERMISSIONS_POLICY,
        }

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        for name, value in self.headers.items():
            if value and name not in response:
                response[name] = value
        return response
