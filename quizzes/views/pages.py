"""Pages that are mostly text: the home page."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from ..selectors.progress import due_count, has_answered


def home(request: HttpRequest) -> HttpResponse:
    """Say what the site is and where to start; a signed-in student sees what is due."""
    return render(request, "quizzes/home.html", {"due": due_count(request.user, now=timezone.now()),
                                                 "returning": has_answered(request.user)})
