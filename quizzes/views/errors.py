"""The 500 handler: a database outage raised outside a view still gets the outage 503."""

import sys

from django.http import HttpRequest, HttpResponse
from django.views import defaults

from ..database_outage import DATABASE_ERRORS, outage_response


def server_error(request: HttpRequest) -> HttpResponse:
    """Answer ``outage_response`` for a database error (e.g. saving the session), else the 500 page."""
    error = sys.exc_info()[1]
    if isinstance(error, DATABASE_ERRORS):
        return outage_response(request, error)
    return defaults.server_error(request)
