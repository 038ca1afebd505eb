"""Practice: choose topics, answer one question at a time, see why, go on."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from cnncore.scenarios.params import SEED_LIMIT

from ..content.variants import ChoiceCollision, NumericCollision
from ..forms import PracticeFilterForm
from ..models import PracticeSession, QuestionVersion, Response
from ..selectors import practice as practice_selectors
from ..selectors.presenting import question_view, retry_view
from ..selectors.questions import published_questions, topics_with_counts
from ..selectors.variants import new_seed
from ..services import practice
from ..services.responses import (
    ALREADY_ANSWERED,
    MAX_TRIES,
    AnswerRefused,
    awaiting_retry,
    response_retry,
    response_reveal,
)

SESSION_KEY = "practice_session_id"
NOT_IN_PRACTICE = "No such question in your practice."
NEXT_LINKS = {"next_url": reverse_lazy("practice_question"), "variant_url": reverse_lazy("practice_variant")}


def _current_session(request: HttpRequest) -> PracticeSession | None:
    session_id = request.session.get(SESSION_KEY)
    if not isinstance(session_id, int):  # none yet, or a value this code never wrote
        return None
    return practice_selectors.student_session(session_id=session_id, user=request.user)


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


@login_required
@require_POST
def practice_mistakes(request: HttpRequest) -> HttpResponse:
    """Start practising the student's recent mistakes now (practice, not a review)."""
    try:
        session = practice.practice_start_mistakes(user=request.user)
    except practice.NoQuestions as empty:
        messages.info(request, str(empty))
        return redirect("practice")
    request.session[SESSION_KEY] = session.pk
    return redirect("practice_question")


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
            return _question_page(request, response=response, session=session)
        state = practice.AnonymousPractice.load(request.session)
        if state is None:
            return redirect("practice")
        version = _anonymous_version(state) if not state.is_answered else None
        if version is None:  # nothing shown yet, the last one answered, or its question deleted since
            state.show_next()
            state.save(request.session)
            version = _anonymous_version(state)
        return _anonymous_question_page(request, state, version)
    except practice.NoQuestions as empty:
        messages.warning(request, str(empty))
        return redirect("practice")


def _question_page(request: HttpRequest, *, response: Response, session: PracticeSession,
                   refused: AnswerRefused | None = None) -> HttpResponse:
    """Render a signed-in student's unanswered question (with a refused typed answer given back)."""
    typed = refused.typed if refused is not None and refused.typed is not None else ""
    view = question_view(response.version, response.seed, chosen_position=None, reveal=False, typed=typed)
    return render(request, "quizzes/practice/question.html",
                  {"question": view, "response": response, "score": practice_selectors.session_score(session.pk),
                   "topic": response.question.topic, "answer_error": refused.message if refused else "",
                   "share_url": _share_url(response.question.qid, response.seed)},
                  status=refused.status if refused else 200)


def _share_url(qid: str, seed: int) -> str:
    """Return the permalink of one practice variant (for sharing a problem with a tutor)."""
    return reverse("practice_permalink", args=[qid]) + f"?seed={seed}"


def _anonymous_question_page(request: HttpRequest, state: practice.AnonymousPractice, version: QuestionVersion,
                             refused: AnswerRefused | None = None) -> HttpResponse:
    typed = refused.typed if refused is not None and refused.typed is not None else ""
    view = question_view(version, state.shown["seed"], chosen_position=None, reveal=False, typed=typed)
    return render(request, "quizzes/practice/question.html",
                  {"question": view, "score": {"answered": state.answered, "correct": state.correct},
                   "topic": version.question.topic, "anonymous": True,
                   "answer_error": refused.message if refused else "",
                   "share_url": _share_url(version.question.qid, state.shown["seed"])},
                  status=refused.status if refused else 200)


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
                                                raw_choice=request.POST.get("choice"), when=now,
                                                raw_number=request.POST.get("answer"))
        except (ValueError, Response.DoesNotExist):
            raise Http404(NOT_IN_PRACTICE) from None
        except AnswerRefused as refused:
            if refused.typed is not None:  # a typed number that is not one: say so next to the field
                pending = session.responses.select_related("version", "question__topic").get(pk=response_id)
                return _question_page(request, response=pending, session=session, refused=refused)
            return _refused(request, refused, response_id)
        return redirect("practice_result", response.pk)
    state = practice.AnonymousPractice.load(request.session)
    version = _anonymous_version(state) if state is not None else None
    if state is None or version is None:
        return redirect("practice")
    try:
        state.answer(request.POST.get("choice"), request.POST.get("answer"), version=version, when=now)
    except AnswerRefused as refused:
        if refused.typed is not None:
            return _anonymous_question_page(request, state, version, refused)
        return _refused(request, refused, None)
    state.save(request.session)
    return redirect("practice_anonymous_result")


