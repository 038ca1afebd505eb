"""Local accounts and course membership for platform users.

- A platform user is (issuer, ``sub``); django-lti's ``LtiUser`` records it per registration and
  its ``auth_user`` is the local account. The same (issuer, sub) under another client id of the
  same issuer reuses that account. Accounts are never matched by e-mail (an LMS could assert
  any address); an admin may link one by hand in the admin (LTI users -> auth user).
- Roles: a Learner of a course is a member of the course's cohort. An Instructor (also
  Administrator, ContentDeveloper, TeachingAssistant) is *staff for that course's cohort*: their
  ``LtiMembership`` in that context says so, and ``is_course_staff`` reads it. They are not made
  ``is_staff`` (no site-wide dashboards, no admin) and not put in the cohort (they are no student).
"""

from __future__ import annotations

import hashlib
import re

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from lti_tool.models import LtiContext, LtiMembership, LtiUser

from ..models import Cohort
from ..roles import is_instructor
from .models import LtiCourse

MEMBERSHIP = "http://purl.imsglobal.org/vocab/lis/v2/membership"
STAFF_ROLES = {"Instructor", "Administrator", "ContentDeveloper", "TeachingAssistant"}


def _role_names(roles: list[str]) -> set[str]:
    """Return the short context role names in ``roles`` (sub-roles count as their role too)."""
    names = set()
    for role in roles or []:
        if not isinstance(role, str):
            continue
        if re.fullmatch(r"\w+", role):
            names.add(role)
        elif role.startswith(MEMBERSHIP + "#"):
            names.add(role.split("#", 1)[1])
        elif role.startswith(MEMBERSHIP + "/"):  # membership/Instructor#TeachingAssistant
            main, _, sub = role[len(MEMBERSHIP) + 1:].partition("#")
            names.update(n for n in (main, sub) if n)
    return names


def is_staff_role(roles: list[str]) -> bool:
    return bool(_role_names(roles) & STAFF_ROLES)


def is_learner_role(roles: list[str]) -> bool:
    return "Learner" in _role_names(roles)


def username_for(issuer: str, sub: str) -> str:
    """Return a stable local username for a platform user: ``lti-`` and 16 hex digits."""
    return "lti-" + hashlib.sha256(f"{issuer}\n{sub}".encode()).hexdigest()[:16]


def _names(claims: dict) -> tuple[str, str]:
    given, family = claims.get("given_name") or "", claims.get("family_name") or ""
    if not (given or family) and claims.get("name"):
        given, _, family = str(claims["name"]).partition(" ")
    return str(given)[:150], str(family)[:150]


def account_for(lti_user: LtiUser, claims: dict):
    """Return the local account of ``lti_user`` (created or refreshed from ``claims``)."""
    User = get_user_model()
    issuer = lti_user.registration.issuer
    user = lti_user.auth_user
    if user is None:
        sibling = (LtiUser.objects.filter(registration__issuer=issuer, sub=lti_user.sub, auth_user__isnull=False)
                   .select_related("auth_user").first())
        user = sibling.auth_user if sibling else None
    if user is None:
        username = username_for(issuer, lti_user.sub)
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(username=username)
            user.set_unusable_password()
    first, last = _names(claims)
    email = str(claims.get("email") or "")[:254]
    if email and User.objects.filter(email__iexact=email).exclude(pk=user.pk).exists():
        email = ""  # e-mail addresses are unique: another account has it, so this one stays without
    changed = [f for f, v in (("first_name", first), ("last_name", last), ("email", email))
               if v and getattr(user, f) != v]
    for field in changed:
        setattr(user, field, {"first_name": first, "last_name": last, "email": email}[field])
    if user.pk is None:
        user.save()
    elif changed:
        user.save(update_fields=changed)
    if lti_user.auth_user_id != user.pk:
        lti_user.auth_user = user
        lti_user.save(update_fields=["auth_user"])
    return user


def course_for(context: LtiContext) -> LtiCourse:
    """Return the course of ``context``, creating its cohort ("LMS: <title>") the first time."""
    course = LtiCourse.objects.filter(context=context).select_related("cohort").first()
    if course is not None:
        return course
    title = context.title or context.label or context.id_on_platform or "course"
    base = f"LMS: {title}"[:100]
    name = base
    for n in range(2, 1000):
        if not Cohort.objects.filter(name=name).exists():
            break
        name = f"{base} ({n})"
    try:
        with transaction.atomic():
            cohort = Cohort.objects.create(name=name, description=f"Students of {title} in the LMS, kept by LTI.")
            return LtiCourse.objects.create(context=context, cohort=cohort)
    except IntegrityError:  # a concurrent launch created it
        return LtiCourse.objects.select_related("cohort").get(context=context)


def place_in_course(*, user, course: LtiCourse, roles: list[str], active: bool = True) -> None:
    """Put a learner in the course's cohort; take anyone else (or an inactive member) out."""
    if active and is_learner_role(roles) and not is_staff_role(roles):
        course.cohort.members.add(user)
    else:
        course.cohort.members.remove(user)


def is_course_staff(user, course: LtiCourse) -> bool:
    """Return True if ``user`` teaches ``course`` in the LMS, or is a site instructor."""
    if is_instructor(user):
        return True
    if not user.is_authenticated:
        return False
    from django.db.models import Q

    return LtiMembership.objects.filter(
        Q(is_instructor=True) | Q(is_administrator=True) | Q(is_content_developer=True),
        context=course.context, user__auth_user=user, is_active=True,
    ).exists()


def courses_taught(user):
    """Return the LTI courses ``user`` may manage (all of them for a site instructor)."""
    courses = LtiCourse.objects.select_related("context", "cohort").order_by("context__title")
    if is_instructor(user):
        return courses
    from django.db.models import Q

    return courses.filter(
        Q(context__memberships__is_instructor=True) | Q(context__memberships__is_administrator=True)
        | Q(context__memberships__is_content_developer=True),
        context__memberships__user__auth_user=user, context__memberships__is_active=True,
    ).distinct()
