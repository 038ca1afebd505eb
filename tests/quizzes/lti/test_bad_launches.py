"""Refused launches: each gets a 4xx page saying what was wrong, and nothing is created."""

import pytest
from django.contrib.auth import get_user_model
from lti_tool.models import LtiContext, LtiDeployment, LtiMembership, LtiRegistration, LtiResourceLink, LtiUser

from quizzes.lti.models import LtiCourse, LtiExamLaunch, LtiGradePost
from quizzes.models import Cohort

from .platform import CLIENT_ID, rsa_pem

MODELS = [get_user_model(), LtiUser, LtiContext, LtiMembership, LtiResourceLink, LtiDeployment, LtiRegistration,
          Cohort, LtiCourse, LtiExamLaunch, LtiGradePost]


def counts() -> dict:
    return {model.__name__: model.objects.count() for model in MODELS}


def assert_refused(response, reason: str, status: int = 400) -> None:
    assert response.status_code == status, response.content
    assert reason.encode() in response.content, response.content.decode()[:2000]
    assert "This LMS launch was refused" in response.content.decode()


def drop(*path):
    def mutate(claims):
        node = claims
        for key in path[:-1]:
            node = node[key]
        del node[path[-1]]
    return mutate


def setting(key, value):
    def mutate(claims):
        claims[key] = value
    return mutate


@pytest.fixture
def before(platform, synced):
    return counts()


def test_bad_signature(platform, client, before):
    response = platform.launch(client, key=rsa_pem("attacker"))
    assert_refused(response, "Bad signature")
    assert counts() == before and "_auth_user_id" not in client.session


def test_wrong_audience(platform, client, before):
    response = platform.launch(client, mutate=setting("aud", "someone-else"))
    assert_refused(response, "Wrong audience: the token is for client &#x27;someone-else&#x27;")
    assert counts() == before


def test_audience_list_with_another_authorised_party(platform, client, before):
    response = platform.launch(client, mutate=lambda c: c.update(aud=[CLIENT_ID, "other"], azp="other"))
    assert_refused(response, "Wrong audience")
    assert counts() == before


def test_unknown_issuer_in_the_token(platform, client, before):
    response = platform.launch(client, mutate=setting("iss", "https://evil.example"))
    assert_refused(response, "Unknown issuer &#x27;https://evil.example&#x27;")
    assert counts() == before


def test_unknown_issuer_at_login(platform, client, before):
    response = platform.login(client, iss="https://evil.example")
    assert_refused(response, "Unknown issuer")
    assert counts() == before


def test_unknown_deployment(platform, client, before):
    response = platform.launch(client, mutate=setting("https://purl.imsglobal.org/spec/lti/claim/deployment_id",
                                                      "not-registered"))
    assert_refused(response, "Unknown deployment &#x27;not-registered&#x27;")
    assert counts() == before  # django-lti alone would have created the deployment


def test_inactive_deployment_is_forbidden(platform, client, before):
    LtiDeployment.objects.update(is_active=False)
    response = platform.launch(client)
    assert_refused(response, "switched off", status=403)
    assert counts() == before


def test_expired_token(platform, client, before):
    response = platform.launch(client, expires_in=-60)
    assert_refused(response, "Expired token")
    assert counts() == before


def test_replayed_nonce(platform, client, synced):
    assert platform.launch(client).status_code == 302
    after_first = counts()
    client.logout()
    replay = client.post("/lti/launch/", platform.last_post)
    assert_refused(replay, "Replayed launch")
    assert counts() == after_first and "_auth_user_id" not in client.session


def test_nonce_never_issued(platform, client, before):
    response = platform.launch(client, mutate=setting("nonce", "made-up-nonce"))
    assert_refused(response, "Replayed launch")
    assert counts() == before


def test_forged_state(platform, client, before):
    response = platform.launch(client, state="state-forged")
    assert_refused(response, "Unknown state")
    assert counts() == before


@pytest.mark.parametrize("path, reason", [
    (("sub",), "Missing claim: sub"),
    (("https://purl.imsglobal.org/spec/lti/claim/roles",), "Missing claim: roles"),
    (("https://purl.imsglobal.org/spec/lti/claim/resource_link",), "Missing claim: resource_link.id"),
    (("https://purl.imsglobal.org/spec/lti/claim/deployment_id",), "Missing claim: deployment_id"),
    (("https://purl.imsglobal.org/spec/lti/claim/message_type",), "Missing claim: message_type"),
    (("https://purl.imsglobal.org/spec/lti/claim/version",), "Wrong LTI version"),
    (("exp",), "Missing claim: exp"),
    (("iss",), "Missing claim: iss"),
    (("nonce",), "Missing claim: nonce"),
])
def test_missing_claims(platform, client, before, path, reason):
    response = platform.launch(client, mutate=drop(*path))
    assert_refused(response, reason)
    assert counts() == before


def test_missing_id_token(platform, client, before):
    platform.login(client)
    assert_refused(client.post("/lti/launch/", {"state": "state-x"}), "Missing id_token")
    assert counts() == before


def test_malformed_token(platform, client, before):
    from urllib.parse import parse_qsl, urlsplit

    state = dict(parse_qsl(urlsplit(platform.login(client)["Location"]).query))["state"]
    response = client.post("/lti/launch/", {"id_token": "not.a-jwt", "state": state})
    assert_refused(response, "not a well-formed JWT")
    assert counts() == before


def test_launch_accepts_only_post(platform, client):
    assert client.get("/lti/launch/").status_code == 405


def test_login_without_target_link_uri(platform, client, before):
    assert_refused(platform.login(client, target_link_uri=""), "Missing target_link_uri")
