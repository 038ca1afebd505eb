"""An LTI 1.3 platform (an LMS) simulated in-process, built on the ``lti1p3platform`` package.

- Its RSA key, the OIDC login round trip and the signed id_token come from ``lti1p3platform``
  (``Registration``, ``LTIAdvantageMessageLaunchAbstract``); its access-token endpoint is
  ``LTI1P3PlatformConfAbstract.get_access_token``, which checks the tool's signed client
  assertion against the tool's real ``/lti/jwks/`` (fetched through Django's test client).
- Its HTTP endpoints (keyset, token, line items, scores, memberships) are answered by
  ``responses``, which intercepts the requests the tool makes with ``requests``.
- ``launch(client, ...)`` drives a browser: GET /lti/login/ -> follow to the platform's auth
  URL -> POST the id_token and state to /lti/launch/. Keyword ``mutate`` edits the claims and
  ``key`` signs with another key, for the bad cases.
"""

from __future__ import annotations

import json
import time
import uuid
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlsplit

import jwt
import responses
from django.test import Client
from jwcrypto.jwk import JWK
from lti1p3platform.deep_linking import LtiDeepLinking
from lti1p3platform.ltiplatform import LTI1P3PlatformConfAbstract
from lti1p3platform.message_launch import LTIAdvantageMessageLaunchAbstract
from lti1p3platform.registration import Registration
from lti1p3platform.request import Request

ISSUER = "https://lms.example.test"
CLIENT_ID = "backprop-client"
DEPLOYMENT_ID = "deployment-1"
TOOL = "http://testserver"
LEARNER = "http://purl.imsglobal.org/vocab/lis/v2/membership#Learner"
INSTRUCTOR = "http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor"
SCORE_TYPE = "application/vnd.ims.lis.v1.score+json"

_KEYS: dict[str, str] = {}


def rsa_pem(name: str) -> str:
    """Return a private RSA key in PEM (generated once per test session and name)."""
    if name not in _KEYS:
        _KEYS[name] = JWK.generate(kty="RSA", size=2048).export_to_pem(private_key=True, password=None).decode()
    return _KEYS[name]


def public_pem(private_pem: str) -> str:
    return JWK.from_pem(private_pem.encode()).export_to_pem().decode()


class _PlainRequest(Request):
    def build_metadata(self, request):
        return {"method": "GET", "form_data": {}, "get_data": request, "headers": {}, "content_type": None,
                "path": "/auth", "json": None}


class _PlatformConf(LTI1P3PlatformConfAbstract):
    def init_platform_config(self, **kwargs):
        self.registration_obj = kwargs["registration"]

    def get_registration_by_params(self, **kwargs):
        return self.registration_obj


class _Launch(LTIAdvantageMessageLaunchAbstract):
    def render_launch_form(self, launch_data, **kwargs):
        return launch_data


