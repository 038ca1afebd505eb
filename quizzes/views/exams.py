"""Timed practice exams: start, answer (saved as you go), flag, submit, results and review."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from ..models import Exam, ExamAttempt
from ..selectors import exams as exam_selectors
from ..selectors.presenting import question_view
from ..selectors.regrading import attach_regrade_notes
from ..services import exam_rules
from ..services import exams as exam_services
from ..services.responses import ATTEMPT_FINISHED, DEADLINE_PASSED, AnswerRefused

ATTEMPT_OVER = (ATTEMPT_FINISHED, DEADLINE_PASSED)
"""Refusals that mean the attempt is over: the student's next stop is the results."""


def exam_list(request: HttpRequest) -> HttpResponse:
    """List the practice exams, with resume links and best scores for a signed-in student."""
    return render(request, "quizzes/exams/list.html", {"rows": exam_selectors.exams_for(request.user)})


@require_http_methods(["GET"])
def exam_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """Describe an exam before starting it."""
    exam = get_object_or_404(Exam.objects.active(), slug=slug)
    attempt = exam_services.open_attempt(user=request.user, exam=exam) if request.user.is_authenticated else None
    return render(request, "quizzes/exams/detail.html", {"exam": exam, "open_attempt": attempt} | _rules(request, exam))


def _rules(request: HttpRequest, exam: Exam) -> dict:
    """Return the exam rules for the detail page: what applies to this student, and whether they may start."""
    now = timezone.now()
    rules = exam_rules.rules_for(user=request.user, exam=exam, when=now)
    return {"rules": rules, "refusal": rules.refusal(now)}


@login_required
@require_POST
def exam_start(request: HttpRequest, slug: str) -> HttpResponse:
    """Start the exam (or resume the open attempt) and go to its first question."""
    exam = get_object_or_404(Exam.objects.active(), slug=slug)
    try:
        attempt = exam_services.exam_start(user=request.user, exam=exam, when=timezone.now())
    except exam_services.ExamUnavailable as unavailable:
        return render(request, "quizzes/exams/detail.html",
                      {"exam": exam, "error": str(unavailable)}, status=409)
    except exam_rules.ExamRefused as refused:  # outside its window, or no attempts left
        return render(request, "quizzes/exams/detail.html",
                      {"exam": exam, "error": refused.message} | _rules(request, exam), status=refused.status)
    return redirect("attempt_question", attempt.pk, 1)


def _attempt(request: HttpRequest, attempt_id: int) -> ExamAttempt:
    """Return the signed-in student's own attempt, finishing it if its time is up (404 otherwise)."""
    attempt = exam_selectors.student_attempt(attempt_id=attempt_id, user_id=request.user.pk)
    if attempt is None:
        raise Http404("No such attempt of yours.")
    exam_services.attempt_expire_if_due(attempt, when=timezone.now())
    return attempt


@login_required
@require_http_methods(["GET"])
def attempt_question(request: HttpRequest, attempt_id: int, position: int) -> HttpResponse:
    """Show question ``position`` of an open attempt with navigation and the countdown."""
    attempt = _attempt(request, attempt_id)
    if not attempt.is_open:
        return redirect("attempt_result", attempt.pk)
    items = exam_selectors.attempt_nav(attempt)
    item = exam_selectors.attempt_item(attempt, position) if 1 <= position <= len(items) else None
    if item is None:
        raise Http404("No such question in this exam.")
    try:
        exam_rules.exam_item_open(attempt=attempt, position=position)
    except AnswerRefused as refused:  # one way: show the furthest question instead
        messages.warning(request, refused.message)
        return redirect("attempt_question", attempt.pk, attempt.furthest_position)
    exam_services.exam_item_viewed(item=item, when=timezone.now(),
                                   under_way=exam_selectors.visits_under_way(items))
    return _question_page(request, attempt, items, item)


def _question_page(request: HttpRequest, attempt: ExamAttempt, items: list, item,
                   refused: AnswerRefused | None = None) -> HttpResponse:
    """Render one exam question; a refused typed answer is given back to its field with the reason."""
    typed = refused.typed if refused is not None and refused.typed is not None else item.answer_text
    view = question_view(item.version, item.seed, chosen_position=item.chosen_position, reveal=False, typed=typed)
    remaining = max(0, int((attempt.deadline - timezone.now()).total_seconds()))
    position = item.position
    return render(request, "quizzes/exams/question.html", {
        "attempt": attempt, "items": items, "item": item, "question": view,
        "remaining_seconds": remaining, "remaining_text": f"{remaining // 60}:{remaining % 60:02d}",
        "previous": position - 1 if position > 1 and not attempt.one_way else None,
        "next": position + 1 if position < len(items) else None,
        "answer_error": refused.message if refused is not None else "",
    }, status=refused.status if refused is not None else 200)


