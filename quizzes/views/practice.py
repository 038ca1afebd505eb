"""Practice: choose topics, answer one question at a time, see why, go on."""

from django.contrib import messages
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from ..forms import PracticeFilterForm
from ..models import PracticeSession, QuestionVersion, Response
from ..selectors.presenting import question_view
from ..selectors.questions import topics_with_counts
from ..services import practice
from ..services.responses import AnswerRefused

SESSION_KEY = "practice_session_id"
NEXT_LINKS = {"next_url": reverse_lazy("practice_question"), "variant_url": reverse_lazy("practice_variant")}


def _current_session(request: HttpRequest) -> PracticeSession | None:
    session_id = request.session.get(SESSION_KEY)
    if not isinstance(session_id, int):  # none yet, or a value this code never wrote
        return None
    session = PracticeSession.objects.filter(pk=session_id, user=request.user).first()
    if session is not None:
        session.user = request.user  # already loaded: spare the query
    return session


def _score(session: PracticeSession) -> dict:
    """Return the session's answered and correct counts (one query)."""
    return session.responses.filter(answered_at__isnull=False).aggregate(
        answered=Count("pk"), correct=Count("pk", filter=Q(is_correct=True)))


@require_http_methods(["GET", "POST"])
def practice_home(request: HttpRequest) -> HttpResponse:
    """Choose topics and difficulty, then start."""
    topics = list(topics_with_counts())
    form = PracticeFilterForm(request.POST or None, topics=topics,
                              initial={"topics": request.GET.getlist("topics")})
    if request.method == "POST" and form.is_valid():
        slugs, difficulty = form.cleaned_data["topics"], form.cleaned_data["difficulty"]
        if request.user.is_authenticated:
            session = practice.practice_start(user=request.user, topic_slugs=slugs, difficulty=difficulty)
            request.session[SESSION_KEY] = session.pk
        else:
            practice.AnonymousPractice(topic_slugs=slugs, difficulty=difficulty).save(request.session)
        return redirect("practice_question")
    return render(request, "quizzes/practice/home.html", {"form": form, "topics": topics})


@require_http_methods(["GET"])
def practice_question(request: HttpRequest) -> HttpResponse:
    """Show the current question of the practice run (a new one if the last was answered)."""
    now = timezone.now()
    try:
        if request.user.is_authenticated:
            session = _current_session(request)
            if session is None:
                return redirect("practice")
            response = practice.practice_current(session=session, when=now)
            if response.answered_at is not None:
                return redirect("practice_result", response.pk)
            view = question_view(response.version, response.seed, chosen_position=None, reveal=False)
            return render(request, "quizzes/practice/question.html",
                          {"question": view, "response": response, "score": _score(session),
                           "topic": response.question.topic})
        state = practice.AnonymousPractice.load(request.session)
        if state is None:
            return redirect("practice")
        version = _anonymous_version(state) if state.chosen_position is None else None
        if version is None:  # nothing shown yet, the last one answered, or its question deleted since
            state.show_next()
            state.save(request.session)
            version = _anonymous_version(state)
        view = question_view(version, state.shown["seed"], chosen_position=None, reveal=False)
        return render(request, "quizzes/practice/question.html",
                      {"question": view, "score": {"answered": state.answered, "correct": state.correct},
                       "topic": version.question.topic, "anonymous": True})
    except practice.NoQuestions as empty:
        messages.warning(request, str(empty))
        return redirect("practice")


def _anonymous_version(state: practice.AnonymousPractice) -> QuestionVersion | None:
    """Return the version of the visitor's shown question (None if none is shown or it is gone)."""
    if state.shown is None:
        return None
    return QuestionVersion.objects.select_related("question__topic").filter(pk=state.shown["version_id"]).first()


@require_POST
def practice_answer(request: HttpRequest) -> HttpResponse:
    """Grade the chosen answer, then show the result (refusals: a 4xx with the reason)."""
    now = timezone.now()
    if request.user.is_authenticated:
        session = _current_session(request)
        if session is None:
            return redirect("practice")
        try:
            response_id = int(request.POST.get("response", ""))
            response = practice.practice_answer(session=session, response_id=response_id,
                                                raw_choice=request.POST.get("choice"), when=now)
        except (ValueError, Response.DoesNotExist):
            raise Http404("No such question in your practice.") from None
        except AnswerRefused as refused:
            return _refused(request, refused, response_id)
        return redirect("practice_result", response.pk)
    state = practice.AnonymousPractice.load(request.session)
    if state is None:
        return redirect("practice")
    try:
        state.answer(request.POST.get("choice"))
    except AnswerRefused as refused:
        return _refused(request, refused, None)
    state.save(request.session)
    return redirect("practice_anonymous_result")


def _refused(request: HttpRequest, refused: AnswerRefused, response_id: int | None) -> HttpResponse:
    links = [(reverse("practice_question"), "Back to the question")]
    if refused.status == 409 and response_id is not None:
        links.insert(0, (reverse("practice_result", args=[response_id]), "See your answer"))
    return render(request, "quizzes/refused.html", {"message": refused.message, "links": links},
                  status=refused.status)


@require_http_methods(["GET"])
def practice_result(request: HttpRequest, response_id: int) -> HttpResponse:
    """Show a signed-in student's graded answer: feedback, explanation and lab link."""
    response = get_object_or_404(
        Response.objects.select_related("version", "question__topic", "practice_session"),
        pk=response_id, user=request.user, mode=Response.Mode.PRACTICE, answered_at__isnull=False,
    ) if request.user.is_authenticated else None
    if response is None:
        raise Http404
    view = question_view(response.version, response.seed, chosen_position=response.chosen_position, reveal=True)
    score = _score(response.practice_session) if response.practice_session else None
    return render(request, "quizzes/practice/result.html",
                  {"question": view, "response": response, "score": score, "topic": response.question.topic,
                   **NEXT_LINKS})


@require_http_methods(["GET"])
def practice_anonymous_result(request: HttpRequest) -> HttpResponse:
    """Show a visitor's graded answer (nothing is saved) and invite them to sign up."""
    state = practice.AnonymousPractice.load(request.session)
    if state is None or state.chosen_position is None:
        return redirect("practice")
    version = _anonymous_version(state)
    if version is None:  # the question was deleted since: go on to another
        return redirect("practice_question")
    view = question_view(version, state.shown["seed"], chosen_position=state.chosen_position, reveal=True)
    return render(request, "quizzes/practice/result.html",
                  {"question": view, "score": {"answered": state.answered, "correct": state.correct},
                   "topic": version.question.topic, "anonymous": True, **NEXT_LINKS})


@require_POST
def practice_variant(request: HttpRequest) -> HttpResponse:
    """Show a new variant of the question just answered (parameterised questions)."""
    now = timezone.now()
    if request.user.is_authenticated:
        session = _current_session(request)
        answered = session and session.responses.filter(answered_at__isnull=False).order_by("-answered_at").first()
        if not answered:
            return redirect("practice")
        practice.practice_next(session=session, when=now, same_question=answered.question)
        return redirect("practice_question")
    state = practice.AnonymousPractice.load(request.session)
    if state is None:
        return redirect("practice")
    try:
        state.show_next(same=True)
    except practice.NoQuestions as empty:
        messages.warning(request, str(empty))
        return redirect("practice")
    state.save(request.session)
    return redirect("practice_question")

