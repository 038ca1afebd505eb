"""The lab: every scenario as a live, editable worked example (pages) and as JSON (API).

Views only parse the request and pick the response; ``quizzes.lab`` does the work.
Pages are public. An htmx request (not a history restore) gets only the results partial.
Every view answers GET (and HEAD) only; other methods get 405, so the views are exempt from
the CSRF check, which would otherwise answer a POST with 403 before the method check.
"""

from __future__ import annotations

from functools import wraps

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe

from cnncore.scenarios import ParameterError, UnknownScenario, all_scenarios, get

from .. import scenario_runs
from ..lab.page import index_groups, scenario_page, values_page
from ..lab.query import parse_query

SAFE_METHODS = ("GET", "HEAD")
METHOD_NOT_ALLOWED = "the lab API answers GET only, not {method}"
JSON_OPTIONS = {"separators": (",", ":")}


def _scenario_or_404(name: str):
    try:
        return get(name)
    except UnknownScenario as error:
        raise Http404(str(error)) from None


@csrf_exempt
@require_safe
def lab_index(request: HttpRequest) -> HttpResponse:
    """List every scenario, grouped by topic, with one line on what it shows."""
    return render(request, "quizzes/lab/index.html", {"groups": index_groups()})


@csrf_exempt
@require_safe
def lab_scenario(request: HttpRequest, name: str) -> HttpResponse:
    """Show the scenario's form and its run for the query (400 with the errors if it is bad)."""
    scenario = _scenario_or_404(name)
    context, status = scenario_page(scenario, request.GET, query_string=request.META.get("QUERY_STRING", ""))
    partial = request.htmx and not request.htmx.history_restore_request
    context["oob"] = bool(partial)
    template = "quizzes/lab/_results.html" if partial else "quizzes/lab/scenario.html"
    if context["part"] and context["view"] is not None:
        template = "quizzes/lab/_part.html"  # one closed phase's body, loaded when it opens
    response = render(request, template, context, status=status)
    patch_vary_headers(response, ("HX-Request",))
    return response


def _json_error(message: str, param: str | None, status: int, **extra) -> JsonResponse:
    return JsonResponse({"error": message, "param": param or None, **extra}, status=status,
                        json_dumps_params=JSON_OPTIONS)


def _api_safe(view):
    """Answer methods other than GET and HEAD with a JSON 405."""
    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs):
        if request.method not in SAFE_METHODS:
            response = _json_error(METHOD_NOT_ALLOWED.format(method=request.method), None, 405)
            response["Allow"] = ", ".join(SAFE_METHODS)
            return response
        return view(request, *args, **kwargs)

    return wrapped


@csrf_exempt
@_api_safe
def lab_api_index(request: HttpRequest) -> JsonResponse:
    """List the scenarios with their parameter schemas and URLs."""
    return JsonResponse({"scenarios": [
        s.to_dict() | {"url": reverse("lab_api_scenario", args=[s.name]),
                       "page": reverse("lab_scenario", args=[s.name])}
        for s in all_scenarios()
    ]}, json_dumps_params=JSON_OPTIONS)


@csrf_exempt
@_api_safe
def lab_api_scenario(request: HttpRequest, name: str) -> HttpResponse:
    """Return the scenario's trace for ``?param=value&seed=N`` (``Trace.to_dict()``)."""
    try:
        scenario = get(name)
    except UnknownScenario as error:
        return _json_error(str(error), None, 404, scenarios=[s.name for s in all_scenarios()])
    query = parse_query(scenario, request.GET, query_string=request.META.get("QUERY_STRING", ""))
    if not query.ok:
        error = query.errors[0]
        return _json_error(error.message, error.param, 400)
    try:
        body = scenario_runs.run_json(scenario.name, query.values, query.seed)
    except ParameterError as error:
        return _json_error(error.message, error.param, 400)
    return HttpResponse(body, content_type="application/json")


@csrf_exempt
@require_safe
def lab_values(request: HttpRequest, name: str, step: int, array: str) -> HttpResponse:
    """Show the values of one large array of a run as tables (htmx: only the tables)."""
    scenario = _scenario_or_404(name)
    found = values_page(scenario, request.GET, query_string=request.META.get("QUERY_STRING", ""),
                        step=step, array=array)
    if found is None:
        raise Http404("That step has no such array.")
    context, status = found
    partial = request.htmx and not request.htmx.history_restore_request
    template = "quizzes/lab/_values.html" if partial else "quizzes/lab/values.html"
    response = render(request, template, context, status=status)
    patch_vary_headers(response, ("HX-Request",))
    return response
