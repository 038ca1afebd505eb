"""Reads for the LTI pages: an instructor's courses, a course's roster and its grade outbox."""

from __future__ import annotations

from django.db.models import Count, Q

from .accounts import courses_taught
from .models import LtiCourse, LtiGradePost

Status = LtiGradePost.Status


def course_rows(user) -> list[dict]:
    """Return the courses ``user`` teaches, each with its cohort size and unsent grade count."""
    courses = courses_taught(user).annotate(
        students=Count("cohort__members", distinct=True),
    )
    unsent = dict(LtiGradePost.objects.filter(status__in=[Status.PENDING, Status.FAILED])
                  .values_list("launch__resource_link__context__course").annotate(n=Count("pk")))
    return [{"course": c, "students": c.students, "unsent": unsent.get(c.pk, 0)} for c in courses]


def course_posts(course: LtiCourse):
    return (LtiGradePost.objects.filter(launch__resource_link__context=course.context)
            .select_related("attempt__exam", "attempt__user", "launch__lti_user"))


def unsent_posts(course: LtiCourse):
    """Return the course's grades not yet accepted by the LMS (pending or failed), oldest first."""
    return course_posts(course).filter(status__in=[Status.PENDING, Status.FAILED]).order_by("graded_at", "pk")


def course_page(course: LtiCourse) -> dict:
    """Return what the course page shows."""
    students = course.cohort.members.order_by("last_name", "first_name", "username")
    counts = course_posts(course).aggregate(
        sent=Count("pk", filter=Q(status=Status.SENT)),
        pending=Count("pk", filter=Q(status=Status.PENDING)),
        failed=Count("pk", filter=Q(status=Status.FAILED)),
    )
    return {
        "course": course,
        "students": students,
        "unsent": list(unsent_posts(course)[:200]),
        "recent": list(course_posts(course).filter(status=Status.SENT).order_by("-sent_at")[:20]),
        "counts": counts,
        "can_sync": bool(course.context.memberships_url),
    }
