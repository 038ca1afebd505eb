"""The benchmark's control page: what a bare signed-in Django page costs on this machine.

Only routed when ``settings.BENCH_CONTROL_VIEW`` is true (``config.settings.bench``).
Three queries: the session, the user and one count; a static page of about 5 KB.
"""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from ..models import Response


@login_required
def control(request: HttpRequest) -> HttpResponse:
    """Render the control page for the signed-in user."""
    answered = Response.objects.filter(user=request.user).count()
    return render(request, "bench/control.html", {"answered": answered, "rows": range(40)})
