"""GET /healthz: the database and the cache reported separately, 503 when one is down, answered first."""

from unittest import mock

import pytest
from django.conf import settings
from django.db import OperationalError
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_healthz_reports_database_and_cache_separately(client):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"]["ok"] is True
    assert body["database"]["vendor"] in {"sqlite", "postgresql"}
    assert body["cache"]["ok"] is True
    assert body["cache"]["backend"] == ("redis" if settings.REDIS_URL else "local-memory")


def test_healthz_returns_503_when_database_unreachable(client):
    with mock.patch("quizzes.http.health.connection.cursor", side_effect=OperationalError("down")):
        response = client.get(reverse("healthz"))
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error"
    assert body["database"] == {"ok": False, "error": "OperationalError"}
    assert body["cache"]["ok"] is True


def test_healthz_returns_503_when_cache_unreachable(client):
    with mock.patch("quizzes.http.health.cache.set", side_effect=ConnectionError("redis down")):
        response = client.get(reverse("healthz"))
    assert response.status_code == 503
    body = response.json()
    assert body["database"]["ok"] is True
    assert body["cache"]["ok"] is False
    assert body["cache"]["error"] == "ConnectionError"


def test_healthz_refuses_post(client):
    assert client.post(reverse("healthz")).status_code == 405


def test_healthz_answers_before_sessions_and_authentication(client, student):
    """The probe runs no session or user query and sets no cookie: one SELECT 1 and nothing else."""
    client.force_login(student)
    from django.db import connection

    with mock.patch("django.contrib.sessions.middleware.SessionMiddleware.process_request",
                    side_effect=AssertionError("session touched")), CaptureQueriesContext(connection) as queries:
        response = client.get("/healthz")
    assert response.status_code == 200
    assert [q["sql"] for q in queries.captured_queries] == ["SELECT 1"]
    assert not response.cookies
    assert "no-cache" in response["Cache-Control"]


def test_only_the_security_headers_wrap_healthz():
    """Only the security headers (a dictionary lookup) wrap /healthz; nothing that reads a session."""
    assert settings.MIDDLEWARE[:2] == ["quizzes.security_headers.SecurityHeadersMiddleware",
                                       "quizzes.http.health.HealthzMiddleware"]
