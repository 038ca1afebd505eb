"""The tool side of pylti1p3, made strict: every refused launch says why and writes nothing.

django-lti's tool configuration creates a deployment for any unknown ``deployment_id`` and
pylti1p3 accepts a nonce any number of times; here an unknown issuer, client or deployment is
refused, the platform's keys are cached (and fetched again when a token names a new key), the
audience and expiry are checked, and the nonce is consumed only after the signature verified.
"""

from __future__ import annotations

import threading
import time

import jwt
import requests
from django.conf import settings
from lti_tool.models import LtiDeployment, LtiRegistration
from lti_tool.utils import DjangoToolConfig
from pylti1p3.contrib.django import DjangoMessageLaunch, DjangoOIDCLogin
from pylti1p3.contrib.django.cookie import DjangoCookieService
from pylti1p3.contrib.django.request import DjangoRequest
from pylti1p3.deployment import Deployment
from pylti1p3.exception import LtiException, OIDCException

from .storage import DatabaseLaunchDataStorage

KEYSET_TTL = 3600  # seconds a platform's public keys are reused before fetching them again


class LaunchRefused(LtiException):
    """A launch or login the tool refuses, with a reason fit to show the user."""

    def __init__(self, reason: str, *, status: int = 400) -> None:
        super().__init__(reason)
        self.reason = reason
        self.status = status


UNKNOWN_ISSUER = "Unknown issuer {iss!r}: no LMS with this issuer is registered here."
WRONG_AUDIENCE = ("Wrong audience: the token is for client {aud!r}, which is not registered for issuer {iss!r} "
                  "(registered: {known}).")
UNKNOWN_DEPLOYMENT = "Unknown deployment {deployment!r} of issuer {iss!r}: register it first."
INACTIVE_DEPLOYMENT = "Deployment {deployment!r} of issuer {iss!r} is switched off here."
BAD_SIGNATURE = "Bad signature: the launch token does not verify against the platform's public keys."
EXPIRED = "Expired token: the launch token's time ran out (exp is in the past); launch again from the course."
NOT_YET_VALID = "The launch token is not valid yet (iat/nbf in the future): check the clocks."
REPLAYED_NONCE = "Replayed launch: this token's nonce was already used (or was never issued by this site)."
BAD_STATE = "Unknown state: this launch did not start at this site's login, or the login expired. Launch again."
NO_ID_TOKEN = "Missing id_token: the launch must be a form POST from the platform."
MISSING_CLAIM = "Missing claim: {claim}."
TOKEN_BROKEN = "The launch token is not a well-formed JWT: {detail}"
NO_KEY = "No public key of the platform matches the token's key id (kid {kid!r})."
KEYSET_UNREACHABLE = "The platform's public keys could not be fetched from {url}: {detail}"

# pylti1p3's own messages for missing or malformed claims, as the user reads them.
LIBRARY_MESSAGES = {
    '"iss" is empty': MISSING_CLAIM.format(claim="iss (the issuer)"),
    "deployment_id is not set in jwt body": MISSING_CLAIM.format(claim="deployment_id"),
    "Must have a user (sub)": MISSING_CLAIM.format(claim="sub (the user)"),
    "Missing Roles Claim": MISSING_CLAIM.format(claim="roles"),
    "Missing Resource Link Id": MISSING_CLAIM.format(claim="resource_link.id"),
    "Incorrect version, expected 1.3.0": "Wrong LTI version: expected 1.3.0.",
    "Invalid message type": MISSING_CLAIM.format(claim="message_type"),
    "Unrecognized message type": "Unsupported LTI message type.",
    "Missing state param": MISSING_CLAIM.format(claim="state (a form field of the launch)"),
    "State not found": BAD_STATE,
    "Missing id_token": NO_ID_TOKEN,
    '"nonce" is empty': MISSING_CLAIM.format(claim="nonce"),
    "Missing Deep Linking Settings": MISSING_CLAIM.format(claim="deep_linking_settings"),
}


