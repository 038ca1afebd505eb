"""Pages that are mostly text: the home page."""

from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import render
from django.templatetags.static import static
from django.utils import timezone

from ..selectors.progress import due_count, has_answered


def home(request: HttpRequest) -> HttpResponse:
    """Say what the site is and where to start; a signed-in student sees what is due."""
    return render(request, "quizzes/home.html", {"due": due_count(request.user, now=timezone.now()),
                                                 "returning": has_answered(request.user)})


def favicon(request: HttpRequest) -> HttpResponse:
    """Send /favicon.ico (asked for by pages without a <link rel=icon>, e.g. the admin) to the site's icon."""
    return HttpResponsePermanentRedirect(static("img/favicon.svg"))
