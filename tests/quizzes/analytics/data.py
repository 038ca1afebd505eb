"""A small fixed data set for the statistics, small enough to compute by hand.

Five students sit a three-question exam once each (question A at position 1, B at 2, C at 3):

    student   A  B  C   score  rest for A  rest for B  rest for C
    s1        1  1  1     3        2           2           2
    s2        1  1  0     2        1           1           2
    s3        1  0  1     2        1           2           1
    s4        0  1  0     1        1           0           1
    s5        1  0  0     1        0           1           1

Hand computations (sample statistics, divisor n - 1 = 4) that the tests check:

- facility: A 4/5 = 0.8, B 3/5 = 0.6, C 2/5 = 0.4.
- discrimination, 100 * r(item, rest), with Sxy = sum((x - mean x)(rest - mean rest)):
  A: Sxy = 0.2*1 + 0.2*0 + 0.2*0 - 0.8*0 + 0.2*(-1) = 0             -> DI = 0
  B: Sxy = -0.6, Sxx = 1.2, Srr = 2.8 -> r = -0.6 / sqrt(3.36) = -0.32733 -> DI = -32.733
  C: Sxy = 0.2,  Sxx = 1.2, Srr = 1.2 -> r = 0.2 / 1.2 = 0.16667     -> DI = 16.667
- fifths (attempts ranked by score, ties by attempt id: s4, s5, s2, s3, s1):
  A [0, 1, 1, 1, 1], B [1, 0, 1, 0, 1], C [0, 0, 0, 1, 1].
- exam: percentages 100, 66.67, 66.67, 33.33, 33.33 -> mean 60, median 66.67,
  SD = 100/3 * sqrt(2.8 / 4) = 27.889; item variances 0.2, 0.3, 0.3, total variance 0.7,
  Cronbach's alpha = 3/2 * (1 - 0.8 / 0.7) = -0.21429; pass mark 60 %: 3 of 5 pass.
- C (3 choices: source 0 right, 1 forgot-padding, 2 forgot-plus-one) is shown in a different
  order to each student; the sources picked are 0, 1, 0, 2, 1 -> shares 0.4, 0.4, 0.2.
  Its input_height is 6, 6, 8, 8, 10 -> facility 1/2, 1/2, 0/1 by value.
"""

from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.utils import timezone

from quizzes.models import Exam, ExamAttempt, Question, Response

pytestmark = pytest.mark.django_db

MATRIX = {"s1": (1, 1, 1), "s2": (1, 1, 0), "s3": (1, 0, 1), "s4": (0, 1, 0), "s5": (1, 0, 0)}
C_ORDERS = {"s1": [2, 0, 1], "s2": [0, 1, 2], "s3": [1, 2, 0], "s4": [1, 0, 2], "s5": [2, 1, 0]}
C_CHOSEN_SOURCE = {"s1": 0, "s2": 1, "s3": 0, "s4": 2, "s5": 1}
C_HEIGHT = {"s1": 6, "s2": 6, "s3": 8, "s4": 8, "s5": 10}
START = (timezone.now() - timedelta(days=3)).replace(hour=10, minute=0, second=0, microsecond=0)


def make_response(user, question: Question, *, right: bool, order: list[int] | None = None,
                  chosen_source: int | None = None, mode: str = Response.Mode.PRACTICE, shown=None,
                  seconds: float = 30, first: bool = True, attempt=None, position: int = 0,
                  params: dict | None = None, answered: bool = True) -> Response:
    """Create one graded response directly (the tests control every field)."""
    version = question.current_version
    count = len(version.data["choices"])
    order = order if order is not None else list(range(count))
    correct_source = next(i for i, c in enumerate(version.data["choices"]) if c["correct"])
    if chosen_source is None:
        chosen_source = correct_source if right else next(i for i in order if i != correct_source)
    shown = shown or START
    return Response.objects.create(
        user=user, question=question, version=version, mode=mode, seed=1, params=params or {},
        choice_order=order, choice_texts=[f"choice {i}" for i in order],
        correct_position=order.index(correct_source),
        chosen_position=order.index(chosen_source) if answered else None, is_correct=right,
        is_first_attempt=first, shown_at=shown, answered_at=shown + timedelta(seconds=seconds) if answered else None,
        exam_attempt=attempt, position=position,
    )


def make_exam(slug: str = "hand-exam", count: int = 3, pass_mark: int = 60) -> Exam:
    return Exam.objects.create(slug=slug, title=slug.replace("-", " ").title(), time_limit_minutes=30,
                               pass_mark=pass_mark, sections=[{"topics": ["convolution", "output-size"], "count": count}],
                               content_hash=slug, source_path=f"content/exams/{slug}.md")


def make_attempt(user, exam: Exam, items: list[tuple[Question, bool, dict]], *, started=None,
                 first: bool = True) -> ExamAttempt:
    """Create a finished attempt with ``items`` = (question, right, extra response fields) in order."""
    started = started or START
    score = sum(1 for _, right, _ in items if right)
    attempt = ExamAttempt.objects.create(
        user=user, exam=exam, started_at=started, deadline=started + timedelta(minutes=30),
        finished_at=started + timedelta(minutes=10), score=score, total=len(items),
        passed=100 * score >= exam.pass_mark * len(items))
    for position, (question, right, extra) in enumerate(items, start=1):
        make_response(user, question, right=right, mode=Response.Mode.EXAM, attempt=attempt, position=position,
                      shown=started, seconds=60 * position, first=first, **extra)
    return attempt


def build_hand(users_model) -> SimpleNamespace:
    """Create the five students' attempts of the module docstring (needs the ``synced`` bank); return them."""
    a = Question.objects.select_related("current_version").get(qid="conv-window-bias")
    b = Question.objects.select_related("current_version").get(qid="conv-window-bias-1")
    c = Question.objects.select_related("current_version").get(qid="output-size-padded")
    d = Question.objects.select_related("current_version").get(qid="conv-window-bias-2")
    exam = make_exam()
    users, attempts = {}, {}
    for n, (name, (xa, xb, xc)) in enumerate(MATRIX.items()):
        users[name] = users_model.objects.create_user(name, password="pw-long-enough-1")
        c_fields = {"order": C_ORDERS[name], "chosen_source": C_CHOSEN_SOURCE[name],
                    "params": {"input_height": C_HEIGHT[name], "input_width": 8, "kernel_size": 3, "stride": 1,
                               "padding": 2}}
        attempts[name] = make_attempt(users[name], exam, [(a, bool(xa), {"order": [1, 0]}), (b, bool(xb), {}),
                                                          (c, bool(xc), c_fields)],
                                      started=START + timedelta(minutes=n))
    return SimpleNamespace(a=a, b=b, c=c, d=d, exam=exam, users=users, attempts=attempts)


@pytest.fixture
def hand(synced, django_user_model):
    return build_hand(django_user_model)


def test_the_hand_data_set_is_what_the_docstring_says(hand):
    scores = {name: attempt.score for name, attempt in hand.attempts.items()}
    assert scores == {"s1": 3, "s2": 2, "s3": 2, "s4": 1, "s5": 1}
    c_picks = {r.user.username: r.choice_order[r.chosen_position]
               for r in Response.objects.filter(question=hand.c).select_related("user")}
    assert c_picks == C_CHOSEN_SOURCE
    assert Response.objects.filter(question=hand.a, is_correct=True).count() == 4