def explain(error: Exception) -> str:
    """Return the sentence a refused launch shows for ``error``."""
    if isinstance(error, LaunchRefused):
        return error.reason
    text = str(error)
    return LIBRARY_MESSAGES.get(text, f"The launch was refused: {text}")


class TimeoutSession(requests.Session):
    """A requests session whose calls give up after ``settings.LTI_HTTP_TIMEOUT`` seconds."""

    def request(self, *args, **kwargs):
        kwargs.setdefault("timeout", getattr(settings, "LTI_HTTP_TIMEOUT", 10))
        return super().request(*args, **kwargs)


def http_session() -> requests.Session:
    session = TimeoutSession()
    session.headers["User-Agent"] = "BackpropLab-LTI (pylti1p3)"
    return session


class ToolConfig(DjangoToolConfig):
    """django-lti's configuration, refusing unknown issuers, clients and deployments by name."""

    def find_registration_by_params(self, iss, client_id, *args, **kwargs):
        registration = super().find_registration_by_params(iss, client_id, *args, **kwargs)
        if registration is not None:
            return registration
        known = list(LtiRegistration.objects.active().filter(issuer=iss).values_list("client_id", flat=True))
        if not known:
            raise LaunchRefused(UNKNOWN_ISSUER.format(iss=iss))
        if client_id is None and len(known) == 1:  # an OIDC login may leave the client id out
            return super().find_registration_by_params(iss, known[0], *args, **kwargs)
        raise LaunchRefused(WRONG_AUDIENCE.format(aud=client_id, iss=iss, known=", ".join(known)))

    def find_deployment_by_params(self, iss, deployment_id, client_id, *args, **kwargs):
        deployment = LtiDeployment.objects.filter(
            registration__issuer=iss, registration__client_id=client_id, registration__is_active=True,
            deployment_id=deployment_id,
        ).select_related("registration").first()
        if deployment is None:
            raise LaunchRefused(UNKNOWN_DEPLOYMENT.format(deployment=deployment_id, iss=iss))
        if not deployment.is_active:
            raise LaunchRefused(INACTIVE_DEPLOYMENT.format(deployment=deployment_id, iss=iss), status=403)
        self.deployment = deployment
        return Deployment().set_deployment_id(deployment.deployment_id)

    def find_deployment(self, iss, deployment_id):  # pragma: no cover - many clients per issuer here
        raise LaunchRefused(UNKNOWN_DEPLOYMENT.format(deployment=deployment_id, iss=iss))


_keysets: dict[str, tuple[float, dict]] = {}
_keysets_lock = threading.Lock()


def forget_platform_keys() -> None:
    """Drop every cached platform key set (tests; a registration's keyset URL changed)."""
    with _keysets_lock:
        _keysets.clear()