def _refused(request: HttpRequest, refused: AnswerRefused, response_id: int | None) -> HttpResponse:
    if refused.message == ALREADY_ANSWERED and response_id is not None:  # e.g. Back, then submit again
        messages.info(request, refused.message)
        return redirect("practice_result", response_id)
    links = [(reverse("practice_question"), "Back to the question")]
    return render(request, "quizzes/refused.html", {"message": refused.message, "links": links},
                  status=refused.status)


@require_http_methods(["GET"])
def practice_result(request: HttpRequest, response_id: int) -> HttpResponse:
    """Show a signed-in student's graded answer: feedback, explanation and lab link."""
    response = practice_selectors.answered_response(response_id=response_id, user=request.user) \
        if request.user.is_authenticated else None
    if response is None:
        raise Http404
    score = practice_selectors.session_score(response.practice_session_id) if response.practice_session_id else None
    context = {"response": response, "score": score, "topic": response.question.topic,
               "share_url": _share_url(response.question.qid, response.seed),
               "retry_url": reverse("practice_retry"), "reveal_url": reverse("practice_reveal")}
    if awaiting_retry(response):
        return _retry_page(request, response.version, response.seed, _tries_of(response), context)
    view = question_view(response.version, response.seed, chosen_position=response.chosen_position, reveal=True,
                         typed=response.answer_text, misconception=response.misconception,
                         is_correct=response.is_correct, tries=response.tries)
    return render(request, "quizzes/practice/result.html", {"question": view, **context, **NEXT_LINKS})


def _tries_of(response: Response) -> list[dict]:
    """Return every try of a practice response, first one first (``try_record``'s shape)."""
    first = {"position": response.chosen_position, "text": response.answer_text, "value": response.answer_value,
             "correct": bool(response.is_correct), "misconception": response.misconception}
    return [first, *response.tries]


def _retry_page(request: HttpRequest, version: QuestionVersion, seed: int, tries: list[dict], context: dict,
                refused: AnswerRefused | None = None) -> HttpResponse:
    """Render "not quite": the named mistake, a hint and the same variant to try again."""
    typed = refused.typed if refused is not None and refused.typed is not None else ""
    view = retry_view(version, seed, tries=tries, typed=typed)
    return render(request, "quizzes/practice/retry.html", {
        "question": view, "tries_left": MAX_TRIES - len(tries), "try_number": len(tries) + 1,
        "max_tries": MAX_TRIES, "answer_error": refused.message if refused else "", **context, **NEXT_LINKS,
    }, status=refused.status if refused else 200)


@require_http_methods(["GET"])
def practice_anonymous_result(request: HttpRequest) -> HttpResponse:
    """Show a visitor's graded answer (nothing is saved) and invite them to sign up."""
    state = practice.AnonymousPractice.load(request.session)
    if state is None or not state.is_answered:
        return redirect("practice")
    version = _anonymous_version(state)
    if version is None:  # the question was deleted since: go on to another
        return redirect("practice_question")
    context = {"score": {"answered": state.answered, "correct": state.correct},
               "topic": version.question.topic, "anonymous": True,
               "share_url": _share_url(version.question.qid, state.shown["seed"]),
               "retry_url": reverse("practice_retry"), "reveal_url": reverse("practice_reveal")}
    if state.awaiting_retry:
        return _retry_page(request, version, state.shown["seed"], state.tries, context)
    first = state.tries[0] if state.tries else {}
    view = question_view(version, state.shown["seed"], chosen_position=state.chosen_position, reveal=True,
                         typed=first.get("text", ""), misconception=first.get("misconception", ""),
                         is_correct=first.get("correct"), tries=state.tries[1:])
    return render(request, "quizzes/practice/result.html", {"question": view, **context, **NEXT_LINKS})


BAD_SEED = "The seed must be a whole number from 0 to 4294967295."
BAD_VARIANT = ("This variant cannot be shown (two of its answers coincide). "
               "Open the question without a seed for another.")


