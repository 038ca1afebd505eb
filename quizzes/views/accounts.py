"""Sign-up; the other account pages are Django's auth views with our templates."""

from django.contrib.auth import login
from django.contrib.auth.views import PasswordResetView
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from ..forms import EMAIL_TAKEN, USERNAME_TAKEN, SignupForm
from ..services.accounts import AccountTaken, account_create
from ..throttle import reset_throttled


@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    """Create a student account and sign the new user in."""
    if request.user.is_authenticated:
        return redirect("home")
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = account_create(form=form)
        except AccountTaken as taken:
            form.add_error(taken.field, USERNAME_TAKEN if taken.field == "username" else EMAIL_TAKEN)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            return redirect("home")
    return render(
        request,
        "registration/form_page.html",
        {"form": form, "title": "Create your account", "submit_label": "Sign up",
         "intro": "Practise questions, take timed exams and track what you have mastered."},
    )


class ThrottledPasswordResetView(PasswordResetView):
    """Django's password reset, limited per client IP and per e-mail (a 429 past the limit)."""

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        refused = reset_throttled(request, request.POST.get("email", ""))
        return refused or super().post(request, *args, **kwargs)
