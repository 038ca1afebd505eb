"""LTI endpoints (thin): login initiation, launch, public keys, deep linking, course pages.

The platform reaches ``login`` and ``launch`` cross-site (a redirect, then a form POST), so
both are CSRF-exempt: the OIDC state and the nonce, checked by pylti1p3, protect them instead.
No inline script anywhere: the deep-linking return form is submitted by ``static/js/lti-autosubmit.js``.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from lti_tool.models import Key, LtiLaunch
from pylti1p3.exception import LtiException

from . import deep_linking, grades, roster, selectors
from .accounts import is_course_staff
from .launches import complete_launch
from .models import LtiCourse
from .tool import LaunchRefused, MessageLaunch, OIDCLogin, explain

SESSION_LAUNCH = "lti_launch_id"
BACKEND = "django.contrib.auth.backends.ModelBackend"


def refused(request: HttpRequest, reason: str, status: int = 400) -> HttpResponse:
    """Render the page of a refused LTI request: what was wrong, in one sentence."""
    return render(request, "lti/refused.html", {"reason": reason}, status=status)


@csrf_exempt
@xframe_options_exempt
@require_http_methods(["GET", "POST"])
def login(request: HttpRequest) -> HttpResponse:
    """OIDC third-party login initiation: check the issuer, then send the browser to the platform."""
    params = request.POST if request.method == "POST" else request.GET
    if not params.get("target_link_uri"):
        return refused(request, "Missing target_link_uri: the platform must say which link it launches.")
    try:
        return OIDCLogin(request).redirect(request.build_absolute_uri(reverse("lti_launch")))
    except LaunchRefused as error:
        return refused(request, error.reason, error.status)
    except LtiException as error:
        return refused(request, explain(error))


@csrf_exempt
@xframe_options_exempt
@require_POST
def launch(request: HttpRequest) -> HttpResponse:
    """The platform's signed launch: validate it, sign the user in, go where the link points."""
    try:
        message_launch = MessageLaunch(request)
        message_launch.validate()
    except LtiException as error:
        return refused(request, explain(error), getattr(error, "status", 400))
    lti_launch = LtiLaunch(message_launch)
    result = complete_launch(lti_launch)
    auth_login(request, result.user, backend=BACKEND)
    request.session[SESSION_LAUNCH] = lti_launch.get_launch_id()
    if result.error:
        return refused(request, result.error, 404)
    return redirect(result.redirect_url)


@require_GET
def jwks(request: HttpRequest) -> JsonResponse:
    """The tool's public keys (JWKS), which platforms use to check our signatures."""
    return JsonResponse(Key.objects.as_jwks())


def _deep_link_launch(request: HttpRequest):
    launch_id = request.session.get(SESSION_LAUNCH)
    if not isinstance(launch_id, str):
        raise PermissionDenied("Open this page from your course's 'add an activity' dialog in the LMS.")
    try:
        message_launch = MessageLaunch.from_cache(launch_id, request, None)
    except LtiException as error:
        raise PermissionDenied("Your LMS session here has expired: start again from the course.") from error
    if not message_launch.is_deep_link_launch():
        raise PermissionDenied("This launch was not a request to place content in a course.")
    if not deep_linking.may_place(message_launch):
        raise PermissionDenied("Only the course's instructors may place content in it.")
    return message_launch


@xframe_options_exempt
@login_required
@require_http_methods(["GET", "POST"])
def deep_link(request: HttpRequest) -> HttpResponse:
    """An instructor picks exams or practice topics; the signed answer goes back to the LMS."""
    message_launch = _deep_link_launch(request)
    settings = deep_linking.settings_of(message_launch)
    form = deep_linking.PlacementForm(request.POST if request.method == "POST" else None,
                                      multiple=settings.get("accept_multiple", True))
    if request.method == "POST" and form.is_valid():
        response = deep_linking.response_for(message_launch, form.cleaned_data["items"],
                                             launch_url=request.build_absolute_uri(reverse("lti_launch")))
        request.session.pop(SESSION_LAUNCH, None)
        page = render(request, "lti/deep_link_return.html", response)
        page["Content-Security-Policy"] = _policy_allowing_form_to(response["return_url"])
        return page
    return render(request, "lti/deep_link.html", {"form": form, "settings": settings})


@login_required
@require_GET
def courses(request: HttpRequest) -> HttpResponse:
    """The LMS courses the user teaches (every one for a site instructor)."""
    rows = selectors.course_rows(request.user)
    if not rows and not request.user.is_staff:
        raise PermissionDenied("You teach no course launched from an LMS.")
    return render(request, "lti/courses.html", {"rows": rows})


def _course(request: HttpRequest, course_id: int) -> LtiCourse:
    course = get_object_or_404(LtiCourse.objects.select_related("context", "cohort"), pk=course_id)
    if not is_course_staff(request.user, course):
        raise PermissionDenied("Only this course's instructors may see this page.")
    return course


@login_required
@require_GET
def course(request: HttpRequest, course_id: int) -> HttpResponse:
    """A course's page for its instructors: roster, grades waiting to reach the LMS, sync."""
    course = _course(request, course_id)
    return render(request, "lti/course.html", selectors.course_page(course))


@login_required
@require_POST
def course_sync_roster(request: HttpRequest, course_id: int) -> HttpResponse:
    """Fetch the course roster from the LMS (Names and Roles) into the cohort."""
    course = _course(request, course_id)
    outcome = roster.sync_roster(course)
    (messages.success if outcome.ok else messages.error)(request, outcome.message)
    return redirect("lti_course", course.pk)


@login_required
@require_POST
def course_retry_grades(request: HttpRequest, course_id: int) -> HttpResponse:
    """Try every unsent grade of the course now, without waiting for its next try."""
    course = _course(request, course_id)
    counts = {"sent": 0, "failed": 0}
    for pk in selectors.unsent_posts(course).values_list("pk", flat=True):
        status = grades.send_one(pk)
        if status in counts:
            counts[status] += 1
    messages.info(request, f"Grades sent: {counts['sent']}; still failing: {counts['failed']}.")
    return redirect("lti_course", course.pk)


def _policy_allowing_form_to(url: str) -> str:
    """Return the site's CSP with ``form-action`` widened to the LMS origin the answer is posted to."""
    from urllib.parse import urlsplit

    from django.conf import settings as django_settings

    parts = urlsplit(url)
    origin = f"{parts.scheme}://{parts.netloc}" if parts.scheme in ("http", "https") and parts.netloc else ""
    allowed = f"form-action 'self' {origin}".rstrip()
    return django_settings.CONTENT_SECURITY_POLICY.replace("form-action 'self'", allowed)
