"""What a validated launch does: record it, sign the user in, place them, say where to go.

Called only after pylti1p3 validated the token (``tool.MessageLaunch``), inside one transaction:
a launch that fails half-way leaves nothing behind.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from lti_tool.models import LtiLaunch

from ..models import Exam, Topic
from . import records
from .accounts import account_for, course_for, is_staff_role, place_in_course
from .models import LtiCourse, LtiExamLaunch

AGS_CLAIM = records.AGS_CLAIM
CUSTOM_CLAIM = "https://purl.imsglobal.org/spec/lti/claim/custom"
UNKNOWN_TARGET = "This link points at {kind} {slug!r}, which this site does not have (any more)."


@dataclass
class LaunchResult:
    """The outcome of a launch: the local user, their course, whether they teach it, where to go."""

    user: object
    course: LtiCourse | None
    is_staff: bool
    redirect_url: str
    error: str = ""


def target_of(custom: dict) -> tuple[str, str]:
    """Return (kind, slug) of what a link shows: ("exam", slug), ("topic", slug) or ("", "")."""
    for kind in ("exam", "topic"):
        value = (custom or {}).get(kind)
        if isinstance(value, str) and value.strip():
            return kind, value.strip()
    return "", ""


def _record_exam_launch(claims: dict, lti_user, resource_link, user, exam: Exam) -> None:
    claim = claims.get(AGS_CLAIM) or {}
    if not (claim.get("lineitem") or claim.get("lineitems")):
        return
    scopes = [scope for scope in claim.get("scope", []) if isinstance(scope, str)]
    values = {"user_id": user.pk, "exam_id": exam.pk, "scopes": scopes,
              "lineitem_url": claim.get("lineitem") or "", "lineitems_url": claim.get("lineitems") or ""}
    record = LtiExamLaunch.objects.filter(lti_user=lti_user, resource_link=resource_link).first()
    if record is None:
        LtiExamLaunch.objects.create(lti_user=lti_user, resource_link=resource_link,
                                     last_launched_at=timezone.now(), **values)
        return
    changed = [field for field, value in values.items() if getattr(record, field) != value]
    for field in changed:
        setattr(record, field, values[field])
    record.last_launched_at = timezone.now()
    record.save(update_fields=[*changed, "last_launched_at"])
    if changed:  # a platform that now names its grade column: failed posts may go through
        record.grade_posts.filter(status="failed").update(next_try_at=timezone.now())


@transaction.atomic
def complete_launch(launch: LtiLaunch) -> LaunchResult:
    """Record a validated launch and return who is signed in and where they go."""
    claims = launch.get_launch_data()
    deployment = launch.deployment
    lti_user = records.sync_user(launch.registration, claims)
    user = account_for(lti_user, claims)
    roles = claims.get(records.ROLES_CLAIM) or []
    staff = is_staff_role(roles)
    context = records.sync_context(deployment, claims)
    records.sync_membership(lti_user, context, claims)
    records.sync_platform(launch)
    course = None
    if context.id_on_platform:
        course = course_for(context)
        place_in_course(user=user, course=course, roles=roles)
    if launch.is_deep_link_launch:
        return LaunchResult(user, course, staff, reverse("lti_deep_link"))
    resource_link = records.sync_resource_link(context, claims)
    kind, slug = target_of(claims.get(CUSTOM_CLAIM) or {})
    if kind == "exam":
        exam = Exam.objects.active().filter(slug=slug).first()
        if exam is None:
            return LaunchResult(user, course, staff, "", UNKNOWN_TARGET.format(kind="exam", slug=slug))
        if not staff:
            _record_exam_launch(claims, lti_user, resource_link, user, exam)
        return LaunchResult(user, course, staff, reverse("exam_detail", args=[exam.slug]))
    if kind == "topic":
        topic = Topic.objects.filter(slug=slug).first()
        if topic is None:
            return LaunchResult(user, course, staff, "", UNKNOWN_TARGET.format(kind="topic", slug=slug))
        return LaunchResult(user, course, staff, reverse("practice") + f"?topics={topic.slug}")
    if staff and course is not None:
        return LaunchResult(user, course, staff, reverse("lti_course", args=[course.pk]))
    return LaunchResult(user, course, staff, reverse("home"))
