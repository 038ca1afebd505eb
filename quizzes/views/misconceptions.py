"""Misconceptions across a class (staff only): the ranking page and its CSV export."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from ..analytics import exports
from ..analytics.misconceptions import MISCONCEPTIONS_HEADER, class_misconceptions, misconception_csv_rows
from .instructor import filters, instructor_page


@instructor_page
@require_GET
def misconceptions_page(request: HttpRequest) -> HttpResponse:
    """The named misconceptions of a cohort (or every student), most students first, with the questions showing them."""
    found = filters(request, ("cohort", "attempts"))
    return render(request, "quizzes/instructor/misconceptions.html", found.context("misconceptions") | {
        "rows": class_misconceptions(found.scope),
    })


@instructor_page
@require_GET
def export_misconceptions(request: HttpRequest) -> HttpResponse:
    """CSV: one row per misconception hit in scope (first attempts unless ``?attempts=all``)."""
    found = filters(request, ("cohort", "attempts"))
    return exports.csv_response("misconceptions", MISCONCEPTIONS_HEADER,
                                misconception_csv_rows(class_misconceptions(found.scope)),
                                scope=found.scope, today=timezone.localdate())
