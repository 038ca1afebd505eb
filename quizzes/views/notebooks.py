"""``/lab/<scenario>/notebook.ipynb?<the lab's query>``: the run as a Jupyter notebook (a download).

The query is read exactly as the lab reads it (``quizzes.lab.query``): a bad one answers 400
with the lab API's JSON error, an unknown scenario 404.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe

from cnncore.scenarios import UnknownScenario, all_scenarios, get

from ..lab.query import parse_query
from ..notebooks.notebook import CONTENT_TYPE, NoRecipe, file_name, notebook, to_json

NO_RECIPE = "the scenario {name} has no notebook yet"


def _error(message: str, param: str | None, status: int, **extra) -> JsonResponse:
    return JsonResponse({"error": message, "param": param or None, **extra}, status=status)


@csrf_exempt
@require_safe
def lab_notebook(request: HttpRequest, name: str) -> HttpResponse:
    """Return the notebook that rebuilds the lab run of ``name`` for the query, as an attachment."""
    try:
        scenario = get(name)
    except UnknownScenario as error:
        return _error(str(error), None, 404, scenarios=[s.name for s in all_scenarios()])
    query = parse_query(scenario, request.GET, query_string=request.META.get("QUERY_STRING", ""))
    if not query.ok:
        error = query.errors[0]
        return _error(error.message, error.param, 400)
    try:
        data = notebook(scenario, query.values, query.seed)
    except NoRecipe:
        return _error(NO_RECIPE.format(name=name), None, 404)
    response = HttpResponse(to_json(data), content_type=CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{file_name(scenario, query.seed)}"'
    return response