@require_http_methods(["GET"])
def practice_permalink(request: HttpRequest, qid: str) -> HttpResponse:
    """Open exactly one variant of a question in practice: ``/practice/q/<id>/?seed=<n>``.

    Without a seed, redirect to a fresh one (so the address can be shared). Exams never take a
    seed from the client: this only starts practice.
    """
    question = get_object_or_404(published_questions().select_related("current_version", "topic"), qid=qid)
    raw = request.GET.get("seed")
    if raw is None:
        return redirect(reverse("practice_permalink", args=[qid]) + f"?seed={new_seed()}")
    links = [(reverse("practice"), "Practice other questions")]
    seed = int(raw) if raw.strip().isdigit() and len(raw.strip()) <= 10 else -1
    if not 0 <= seed < SEED_LIMIT:
        return render(request, "quizzes/refused.html", {"message": BAD_SEED, "links": links}, status=400)
    try:
        if request.user.is_authenticated:
            session = _current_session(request)
            if session is None:
                session = practice.practice_start(user=request.user, topic_slugs=[], difficulty=None)
                request.session[SESSION_KEY] = session.pk
            practice.practice_show(session=session, question=question, seed=seed, when=timezone.now())
        else:
            state = practice.AnonymousPractice.load(request.session) or practice.AnonymousPractice()
            state.show_variant(question, seed)
            state.save(request.session)
    except (ChoiceCollision, NumericCollision):
        return render(request, "quizzes/refused.html", {"message": BAD_VARIANT, "links": links}, status=400)
    except AnswerRefused as refused:
        return render(request, "quizzes/refused.html", {"message": refused.message, "links": links},
                      status=refused.status)
    return redirect("practice_question")


def _own_practice_response_id(request: HttpRequest, session: PracticeSession | None) -> int:
    """Return the posted practice response id if it belongs to ``session``; raise Http404 otherwise."""
    try:
        response_id = int(request.POST.get("response", ""))
    except ValueError:
        response_id = None
    if session is None or response_id is None or not session.responses.filter(pk=response_id).exists():
        raise Http404(NOT_IN_PRACTICE)
    return response_id


@require_POST
def practice_retry(request: HttpRequest) -> HttpResponse:
    """Take another try at the practice question just answered wrong (same variant, not scored)."""
    now = timezone.now()
    if request.user.is_authenticated:
        session = _current_session(request)
        if session is None:
            return redirect("practice")
        response_id = _own_practice_response_id(request, session)
        try:
            response = response_retry(response_id=response_id, user=request.user, when=now,
                                      raw_choice=request.POST.get("choice"), raw_number=request.POST.get("answer"))
        except AnswerRefused as refused:
            if refused.typed is not None or refused.status == 400:
                answered = Response.objects.select_related("version", "question__topic", "practice_session") \
                    .get(pk=response_id)
                if awaiting_retry(answered):
                    context = {"response": answered, "score": practice_selectors.session_score(session.pk),
                               "topic": answered.question.topic,
                               "share_url": _share_url(answered.question.qid, answered.seed),
                               "retry_url": reverse("practice_retry"), "reveal_url": reverse("practice_reveal")}
                    return _retry_page(request, answered.version, answered.seed, _tries_of(answered), context,
                                       refused)
            return _refused(request, refused, response_id)
        return redirect("practice_result", response.pk)
    state = practice.AnonymousPractice.load(request.session)
    version = _anonymous_version(state) if state is not None else None
    if state is None or version is None:
        return redirect("practice")
    try:
        state.retry(request.POST.get("choice"), request.POST.get("answer"), version=version, when=now)
    except AnswerRefused as refused:
        if refused.status == 400 and state.awaiting_retry:
            context = {"score": {"answered": state.answered, "correct": state.correct},
                       "topic": version.question.topic, "anonymous": True,
                       "share_url": _share_url(version.question.qid, state.shown["seed"]),
                       "retry_url": reverse("practice_retry"), "reveal_url": reverse("practice_reveal")}
            return _retry_page(request, version, state.shown["seed"], state.tries, context, refused)
        return _refused(request, refused, None)
    state.save(request.session)
    return redirect("practice_anonymous_result")


@require_POST
def practice_reveal(request: HttpRequest) -> HttpResponse:
    """Show the answer of the practice question being tried, without another try."""
    now = timezone.now()
    if request.user.is_authenticated:
        response_id = _own_practice_response_id(request, _current_session(request))
        try:
            response_reveal(response_id=response_id, user=request.user, when=now)
        except AnswerRefused as refused:
            return _refused(request, refused, response_id)
        return redirect("practice_result", response_id)
    state = practice.AnonymousPractice.load(request.session)
    if state is None or not state.is_answered:
        return redirect("practice")
    state.revealed = True
    state.save(request.session)
    return redirect("practice_anonymous_result")


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

