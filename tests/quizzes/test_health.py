"""GET /healthz: 200 with a database check, 503 when the database does not answer."""

from unittest import mock

import pytest
from django.db import OperationalError
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_healthz_reports_ok_with_database_check(client):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"]["ok"] is True
    assert body["database"]["vendor"] in {"sqlite", "postgresql"}


def test_healthz_returns_503_when_database_unreachable(client):
    with mock.patch("quizzes.views.health.connection.cursor", side_effect=OperationalError("down")):
        response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": {"ok": False, "error": "OperationalError"}}


def test_healthz_refuses_post(client):
    assert client.post(reverse("healthz")).status_code == 405
