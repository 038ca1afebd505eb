"""Pages that are mostly text: the home page."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def home(request: HttpRequest) -> HttpResponse:
    """Say what the site is and where to start."""
    return render(request, "quizzes/home.html")
