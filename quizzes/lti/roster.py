"""Names and Roles: bring a course's roster from the LMS into its cohort.

Every active Learner gets a local account (linked to (issuer, user_id), as a launch would) and
joins the cohort; members gone inactive or deleted, and members who are not learners, leave
it. Instructors' memberships are recorded, so they become staff for the course. Members not
in the answer are left alone (a page of a paginated roster may be missing; a launch re-adds).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from lti_tool.models import LtiMembership, LtiUser
from pylti1p3.exception import LtiException
from pylti1p3.names_roles import NamesRolesProvisioningService
from pylti1p3.service_connector import ServiceConnector
from requests import RequestException

from .accounts import account_for, is_learner_role, is_staff_role, place_in_course
from .models import LtiCourse
from .tool import http_session

NO_SERVICE = "The LMS did not offer its roster service (Names and Roles) for this course; launch it from the course."


@dataclass
class RosterOutcome:
    ok: bool
    message: str
    learners: int = 0
    staff: int = 0
    removed: int = 0


def fetch_members(course: LtiCourse) -> list[dict]:
    """Return the course's members from the platform (every page)."""
    context = course.context
    registration = context.deployment.registration.to_registration()
    service = NamesRolesProvisioningService(ServiceConnector(registration, http_session()),
                                            {"context_memberships_url": context.memberships_url})
    return list(service.get_members())


def sync_roster(course: LtiCourse) -> RosterOutcome:
    """Fetch the roster and apply it to the cohort; return what changed (or why it could not)."""
    if not course.context.memberships_url:
        outcome = RosterOutcome(False, NO_SERVICE)
    else:
        try:
            members = fetch_members(course)
        except (LtiException, RequestException, ValueError) as error:
            outcome = RosterOutcome(False, f"The LMS roster could not be fetched: {error}"[:480])
        else:
            outcome = apply_roster(course, members)
    course.roster_synced_at = timezone.now() if outcome.ok else course.roster_synced_at
    course.roster_sync_note = outcome.message[:500]
    course.save(update_fields=["roster_synced_at", "roster_sync_note"])
    return outcome


@transaction.atomic
def apply_roster(course: LtiCourse, members: list[dict]) -> RosterOutcome:
    """Create or update accounts and memberships from NRPS ``members``; return the counts."""
    registration = course.context.deployment.registration
    learners = staff = removed = 0
    for member in members:
        sub = member.get("user_id")
        if not isinstance(sub, str) or not sub:
            continue
        roles = [r for r in member.get("roles") or [] if isinstance(r, str)]
        active = member.get("status", "Active") == "Active"
        lti_user, _ = LtiUser.objects.get_or_create(registration=registration, sub=sub)
        for field in ("given_name", "family_name", "name", "email"):
            if member.get(field):
                setattr(lti_user, field, str(member[field])[:254 if field == "email" else 500])
        lti_user.save()
        user = account_for(lti_user, member)
        LtiMembership.objects.update_or_create(user=lti_user, context=course.context, defaults={
            "is_instructor": is_staff_role(roles), "is_learner": is_learner_role(roles), "is_active": active})
        was_member = course.cohort.members.filter(pk=user.pk).exists()
        place_in_course(user=user, course=course, roles=roles, active=active)
        if active and is_staff_role(roles):
            staff += 1
        elif active and is_learner_role(roles):
            learners += 1
        if was_member and not course.cohort.members.filter(pk=user.pk).exists():
            removed += 1
    message = f"Roster synced: {learners} students, {staff} instructors; {removed} left the cohort."
    return RosterOutcome(True, message, learners, staff, removed)
