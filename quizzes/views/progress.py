"""A student's progress page."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from ..charts import Bar, bar_chart_svg
from ..selectors import progress
from ..selectors.mistakes import repeated_mistakes


@login_required
def progress_page(request: HttpRequest) -> HttpResponse:
    """Mastery per topic, activity over time, exam history and the weakest topics."""
    now = timezone.now()
    mastery = progress.mastery_by_topic(request.user)
    activity = progress.activity_by_day(request.user, today=timezone.localdate(now))
    chart = bar_chart_svg(
        [Bar(day.strftime("%d %b"), answers, correct) for day, answers, correct in activity],
        title=f"Answers per day over the last {len(activity)} days (correct ones highlighted)",
    )
    return render(request, "quizzes/progress.html", {
        "mastery": mastery, "weakest": progress.weakest_topics(mastery), "activity_chart": chart,
        "activity_total": sum(answers for _, answers, _ in activity),
        "attempts": progress.exam_history(request.user), "due": progress.due_count(request.user, now=now),
        "mistakes": repeated_mistakes(request.user),
    })
