"""The student table: one row per student in scope, sortable on the server.

Per student: last active (latest answer), questions answered and the share right, mastery per
topic and exam results (finished attempts, passed, best percentage). Mastery is what the student
sees on their own progress page (``selectors.progress.mastery_by_topic``): the share right of
their last ``RECENT_ANSWERS_PER_TOPIC`` final answers in the topic, here computed for every
student at once with ROW_NUMBER() over (student, topic), newest first.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime

from django.db.models import Count, F, FloatField, Max, Q, Window
from django.db.models.functions import Cast, RowNumber

from ..models import Topic
from ..selectors.progress import RECENT_ANSWERS_PER_TOPIC, TopicMastery
from .scope import Scope, activity, answers, finished_attempts, students
from .sql import SCORE, aggregate_over

DEFAULT_SORT = "username"
FIXED_SORTS = {
    "username": lambda row: row.username.casefold(),
    "last_active": lambda row: row.last_active,
    "answered": lambda row: row.answered,
    "right": lambda row: row.share_right,
    "exams": lambda row: row.exams_taken,
    "best": lambda row: row.best_percent,
}
TOPIC_SORT_PREFIX = "topic-"


@dataclass
class StudentRow:
    user_id: int
    username: str
    last_active: datetime | None = None
    answered: int = 0
    correct: int = 0
    mastery: list[TopicMastery] = field(default_factory=list)
    exams_taken: int = 0
    exams_passed: int = 0
    best_percent: float | None = None

    @property
    def share_right(self) -> float | None:
        return self.correct / self.answered if self.answered else None

    def mastery_of(self, slug: str) -> int | None:
        return next((m.percent for m in self.mastery if m.slug == slug), None)


def recent_mastery(scope: Scope) -> dict[tuple[int, int], tuple[int, int]]:
    """Return {(student id, topic id): (recent answers, right)} over each pair's last answers (1 query)."""
    ranked = (answers(replace(scope, first_only=False, exam=None)).order_by()
              .annotate(ukey=F("user_id"), tkey=F("question__topic_id"), score=SCORE,
                        rnk=Window(RowNumber(), partition_by=[F("user_id"), F("question__topic_id")],
                                   order_by=[F("shown_at").desc(), F("pk").desc()]))
              .values("ukey", "tkey", "score", "rnk"))
    rows = aggregate_over(ranked, select="ukey, tkey, COUNT(*), SUM(score)",
                          where=f"rnk <= {int(RECENT_ANSWERS_PER_TOPIC)}", group_by="ukey, tkey")
    return {(ukey, tkey): (n, int(right)) for ukey, tkey, n, right in rows}


def sort_rows(rows: list[StudentRow], sort: str, topics: list[Topic]) -> tuple[list[StudentRow], str]:
    """Return ``rows`` sorted by ``sort`` (a key, "-key" for descending) and the key used.

    Students without a value (never active, no exam) come last in either direction; ties keep
    the username order. An unknown key sorts by username.
    """
    descending = sort.startswith("-")
    name = sort.lstrip("-")
    slugs = {topic.slug for topic in topics}
    if name in FIXED_SORTS:
        key = FIXED_SORTS[name]
    elif name.startswith(TOPIC_SORT_PREFIX) and name[len(TOPIC_SORT_PREFIX):] in slugs:
        slug = name[len(TOPIC_SORT_PREFIX):]
        key = lambda row: row.mastery_of(slug)  # noqa: E731
    else:
        return sort_rows(rows, DEFAULT_SORT, topics)
    by_name = sorted(rows, key=FIXED_SORTS["username"])
    present = [row for row in by_name if key(row) is not None]
    missing = [row for row in by_name if key(row) is None]
    present.sort(key=key, reverse=descending)
    return present + missing, sort


def student_rows(scope: Scope, *, sort: str = DEFAULT_SORT) -> tuple[list[StudentRow], str]:
    """Return every student in ``scope`` as a row, sorted, and the sort key used (5 queries)."""
    topics = list(Topic.objects.order_by("order"))
    rows = {pk: StudentRow(pk, username) for pk, username in students(scope).values_list("pk", "username")}
    for row in (activity(scope).order_by().values("user_id")
                .annotate(n=Count("pk"), right=Count("pk", filter=Q(is_correct=True)), last=Max("answered_at"))):
        if (student := rows.get(row["user_id"])) is not None:
            student.answered, student.correct, student.last_active = row["n"], row["right"], row["last"]
    mastery = recent_mastery(scope)
    for student in rows.values():
        student.mastery = [TopicMastery(topic.slug, topic.title, *mastery.get((student.user_id, topic.pk), (0, 0)))
                           for topic in topics]
    percent = 100 * Cast(F("score"), FloatField()) / Cast(F("total"), FloatField())
    exams = (finished_attempts(replace(scope, first_only=False, exam=None)).filter(total__gt=0).order_by()
             .values("user_id").annotate(n=Count("pk"), passed=Count("pk", filter=Q(passed=True)), best=Max(percent)))
    for row in exams:
        if (student := rows.get(row["user_id"])) is not None:
            student.exams_taken, student.exams_passed, student.best_percent = row["n"], row["passed"], row["best"]
    return sort_rows(list(rows.values()), sort, topics)