def _refused(request: HttpRequest, attempt: ExamAttempt, refused: AnswerRefused) -> HttpResponse:
    if request.htmx:
        response = render(request, "quizzes/exams/saved.html", {"message": refused.message, "error": True},
                          status=refused.status)
        if refused.message in ATTEMPT_OVER:  # htmx swaps no 4xx body: send the page to the results
            response["HX-Redirect"] = reverse("attempt_result", args=[attempt.pk])
        return response
    attempt.refresh_from_db()
    link = ((reverse("attempt_question", args=[attempt.pk, 1]), "Back to the exam") if attempt.is_open
            else (reverse("attempt_result", args=[attempt.pk]), "See your results"))
    return render(request, "quizzes/refused.html", {"message": refused.message, "links": [link]},
                  status=refused.status)


@login_required
@require_POST
def attempt_answer(request: HttpRequest, attempt_id: int, position: int) -> HttpResponse:
    """Save the answer to one question (htmx: a small status; without JS: go to the next question)."""
    attempt = _attempt(request, attempt_id)
    try:
        item = exam_services.exam_answer(attempt_id=attempt.pk, position=position,
                                         raw_choice=request.POST.get("choice"), when=timezone.now(),
                                         raw_number=request.POST.get("answer"))
    except AnswerRefused as refused:
        if refused.typed is not None and not request.htmx:  # keep what was typed, say why beside it
            items = exam_selectors.attempt_items(attempt)
            return _question_page(request, attempt, items, items[position - 1], refused)
        return _refused(request, attempt, refused)
    if request.htmx:
        return render(request, "quizzes/exams/saved.html", {"attempt": attempt, "item": item})
    if request.POST.get("go") == "review":
        return redirect("attempt_submit", attempt.pk)
    following = position + 1 if position < attempt.total else position
    return redirect("attempt_question", attempt.pk, following)


@login_required
@require_POST
def attempt_flag(request: HttpRequest, attempt_id: int, position: int) -> HttpResponse:
    """Flag or unflag a question for review (htmx: the saved flag echoed; without JS: back to it)."""
    attempt = _attempt(request, attempt_id)
    try:
        item = exam_services.exam_flag(attempt_id=attempt.pk, position=position,
                                       flagged=request.POST.get("flagged") == "1", when=timezone.now())
    except AnswerRefused as refused:
        return _refused(request, attempt, refused)
    if request.htmx:
        return render(request, "quizzes/exams/flag_saved.html", {"attempt": attempt, "item": item})
    return redirect("attempt_question", attempt.pk, position)


@login_required
@require_http_methods(["GET", "POST"])
def attempt_submit(request: HttpRequest, attempt_id: int) -> HttpResponse:
    """GET: ask for confirmation (showing unanswered and flagged questions); POST: grade once."""
    attempt = _attempt(request, attempt_id)
    if request.method == "POST" or not attempt.is_open:
        exam_services.exam_finish(attempt_id=attempt.pk, when=timezone.now())
        return redirect("attempt_result", attempt.pk)
    items = exam_selectors.attempt_items(attempt)
    return render(request, "quizzes/exams/submit.html", {
        "attempt": attempt, "items": items,
        "unanswered": [i for i in items if i.answered_at is None],
        "flagged": [i for i in items if i.flagged],
    })


@login_required
@require_http_methods(["GET"])
def attempt_result(request: HttpRequest, attempt_id: int) -> HttpResponse:
    """Score, pass or fail, per-topic breakdown and every question reviewed as it was shown."""
    attempt = _attempt(request, attempt_id)
    if attempt.is_open:
        return redirect("attempt_question", attempt.pk, 1)
    items = exam_selectors.attempt_items(attempt)
    attach_regrade_notes(items)
    reviewed = [(item, question_view(item.version, item.seed, chosen_position=item.chosen_position, reveal=True,
                                     typed=item.answer_text, misconception=item.misconception,
                                     is_correct=item.is_correct))
                for item in items]
    return render(request, "quizzes/exams/result.html", {
        "attempt": attempt, "reviewed": reviewed, "breakdown": exam_selectors.topic_breakdown(items),
    })
