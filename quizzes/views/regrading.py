"""Instructor regrading (staff only): add a regrade from the item page, undo one, read the log."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from ..forms import InstructorFilterForm
from ..instructor_forms import RegradeForm
from ..models import Question, Regrade
from ..roles import instructor_required
from ..selectors.regrading import regrade_log, regrade_summary
from ..services.regrading import RegradeRefused, regrade_add, regrade_undo

REGRADES_PER_PAGE = 50


def _item_url(question: Question, data) -> str:
    """Return the item page, keeping its dashboard filter if it validates."""
    kept = {key: data[key] for key in ("cohort", "attempts", "exam") if data.get(key)}
    form = InstructorFilterForm(kept, fields=("cohort", "attempts", "exam"))
    query = urlencode(kept) if kept and form.is_valid() else ""
    return reverse("instructor_item", args=[question.qid]) + (f"?{query}" if query else "") + "#regrade"


@instructor_required
@require_POST
def regrade_question(request: HttpRequest, qid: str) -> HttpResponse:
    """Add a regrade to one version of the question and recompute its answers and scores."""
    question = get_object_or_404(Question, qid=qid)
    form = RegradeForm(request.POST, question=question)
    if not form.is_valid():
        messages.error(request, "The regrade was not applied: " + "; ".join(
            f"{name}: {' '.join(errors)}" for name, errors in form.errors.items()))
        return redirect(_item_url(question, request.POST))
    try:
        result = regrade_add(version=form.cleaned_data["version"], kind=form.cleaned_data["kind"],
                             params=form.params(), by=request.user, when=timezone.now(),
                             note=form.cleaned_data["note"])
    except RegradeRefused as refused:
        messages.error(request, refused.message)
        return redirect(_item_url(question, request.POST))
    if not result.created:
        messages.info(request, "This regrade was already applied: nothing changed.")
    else:
        after = result.regrade.after
        messages.success(request, f"Regraded: {regrade_summary(result.regrade)} {result.changed_responses} answer"
                                  f"{'s' if result.changed_responses != 1 else ''} changed, "
                                  f"{len(result.attempt_ids)} exam attempt{'s' if len(result.attempt_ids) != 1 else ''}"
                                  f" rescored; {after['right']} of {after['answers']} answers are now right.")
    return redirect(_item_url(question, request.POST))


@instructor_required
@require_POST
def regrade_undo_view(request: HttpRequest, regrade_id: int) -> HttpResponse:
    """Undo a regrade and recompute; back to where the instructor came from (item page or log)."""
    regrade = get_object_or_404(Regrade.objects.select_related("version__question"), pk=regrade_id)
    result = regrade_undo(regrade_id=regrade.pk, by=request.user, when=timezone.now())
    if result.created:
        messages.success(request, f"Undone: {regrade_summary(regrade)} {result.changed_responses} answer"
                                  f"{'s' if result.changed_responses != 1 else ''} changed back, "
                                  f"{len(result.attempt_ids)} exam attempt"
                                  f"{'s' if len(result.attempt_ids) != 1 else ''} rescored.")
    else:
        messages.info(request, "This regrade was already undone: nothing changed.")
    if request.POST.get("back") == "log":
        return redirect("instructor_regrades")
    return redirect(_item_url(regrade.version.question, request.POST))


@instructor_required
@require_GET
def regrades_page(request: HttpRequest) -> HttpResponse:
    """The audit log: every regrade, who added it and when, what it changed, and any undo."""
    page = Paginator(regrade_log(), REGRADES_PER_PAGE).get_page(request.GET.get("page"))
    for regrade in page:
        regrade.summary = regrade_summary(regrade)
    return render(request, "quizzes/instructor/regrades.html",
                  {"section": "regrades", "nav_query": "", "page": page})
