"""Instructor dashboards (staff only): thin views over ``quizzes.analytics``.

Every page reads its filter from the query string (``?cohort=`` on all of them, ``?attempts=``
and ``?exam=`` where they apply) and keeps the cohort in its links. A filter that does not
validate (an unknown cohort) answers 400 with the form's errors, never another cohort's data.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import wraps
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from ..analytics import exports
from ..analytics.distractors import distractor_table
from ..analytics.exam_stats import exam_statistics
from ..analytics.items import MIN_RESPONSES_TO_FLAG, MIN_RESPONSES_TO_JUDGE, item_stats, needs_attention
from ..analytics.overview import overview
from ..analytics.parameters import facility_by_parameter
from ..analytics.quintiles import quintile_means
from ..analytics.scope import ALL, Scope
from ..analytics.students import TOPIC_SORT_PREFIX, student_rows
from ..charts import Bar, bar_chart_svg, histogram_svg
from ..forms import CohortImportForm, InstructorFilterForm
from ..models import Cohort, Exam, Question, Topic
from ..roles import instructor_required
from ..selectors import progress
from ..selectors.as_written import with_as_written
from ..services.cohorts import NameTaken, UnknownUsernames, cohort_import
from ..services.overdue import grade_overdue_attempts

STUDENTS_PER_PAGE = 50
TEMPLATES = "quizzes/instructor/"


class BadFilter(Exception):
    def __init__(self, form: InstructorFilterForm) -> None:
        self.form = form


@dataclass(frozen=True)
class Filters:
    """A page's validated filter: the scope and the query strings its links keep."""

    form: InstructorFilterForm
    scope: Scope
    nav_query: str
    query: str

    def context(self, section: str) -> dict:
        return {"filter_form": self.form, "scope": self.scope, "cohort": self.scope.cohort,
                "nav_query": self.nav_query, "query": self.query, "section": section}


def filters(request: HttpRequest, fields=("cohort",), *, first_only: bool = True) -> Filters:
    """Return the page's filter from the query string; raise ``BadFilter`` if it does not validate."""
    form = InstructorFilterForm(request.GET, fields=fields)
    if not form.is_valid():
        raise BadFilter(form)
    data = form.cleaned_data
    cohort, exam = data.get("cohort"), data.get("exam")
    if data.get("attempts"):
        first_only = data["attempts"] != ALL
    kept = {"cohort": cohort.pk} if cohort else {}
    query = kept | ({"attempts": data["attempts"]} if data.get("attempts") else {}) | (
        {"exam": exam.slug} if exam else {})
    return Filters(form, Scope(cohort=cohort, first_only=first_only, exam=exam), urlencode(kept), urlencode(query))


def instructor_page(view):
    """Staff only (anonymous: log in; others: 403); a filter that does not validate answers 400.

    Overdue exam attempts are graded first, so every page and export counts them.
    """

    @instructor_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        grade_overdue_attempts(when=timezone.now())  # one indexed query when nothing is overdue
        try:
            return view(request, *args, **kwargs)
        except BadFilter as bad:
            return render(request, TEMPLATES + "bad_filter.html",
                          {"filter_form": bad.form, "nav_query": "", "query": ""}, status=400)

    return wrapped


@instructor_page
@require_GET
def overview_page(request: HttpRequest) -> HttpResponse:
    """Active students, answers per day, topics weakest first, exams and pass rates."""
    found = filters(request)
    now = timezone.now()
    summary = overview(Scope(cohort=found.scope.cohort, first_only=False), now=now, today=timezone.localdate(now))
    chart = bar_chart_svg(
        [Bar(day.strftime("%d %b"), n, right) for day, n, right in summary.answers_per_day],
        title=f"Answers per day over the last {len(summary.answers_per_day)} days (right ones highlighted)",
    )
    return render(request, TEMPLATES + "overview.html", found.context("overview") | {
        "overview": summary, "chart": chart, "answers_total": sum(n for _, n, _ in summary.answers_per_day),
    })


def _columns(current: str, topics) -> list[dict]:
    """Return the student table's header cells: each links to its sort key, reversed if already sorted by it."""
    columns = [("username", "Student", ""), ("last_active", "Last active", ""), ("answered", "Answered", "num"),
               ("right", "Right", "num")]
    columns += [(TOPIC_SORT_PREFIX + topic.slug, topic.title, "vertical") for topic in topics]
    columns += [("exams", "Exams", "num"), ("best", "Best exam", "num")]
    return [{"key": key, "label": label, "css": css, "link": f"-{key}" if current == key else key,
             "aria": "ascending" if current == key else "descending" if current == f"-{key}" else ""}
            for key, label, css in columns]


@instructor_page
@require_GET
def students_page(request: HttpRequest) -> HttpResponse:
    """The student table, sorted on the server by ``?sort=`` (``-`` for descending), 50 a page."""
    found = filters(request)
    rows, sort = student_rows(found.scope, sort=request.GET.get("sort", "username"))
    page = Paginator(rows, STUDENTS_PER_PAGE).get_page(request.GET.get("page"))
    topics = list(Topic.objects.order_by("order"))
    return render(request, TEMPLATES + "students.html", found.context("students") | {
        "page": page, "sort": sort, "columns": _columns(sort, topics), "topics": topics,
        "sort_query": urlencode({"sort": sort}), "recent": progress.RECENT_ANSWERS_PER_TOPIC,
    })


