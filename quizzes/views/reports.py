"""Question reports: a student reports a problem after answering; instructors read and resolve them.

Thin views over ``services.reports`` (who may report, rate limit, storing) and
``selectors.reports`` (the queue). Every instructor view is staff only, as the dashboards.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from ..forms import QuestionReportForm, ReportResolveForm
from ..models import Question, QuestionReport
from ..selectors.presenting import question_view
from ..selectors.reports import OPEN, STATUSES, answered_page_url, report_queue
from ..services import reports as report_services
from .instructor import filters, instructor_page

REPORTS_PER_PAGE = 50
REPORT_SENT = "Thank you: your report was sent to the instructors."
TEMPLATES = "quizzes/instructor/"


@login_required
@require_http_methods(["GET", "POST"])
def report_problem(request: HttpRequest, response_id: int) -> HttpResponse:
    """A student reports a problem with a question they answered (their own final answers only: else 404)."""
    response = report_services.reportable_response(request.user, response_id)
    if response is None:
        raise Http404("No answer of yours to report.")
    back = answered_page_url(response)
    form = QuestionReportForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                report_services.report_create(user=request.user, response=response, kind=form.cleaned_data["kind"],
                                              text=form.cleaned_data["text"], when=timezone.now())
            except report_services.RateLimited as limited:
                form.add_error(None, limited.message)
                status = 429
            else:
                messages.success(request, REPORT_SENT)
                return redirect(back)
        else:
            status = 400
    sent = response.reports.filter(user=request.user).order_by("-created_at")
    return render(request, "quizzes/reports/report.html", {
        "form": form, "answer": response, "back": back, "sent": sent,
        "shown": question_view(response.version, response.seed, chosen_position=response.chosen_position,
                               reveal=True),
    }, status=status)


@instructor_page
@require_http_methods(["GET"])
def reports_page(request: HttpRequest) -> HttpResponse:
    """The instructors' queue: open (default), resolved or all reports, of one question with ``?question=``."""
    found = filters(request)
    status = request.GET.get("status", OPEN)
    if status not in STATUSES:
        status = OPEN
    question = None
    if request.GET.get("question"):
        question = get_object_or_404(Question, qid=request.GET["question"])
    reports = report_queue(found.scope, status=status, question_id=question.pk if question else None)
    page = Paginator(reports, REPORTS_PER_PAGE).get_page(request.GET.get("page"))
    keep = ({"question": question.qid} if question else {}) | ({"cohort": found.scope.cohort.pk}
                                                                if found.scope.cohort else {})
    return render(request, TEMPLATES + "reports.html", found.context("reports") | {
        "page": page, "status": status, "statuses": STATUSES, "question": question,
        "keep_query": urlencode(keep), "page_query": urlencode(keep | {"status": status}),
    })


def _report_page(request: HttpRequest, report: QuestionReport, form: ReportResolveForm, *, status: int = 200):
    found = filters(request)
    shown = question_view(report.version, report.seed, chosen_position=report.response.chosen_position, reveal=True)
    others = (QuestionReport.objects.filter(question=report.question, resolved_at__isnull=True)
              .exclude(pk=report.pk).count())
    return render(request, TEMPLATES + "report.html", found.context("reports") | {
        "report": report, "question": shown, "resolve_form": form, "other_open": others,
    }, status=status)


def _report(report_id: int) -> QuestionReport:
    return get_object_or_404(QuestionReport.objects.select_related(
        "user", "question__topic", "version", "response", "resolved_by"), pk=report_id)


@instructor_page
@require_http_methods(["GET"])
def report_page(request: HttpRequest, report_id: int) -> HttpResponse:
    """One report: the question exactly as the student saw it, their text, and resolving it."""
    report = _report(report_id)
    return _report_page(request, report, ReportResolveForm(initial={"note": report.resolution_note}))


@instructor_page
@require_POST
def report_resolve(request: HttpRequest, report_id: int) -> HttpResponse:
    """Resolve a report with a note (staff only); a note too long is a form error (400)."""
    report = _report(report_id)
    form = ReportResolveForm(request.POST)
    if not form.is_valid():
        return _report_page(request, report, form, status=400)
    report_services.report_resolve(report=report, by=request.user, note=form.cleaned_data["note"],
                                   when=timezone.now())
    messages.success(request, f"Report #{report.pk} resolved.")
    return redirect(reverse("instructor_reports") + "?" + urlencode({"status": OPEN}))


@instructor_page
@require_POST
def report_reopen(request: HttpRequest, report_id: int) -> HttpResponse:
    """Open a resolved report again (staff only)."""
    report = _report(report_id)
    report_services.report_reopen(report=report)
    messages.success(request, f"Report #{report.pk} is open again.")
    return redirect(reverse("instructor_report", args=[report.pk]))

