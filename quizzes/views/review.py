"""Spaced review: the questions a student got wrong (and, later, right) come back when due."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from ..models import Response
from ..selectors.presenting import question_view
from ..selectors.progress import due_count, has_reviewed, next_review_at
from ..selectors.questions import recent_mistakes
from ..services.responses import ALREADY_ANSWERED, AnswerRefused, response_answer
from ..services.spaced import review_current


@login_required
@require_http_methods(["GET"])
def review_question(request: HttpRequest) -> HttpResponse:
    """Show the next due question, or say when the next review is."""
    now = timezone.now()
    response = review_current(user=request.user, now=now)
    if response is None:
        return render(request, "quizzes/review/empty.html", {
            "next_at": next_review_at(request.user), "first": not has_reviewed(request.user),
            "mistakes": len(recent_mistakes(request.user)),
        })
    return _question_page(request, response, now=now)


def _question_page(request: HttpRequest, response: Response, *, now, refused: AnswerRefused | None = None):
    typed = refused.typed if refused is not None and refused.typed is not None else ""
    view = question_view(response.version, response.seed, chosen_position=None, reveal=False, typed=typed)
    return render(request, "quizzes/review/question.html", {
        "question": view, "response": response, "topic": response.question.topic,
        "due": due_count(request.user, now=now), "answer_error": refused.message if refused else "",
    }, status=refused.status if refused else 200)


@login_required
@require_POST
def review_answer(request: HttpRequest) -> HttpResponse:
    """Grade a review answer and reschedule the question."""
    try:
        response_id = int(request.POST.get("response", ""))
        response = response_answer(response_id=response_id, user=request.user, mode=Response.Mode.REVIEW,
                                   raw_choice=request.POST.get("choice"), when=timezone.now(),
                                   raw_number=request.POST.get("answer"))
    except (ValueError, Response.DoesNotExist):
        raise Http404("No such review question.") from None
    except AnswerRefused as refused:
        if refused.message == ALREADY_ANSWERED:  # e.g. Back, then submit again: show that answer
            messages.info(request, refused.message)
            return redirect("review_result", response_id)
        if refused.typed is not None:
            pending = get_object_or_404(Response.objects.select_related("version", "question__topic"),
                                        pk=response_id, user=request.user, mode=Response.Mode.REVIEW)
            return _question_page(request, pending, now=timezone.now(), refused=refused)
        return render(request, "quizzes/refused.html",
                      {"message": refused.message, "links": [(reverse("review"), "Back to review")]},
                      status=refused.status)
    return redirect("review_result", response.pk)


@login_required
@require_http_methods(["GET"])
def review_result(request: HttpRequest, response_id: int) -> HttpResponse:
    response = get_object_or_404(Response.objects.select_related("version", "question__topic"),
                                 pk=response_id, user=request.user, mode=Response.Mode.REVIEW,
                                 answered_at__isnull=False)
    view = question_view(response.version, response.seed, chosen_position=response.chosen_position, reveal=True,
                         typed=response.answer_text, misconception=response.misconception,
                         is_correct=response.is_correct)
    return render(request, "quizzes/practice/result.html", {
        "question": view, "response": response, "topic": response.question.topic,
        "next_url": reverse("review"), "next_label": "Next review",
    })
