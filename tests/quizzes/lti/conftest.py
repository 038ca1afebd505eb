"""Fixtures for the LTI tests: a registered platform simulator whose HTTP endpoints are mocked."""

import pytest
import responses
from jwcrypto.jwk import JWK
from lti_tool.models import Key

from quizzes.lti.tool import forget_platform_keys

from .platform import Platform, rsa_pem


@pytest.fixture
def mock_http():
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield mock


@pytest.fixture
def platform(db, mock_http):
    forget_platform_keys()
    Key.objects.create_from_jwk(JWK.from_pem(rsa_pem("tool").encode()))  # generated once per session
    simulator = Platform()
    simulator.register()
    simulator.serve(mock_http)
    yield simulator
    forget_platform_keys()