@instructor_page
@require_GET
def student_page(request: HttpRequest, user_id: int) -> HttpResponse:
    """One student: exam attempts, mastery per topic, activity over the last 30 days."""
    found = filters(request)
    student = get_object_or_404(get_user_model(), pk=user_id)
    now = timezone.now()
    mastery = progress.mastery_by_topic(student)
    activity = progress.activity_by_day(student, today=timezone.localdate(now))
    chart = bar_chart_svg([Bar(day.strftime("%d %b"), n, right) for day, n, right in activity],
                          title=f"{student.get_username()}: answers per day over the last {len(activity)} days")
    return render(request, TEMPLATES + "student.html", found.context("students") | {
        "student": student, "mastery": mastery, "weakest": progress.weakest_topics(mastery), "chart": chart,
        "activity_total": sum(n for _, n, _ in activity), "attempts": progress.exam_history(student),
        "cohorts": student.cohorts.order_by("name"), "recent": progress.RECENT_ANSWERS_PER_TOPIC,
    })


@instructor_page
@require_GET
def items_page(request: HttpRequest) -> HttpResponse:
    """Item analysis of every question, with the list of those that need attention."""
    found = filters(request, ("cohort", "attempts", "exam"))
    stats = item_stats(found.scope, min_responses=MIN_RESPONSES_TO_FLAG)
    return render(request, TEMPLATES + "items.html", found.context("items") | {
        "items": stats, "attention": needs_attention(stats), "min_responses": MIN_RESPONSES_TO_FLAG,
        "min_judge": MIN_RESPONSES_TO_JUDGE,
    })


@instructor_page
@require_GET
def item_page(request: HttpRequest, qid: str) -> HttpResponse:
    """One question's analysis: statistics, fifths, distractors, facility by parameter."""
    found = filters(request, ("cohort", "attempts", "exam"))
    question = get_object_or_404(Question.objects.select_related("topic", "current_version"), qid=qid)
    item = item_stats(found.scope, questions=Question.objects.filter(pk=question.pk),
                      min_responses=MIN_RESPONSES_TO_FLAG)[0]
    return render(request, TEMPLATES + "item.html", found.context("items") | {
        "question": question, "item": item, "min_responses": MIN_RESPONSES_TO_FLAG, "min_judge": MIN_RESPONSES_TO_JUDGE,
        "preview_relpath": question.source_path.partition("/")[2] if request.user.is_staff else "",
        "fifths": quintile_means(found.scope, [question.pk]).get(question.pk),
        "distractors": with_as_written(distractor_table(found.scope, question)),
        "parameters": facility_by_parameter(found.scope, question) if question.is_parameterised else [],
    })


@instructor_page
@require_GET
def exams_page(request: HttpRequest) -> HttpResponse:
    """Every exam's score statistics."""
    found = filters(request, ("cohort", "attempts"))
    exams = Exam.objects.active().order_by("title")
    return render(request, TEMPLATES + "exams.html", found.context("exams") | {
        "stats": [exam_statistics(found.scope, exam) for exam in exams],
    })


@instructor_page
@require_GET
def exam_page(request: HttpRequest, slug: str) -> HttpResponse:
    """One exam: the score distribution as a histogram, mean, median, SD and Cronbach's alpha."""
    found = filters(request, ("cohort", "attempts"))
    exam = get_object_or_404(Exam, slug=slug)
    stats = exam_statistics(found.scope, exam)
    chart = histogram_svg(stats.histogram, title=f"{exam.title}: scores of {stats.attempts} attempts",
                          axis_label="score (%)")
    item_query = urlencode({"exam": exam.slug} | ({"cohort": found.scope.cohort.pk} if found.scope.cohort else {})
                           | ({} if found.scope.first_only else {"attempts": ALL}))
    return render(request, TEMPLATES + "exam.html", found.context("exams") | {
        "exam": exam, "stats": stats, "chart": chart, "item_query": item_query,
    })


@instructor_page
@require_http_methods(["GET", "POST"])
def cohorts_page(request: HttpRequest) -> HttpResponse:
    """List the cohorts and add students to one from an uploaded list of usernames."""
    found = filters(request)
    form = CohortImportForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                report = cohort_import(usernames=form.cleaned_data["file"], cohort=form.cleaned_data["cohort"],
                                       new_name=form.cleaned_data["new_name"], created_by=request.user)
            except UnknownUsernames as unknown:
                form.add_error("file", unknown.message)
            except NameTaken as taken:
                form.add_error("new_name", taken.message)
            else:
                messages.success(request, report.summary)
                return redirect(reverse("instructor_cohorts") + f"?{urlencode({'cohort': report.cohort.pk})}")
        status = 400
    cohorts = Cohort.objects.annotate(size=Count("members")).select_related("created_by").order_by("name")
    return render(request, TEMPLATES + "cohorts.html",
                  found.context("cohorts") | {"cohorts": cohorts, "import_form": form}, status=status)


@instructor_page
@require_GET
def export_exam_results(request: HttpRequest) -> HttpResponse:
    """CSV: one row per finished exam attempt (all attempts unless ``?attempts=first``)."""
    found = filters(request, ("cohort", "attempts", "exam"), first_only=False)
    return exports.csv_response("exam-results", exports.EXAM_RESULTS_HEADER, exports.exam_result_rows(found.scope),
                                scope=found.scope, today=timezone.localdate())


@instructor_page
@require_GET
def export_progress(request: HttpRequest) -> HttpResponse:
    """CSV: one row per student with answers, mastery per topic and exam results."""
    found = filters(request)
    return exports.csv_response("student-progress", exports.progress_header(), exports.progress_rows(found.scope),
                                scope=found.scope, today=timezone.localdate())


@instructor_page
@require_GET
def export_items(request: HttpRequest) -> HttpResponse:
    """CSV: one row per question with its item statistics (first attempts unless ``?attempts=all``)."""
    found = filters(request, ("cohort", "attempts", "exam"))
    return exports.csv_response("item-statistics", exports.ITEMS_HEADER, exports.item_rows(found.scope),
                                scope=found.scope, today=timezone.localdate())