class MessageLaunch(DjangoMessageLaunch):
    """A launch validated in a safe order: nothing is consumed before the signature verified."""

    def __init__(self, request, tool_config=None, **kwargs):
        kwargs["launch_data_storage"] = kwargs.get("launch_data_storage") or DatabaseLaunchDataStorage()
        kwargs["requests_session"] = kwargs.get("requests_session") or http_session()
        super().__init__(request, tool_config or ToolConfig(), **kwargs)

    def validate(self):
        if self._restored:
            raise LtiException("Can't validate restored launch")
        self._validated = True
        try:
            (self.validate_state().validate_jwt_format().validate_registration().validate_jwt_signature()
             .validate_deployment().validate_message().consume_nonce().save_launch_data())
        except Exception:
            self._validated = False
            raise
        return self

    def validate_jwt_format(self):
        try:
            return super().validate_jwt_format()
        except LtiException as error:
            raise LaunchRefused(TOKEN_BROKEN.format(detail=error)) from error

    def fetch_public_key(self, key_set_url: str):
        try:
            response = self._requests_session.get(key_set_url)
            response.raise_for_status()
            keys = response.json()
        except (requests.RequestException, ValueError) as error:
            raise LaunchRefused(KEYSET_UNREACHABLE.format(url=key_set_url, detail=error), status=502) from error
        with _keysets_lock:
            _keysets[key_set_url] = (time.monotonic() + KEYSET_TTL, keys)
        return keys

    def get_public_key(self):
        url = self._registration.get_key_set_url()
        with _keysets_lock:
            cached = _keysets.get(url)
        if cached and cached[0] > time.monotonic():
            self._registration.set_key_set(cached[1])
            try:
                return super().get_public_key()
            except LtiException:  # a key id we have not seen: the platform may have rotated its keys
                self._registration.set_key_set(None)
        try:
            return super().get_public_key()
        except LaunchRefused:
            raise
        except LtiException as error:
            kid = self._jwt.get("header", {}).get("kid")
            raise LaunchRefused(NO_KEY.format(kid=kid)) from error

    def validate_jwt_signature(self):
        id_token = self._get_id_token()
        public_key, algorithm = self.get_public_key()
        client_id = self.get_client_id()
        try:
            jwt.decode(id_token, public_key, algorithms=[algorithm], audience=client_id,
                       options={"require": ["exp", "iat", "aud", "iss", "sub"]}, leeway=10)
        except jwt.ExpiredSignatureError as error:
            raise LaunchRefused(EXPIRED) from error
        except jwt.ImmatureSignatureError as error:
            raise LaunchRefused(NOT_YET_VALID) from error
        except jwt.MissingRequiredClaimError as error:
            raise LaunchRefused(MISSING_CLAIM.format(claim=error.claim)) from error
        except jwt.InvalidAudienceError as error:
            raise LaunchRefused(WRONG_AUDIENCE.format(aud=client_id, iss=self.get_iss(), known=client_id)) from error
        except jwt.InvalidSignatureError as error:
            raise LaunchRefused(BAD_SIGNATURE) from error
        except jwt.InvalidTokenError as error:
            raise LaunchRefused(f"The launch token is invalid: {error}") from error
        body = self._get_jwt_body()
        azp = body.get("azp")
        if isinstance(body.get("aud"), list) and len(body["aud"]) > 1 and azp != client_id:
            raise LaunchRefused(WRONG_AUDIENCE.format(aud=azp, iss=self.get_iss(), known=client_id))
        return self

    def consume_nonce(self):
        nonce = self._get_jwt_body().get("nonce")
        if not nonce:
            raise LaunchRefused(MISSING_CLAIM.format(claim="nonce"))
        storage = self._session_service.data_storage
        if not storage.consume(self._session_service._get_key("nonce", nonce)):
            raise LaunchRefused(REPLAYED_NONCE)
        return self


LOCAL_HOSTS = {"localhost", "127.0.0.1", "[::1]"}


class CookieService(DjangoCookieService):
    """pylti1p3's cookies, also ``SameSite=None; Secure`` on http://localhost (a secure context).

    The launch is a cross-site POST from the LMS: the state cookie set at login comes back only
    if it is ``SameSite=None``, which browsers accept only with ``Secure``: over HTTPS (as
    pylti1p3 does), and on localhost, where browsers allow ``Secure`` cookies over plain HTTP.
    """

    def update_response(self, response):
        django_request = self._request._request
        if self._request.is_secure() or django_request.get_host().rsplit(":", 1)[0] not in LOCAL_HOSTS:
            return super().update_response(response)
        for key, cookie in self._cookie_data_to_set.items():
            response.set_cookie(key, cookie["value"], max_age=cookie["exp"], secure=True, httponly=True, path="/",
                                samesite="None")
        return None


class OIDCLogin(DjangoOIDCLogin):
    """The login initiation, storing the state and nonce in the database."""

    def __init__(self, request, tool_config=None):
        super().__init__(request, tool_config or ToolConfig(), cookie_service=CookieService(DjangoRequest(request)),
                         launch_data_storage=DatabaseLaunchDataStorage())

    def validate_oidc_login(self):
        try:
            return super().validate_oidc_login()
        except OIDCException as error:
            raise LaunchRefused({"Could not find issuer": MISSING_CLAIM.format(claim="iss"),
                                 "Could not find login hint": MISSING_CLAIM.format(claim="login_hint")}
                                .get(str(error), str(error))) from error
