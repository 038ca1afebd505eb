"""Registering an LMS (a platform) and the tool's signing key."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from lti_tool.models import Key, LtiDeployment, LtiRegistration

from .tool import forget_platform_keys


def ensure_tool_key() -> Key:
    """Return the tool's active signing key, generating an RSA key the first time."""
    key = Key.objects.active().order_by("-datetime_created").first()
    return key if key is not None else Key.objects.generate()


@transaction.atomic
def register_platform(*, issuer: str, client_id: str, auth_url: str, token_url: str, keyset_url: str,
                      deployment_ids: list[str], name: str = "", audience: str = "") -> tuple[LtiRegistration, bool]:
    """Create or update the registration of (issuer, client_id) with active deployments.

    Raise ``ValidationError`` for an empty issuer or client id or a malformed URL.
    Return the registration and whether it was created.
    """
    if not issuer.strip() or not client_id.strip():
        raise ValidationError("issuer and client id are required", code="required")
    check = URLValidator(schemes=["http", "https"])
    for label, url in (("auth-url", auth_url), ("token-url", token_url), ("keyset-url", keyset_url)):
        try:
            check(url)
        except ValidationError:
            raise ValidationError(f"--{label} is not an http(s) URL: {url!r}", code="bad_url") from None
    registration, created = LtiRegistration.objects.update_or_create(
        issuer=issuer.strip(), client_id=client_id.strip(),
        defaults={"name": name or f"{issuer} ({client_id})", "auth_url": auth_url, "token_url": token_url,
                  "keyset_url": keyset_url, "audience": audience, "is_active": True},
    )
    for deployment_id in deployment_ids:
        LtiDeployment.objects.update_or_create(registration=registration, deployment_id=deployment_id.strip(),
                                               defaults={"is_active": True})
    ensure_tool_key()
    forget_platform_keys()
    return registration, created
