"""django-lti's records of a launch (user, context, membership, resource link), written sparingly.

django-lti's ``sync_data_from_launch`` rewrites every row of a launch with ``update_or_create``
(two queries and a full UPDATE each, every launch). A returning student's launch changes
nothing, so here each row is read once and written only when it is new or a value changed.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from lti_tool.models import LtiContext, LtiDeployment, LtiMembership, LtiRegistration, LtiResourceLink, LtiUser
from lti_tool.utils import sync_platform_instance_from_launch

from .accounts import is_learner_role, is_staff_role

CONTEXT_CLAIM = "https://purl.imsglobal.org/spec/lti/claim/context"
RESOURCE_CLAIM = "https://purl.imsglobal.org/spec/lti/claim/resource_link"
NRPS_CLAIM = "https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice"
AGS_CLAIM = "https://purl.imsglobal.org/spec/lti-ags/claim/endpoint"
ROLES_CLAIM = "https://purl.imsglobal.org/spec/lti/claim/roles"
COURSE_TYPE = "http://purl.imsglobal.org/vocab/lis/v2/course#{}"


def _get_or_create(model, lookup: dict, values: dict, related: tuple = ()):
    """Return the row for ``lookup`` with ``values``: created, updated (changed fields only) or untouched."""
    row = model.objects.filter(**lookup).select_related(*related).first()
    if row is None:
        try:
            with transaction.atomic():
                return model.objects.create(**lookup, **values)
        except IntegrityError:  # a concurrent launch created it
            row = model.objects.get(**lookup)
    changed = [field for field, value in values.items() if getattr(row, field) != value]
    if changed:
        for field in changed:
            setattr(row, field, values[field])
        row.save(update_fields=changed)
    return row


def _text(value, limit: int) -> str:
    return str(value)[:limit] if value is not None else ""


def sync_user(registration: LtiRegistration, claims: dict) -> LtiUser:
    values = {field: _text(claims.get(claim), 254 if field == "email" else 500)
              for field, claim in (("given_name", "given_name"), ("family_name", "family_name"), ("name", "name"),
                                   ("email", "email"))
              if claims.get(claim)}
    return _get_or_create(LtiUser, {"registration": registration, "sub": claims["sub"]}, values,
                          related=("registration", "auth_user"))


def sync_context(deployment: LtiDeployment, claims: dict) -> LtiContext:
    """Return the launch's context (one with an empty id stands for "no course", as in django-lti)."""
    claim = claims.get(CONTEXT_CLAIM) or {}
    types = claim.get("type") or []
    values = {"title": _text(claim.get("title"), 500), "label": _text(claim.get("label"), 255),
              "is_course_offering": COURSE_TYPE.format("CourseOffering") in types,
              "is_course_section": COURSE_TYPE.format("CourseSection") in types,
              "is_course_template": COURSE_TYPE.format("CourseTemplate") in types}
    nrps = claims.get(NRPS_CLAIM) or {}
    if nrps.get("context_memberships_url"):
        values["memberships_url"] = nrps["context_memberships_url"]
    ags = claims.get(AGS_CLAIM) or {}
    if ags.get("lineitems"):
        values["lineitems_url"] = ags["lineitems"]
    scopes = ags.get("scope") or []
    if ags:
        values |= {"can_query_lineitems": "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem.readonly" in scopes,
                   "can_manage_lineitems": "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem" in scopes,
                   "can_publish_scores": "https://purl.imsglobal.org/spec/lti-ags/scope/score" in scopes,
                   "can_access_results": "https://purl.imsglobal.org/spec/lti-ags/scope/result.readonly" in scopes}
    return _get_or_create(LtiContext, {"deployment": deployment, "id_on_platform": _text(claim.get("id"), 255)}, values)


def sync_membership(user: LtiUser, context: LtiContext, claims: dict) -> LtiMembership:
    roles = claims.get(ROLES_CLAIM) or []
    return _get_or_create(LtiMembership, {"user": user, "context": context},
                          {"is_instructor": is_staff_role(roles), "is_learner": is_learner_role(roles),
                           "is_active": True})


def sync_resource_link(context: LtiContext, claims: dict) -> LtiResourceLink:
    claim = claims.get(RESOURCE_CLAIM) or {}
    values = {"title": _text(claim.get("title"), 500), "description": _text(claim.get("description"), 10_000)}
    return _get_or_create(LtiResourceLink, {"context": context, "id_on_platform": _text(claim["id"], 255)}, values)


def sync_platform(lti_launch) -> None:
    """Record the platform instance claim (name, version) when the platform sends one."""
    if lti_launch.platform_instance_claim and lti_launch.platform_instance_claim.get("guid"):
        sync_platform_instance_from_launch(lti_launch)