@dataclass
class Platform:
    """A simulated LMS with one course; attributes record what the tool sent it."""

    course_id: str = "course-101"
    course_title: str = "CNN 101"
    fail_scores: int = 0  # answer the next N score posts with HTTP 500
    scores: list = field(default_factory=list)
    score_attempts: int = 0
    token_requests: int = 0
    members: list = field(default_factory=list)
    lineitems: list = field(default_factory=list)

    def __post_init__(self) -> None:
        self.private_key = rsa_pem("platform")
        self.registration = (Registration().set_iss(ISSUER).set_client_id(CLIENT_ID).set_deployment_id(DEPLOYMENT_ID)
                             .set_launch_url(f"{TOOL}/lti/launch/").set_deeplink_launch_url(f"{TOOL}/lti/launch/")
                             .set_oidc_login_url(f"{TOOL}/lti/login/")
                             .set_platform_private_key(self.private_key)
                             .set_platform_public_key(public_pem(self.private_key))
                             .set_tool_key_set_url(f"{TOOL}/lti/jwks/"))
        self.conf = _PlatformConf(registration=self.registration)
        self.conf.get_registration()
        base = f"{ISSUER}/courses/{self.course_id}"
        self.lineitems_url = f"{base}/lineitems"
        self.lineitem_url = f"{base}/lineitems/1/lineitem"
        self.memberships_url = f"{base}/memberships"

    # -- registration in the tool -------------------------------------------------------------
    def register(self, **overrides):
        from quizzes.lti.registration import register_platform

        values = {"issuer": ISSUER, "client_id": CLIENT_ID, "auth_url": f"{ISSUER}/auth",
                  "token_url": f"{ISSUER}/token", "keyset_url": f"{ISSUER}/jwks", "deployment_ids": [DEPLOYMENT_ID]}
        return register_platform(**(values | overrides))[0]

    # -- HTTP endpoints (through ``responses``) ----------------------------------------------
    def serve(self, mock: responses.RequestsMock) -> None:
        mock.add_callback(responses.GET, f"{ISSUER}/jwks", callback=self._jwks)
        mock.add_callback(responses.POST, f"{ISSUER}/token", callback=self._token)
        mock.add_callback(responses.POST, f"{self.lineitem_url}/scores", callback=self._score)
        mock.add_callback(responses.GET, self.memberships_url, callback=self._memberships)
        mock.add_callback(responses.GET, self.lineitems_url, callback=self._lineitems)
        mock.add_callback(responses.POST, self.lineitems_url, callback=self._create_lineitem)

    def _jwks(self, request):
        return 200, {"Content-Type": "application/json"}, json.dumps(self.conf.get_jwks())

    def _token(self, request):
        self.token_requests += 1
        form = dict(parse_qsl(request.body if isinstance(request.body, str) else request.body.decode()))
        tool_keys = Client().get("/lti/jwks/").json()  # the tool's real JWKS endpoint
        self.registration.set_tool_key_set(tool_keys)
        try:
            token = self.conf.get_access_token(form)
        except Exception as error:  # noqa: BLE001 - a refused client assertion
            return 401, {}, json.dumps({"error": str(error)})
        return 200, {"Content-Type": "application/json"}, json.dumps(token)

    def _authorised(self, request) -> bool:
        header = request.headers.get("Authorization", "")
        if not header.startswith("Bearer "):
            return False
        return self.conf.validate_token(header[len("Bearer "):])

    def _score(self, request):
        self.score_attempts += 1
        if not self._authorised(request):
            return 401, {}, "{}"
        if request.headers.get("Content-Type") != SCORE_TYPE:
            return 415, {}, "{}"
        if self.fail_scores > 0:
            self.fail_scores -= 1
            return 500, {}, "platform down"
        self.scores.append(json.loads(request.body))
        return 200, {"Content-Type": "application/json"}, "{}"

    def _memberships(self, request):
        if not self._authorised(request):
            return 401, {}, "{}"
        body = {"id": self.memberships_url, "context": {"id": self.course_id}, "members": self.members}
        return 200, {"Content-Type": "application/vnd.ims.lti-nrps.v2.membershipcontainer+json"}, json.dumps(body)

    def _lineitems(self, request):
        return 200, {"Content-Type": "application/json"}, json.dumps(self.lineitems)

    def _create_lineitem(self, request):
        item = json.loads(request.body) | {"id": self.lineitem_url}
        self.lineitems.append(item)
        return 201, {"Content-Type": "application/json"}, json.dumps(item)

    # -- a browser launching the tool ---------------------------------------------------------
    def login(self, client: Client, **params):
        query = {"iss": ISSUER, "login_hint": "hint-1", "target_link_uri": f"{TOOL}/lti/launch/",
                 "lti_message_hint": "msg-1", "client_id": CLIENT_ID, "lti_deployment_id": DEPLOYMENT_ID}
        return client.get("/lti/login/", query | params)

    def id_token(self, auth_request: dict, *, sub="student-1", roles=(LEARNER,), name="Ada Lovelace",
                 email="ada@example.edu", custom=None, message="resource", ags=True, nrps=True,
                 resource_link="link-1", mutate=None, key: str | None = None, expires_in: int = 300) -> str:
        """Return the id_token the platform posts back for ``auth_request`` (the login redirect's query)."""
        launch = _Launch(_PlainRequest(auth_request), self.conf)
        launch._registration = self.registration
        launch.validate_preflight_response(auth_request)
        launch.set_user_data(sub, list(roles), full_name=name, email_address=email)
        launch.set_launch_context_claim(self.course_id, context_title=self.course_title, context_label="CNN101",
                                        context_types=["http://purl.imsglobal.org/vocab/lis/v2/course#CourseOffering"])
        if message == "resource":
            launch.set_resource_link_claim(resource_link, title="Placed activity")
        if custom:
            launch.set_custom_parameters_claim(custom)
        if ags:
            launch.set_ags(self.lineitems_url, self.lineitem_url)
        if nrps:
            launch.set_nrps(self.memberships_url)
        claims, _state = launch.get_launch_data()
        claims["given_name"], _, claims["family_name"] = name.partition(" ")
        if message == "deep_link":
            claims["https://purl.imsglobal.org/spec/lti/claim/message_type"] = "LtiDeepLinkingRequest"
            claims.update(LtiDeepLinking(f"{ISSUER}/deep-link-return").get_lti_deep_linking_launch_claim(
                title="Add", accept_types={"ltiResourceLink"}, extra_data=None))
            claims["https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings"]["data"] = "opaque-1"
        now = int(time.time())
        claims.update({"iat": now, "exp": now + expires_in, "jti": str(uuid.uuid4())})
        if mutate:
            mutate(claims)
        kid = Registration.get_jwk(public_pem(self.private_key))["kid"]  # the platform's key id, whoever signs
        return jwt.encode(claims, key or self.private_key, algorithm="RS256", headers={"kid": kid})

    def launch(self, client: Client, *, login_params=None, state=None, **token_options):
        """Run login -> authenticate -> launch; return the tool's answer to the launch POST."""
        started = self.login(client, **(login_params or {}))
        assert started.status_code == 302, started.content
        location = urlsplit(started["Location"])
        assert f"{location.scheme}://{location.netloc}{location.path}" == f"{ISSUER}/auth"
        auth_request = dict(parse_qsl(location.query))
        assert auth_request["redirect_uri"] == f"{TOOL}/lti/launch/"
        token = self.id_token(auth_request, **token_options)
        self.last_post = {"id_token": token, "state": state or auth_request["state"]}
        return client.post("/lti/launch/", self.last_post)

    def verify_deep_link_response(self, jwt_value: str) -> list[dict]:
        """Check the tool's deep-linking JWT like an LMS does; return its content items."""
        self.registration.set_tool_key_set(Client().get("/lti/jwks/").json())
        return self.conf.validate_deeplinking_resp({"JWT": jwt_value})
