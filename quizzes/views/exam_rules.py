"""Instructor pages for exam rules (staff only): windows, attempts, one way, accommodations,
and ending or extending a student's open attempt. Every change is a POST (with CSRF)."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from ..instructor_forms import AccommodationForm, ExamRulesForm, ExamWindowForm, ExtendForm
from ..models import Accommodation, Exam, ExamAttempt, ExamRules
from ..roles import instructor_required
from ..services import exam_settings
from ..services.attempt_control import ControlRefused, attempt_end, attempt_extend

TEMPLATES = "quizzes/instructor/"


def _rules_page(request: HttpRequest, exam: Exam, *, rules_form=None, window_form=None, status=200) -> HttpResponse:
    rules = ExamRules.objects.filter(exam=exam).first()
    now = timezone.now()
    open_attempts = (ExamAttempt.objects.filter(exam=exam, finished_at__isnull=True, deadline__gt=now)
                     .select_related("user").order_by("deadline")
                     .annotate(answered=Count("responses", filter=Q(responses__answered_at__isnull=False))))
    return render(request, TEMPLATES + "exam_rules.html", {
        "section": "exams", "nav_query": "", "exam": exam, "now": now,
        "rules_form": rules_form or ExamRulesForm(instance=rules, prefix="rules"),
        "window_form": window_form or ExamWindowForm(exam=exam, prefix="window"),
        "windows": exam.windows.select_related("cohort").order_by("cohort__name"),
        "accommodations": (Accommodation.objects.filter(Q(exam=exam) | Q(exam__isnull=True))
                           .select_related("user", "exam")),
        "open_attempts": open_attempts, "extend_form": ExtendForm(),
    }, status=status)


@instructor_required
@require_http_methods(["GET", "POST"])
def exam_rules_page(request: HttpRequest, slug: str) -> HttpResponse:
    """GET: the exam's rules, windows and open attempts; POST: save attempts and one way."""
    exam = get_object_or_404(Exam, slug=slug)
    if request.method == "GET":
        return _rules_page(request, exam)
    form = ExamRulesForm(request.POST, instance=ExamRules.objects.filter(exam=exam).first(), prefix="rules")
    if not form.is_valid():
        return _rules_page(request, exam, rules_form=form, status=400)
    exam_settings.rules_save(exam=exam, max_attempts=form.cleaned_data["max_attempts"],
                             one_way=form.cleaned_data["one_way"], by=request.user)
    messages.success(request, "Rules saved. Attempts already started keep the navigation they started with.")
    return redirect("instructor_exam_rules", exam.slug)


@instructor_required
@require_POST
def window_add(request: HttpRequest, slug: str) -> HttpResponse:
    """Add an open/close window for a cohort (or everyone else)."""
    exam = get_object_or_404(Exam, slug=slug)
    form = ExamWindowForm(request.POST, exam=exam, prefix="window")
    if not form.is_valid():
        return _rules_page(request, exam, window_form=form, status=400)
    exam_settings.window_add(exam=exam, **{k: form.cleaned_data[k] for k in ("cohort", "opens_at", "closes_at")})
    messages.success(request, "Window added.")
    return redirect("instructor_exam_rules", exam.slug)


@instructor_required
@require_POST
def window_delete(request: HttpRequest, slug: str, window_id: int) -> HttpResponse:
    exam = get_object_or_404(Exam, slug=slug)
    if exam_settings.window_delete(exam=exam, window_id=window_id):
        messages.success(request, "Window deleted.")
    return redirect("instructor_exam_rules", exam.slug)


@instructor_required
@require_POST
def attempt_extend_view(request: HttpRequest, attempt_id: int) -> HttpResponse:
    """Give an open attempt more minutes."""
    attempt = get_object_or_404(ExamAttempt.objects.select_related("exam", "user"), pk=attempt_id)
    form = ExtendForm(request.POST)
    try:
        if not form.is_valid():
            raise ControlRefused("; ".join(form.errors["minutes"]))
        attempt_extend(attempt_id=attempt.pk, minutes=form.cleaned_data["minutes"], by=request.user,
                       when=timezone.now())
    except ControlRefused as refused:
        messages.error(request, refused.message)
        return redirect("instructor_exam_rules", attempt.exam.slug)
    messages.success(request, f"{attempt.user.get_username()} has {form.cleaned_data['minutes']} more minutes.")
    return redirect("instructor_exam_rules", attempt.exam.slug)


@instructor_required
@require_POST
def attempt_end_view(request: HttpRequest, attempt_id: int) -> HttpResponse:
    """Finish and grade an open attempt now."""
    attempt = get_object_or_404(ExamAttempt.objects.select_related("exam", "user"), pk=attempt_id)
    try:
        attempt_end(attempt_id=attempt.pk, by=request.user, when=timezone.now())
    except ControlRefused as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, f"{attempt.user.get_username()}'s attempt was ended and graded.")
    return redirect("instructor_exam_rules", attempt.exam.slug)


@instructor_required
@require_http_methods(["GET", "POST"])
def accommodations_page(request: HttpRequest) -> HttpResponse:
    """GET: every student's extra time; POST: give (or change) a student's extra time."""
    form = AccommodationForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            exam_settings.accommodation_save(user=data["username"], exam=data["exam"],
                                             time_multiplier=data["time_multiplier"],
                                             extra_minutes=data["extra_minutes"], note=data["note"])
            messages.success(request, f"Extra time saved for {data['username'].get_username()}.")
            return redirect("instructor_accommodations")
        status = 400
    return render(request, TEMPLATES + "accommodations.html", {
        "section": "accommodations", "nav_query": "", "form": form,
        "accommodations": Accommodation.objects.select_related("user", "exam"),
    }, status=status)


@instructor_required
@require_POST
def accommodation_delete(request: HttpRequest, accommodation_id: int) -> HttpResponse:
    if exam_settings.accommodation_delete(accommodation_id=accommodation_id):
        messages.success(request, "Extra time removed.")
    return redirect("instructor_accommodations")
