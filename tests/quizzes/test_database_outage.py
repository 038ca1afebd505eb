"""A database outage answers 503 with Retry-After and one log line per request, never a traceback."""

import logging
from unittest import mock

import pytest
from django.db import InterfaceError, OperationalError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from quizzes.models import Exam
from quizzes.services import exams as exam_services

pytestmark = pytest.mark.django_db


REFUSED = OperationalError("connection to server at 127.0.0.1 failed: Connection refused")


def database_down(error=REFUSED):
    """Make every new cursor fail, as when the database server is stopped."""
    return mock.patch("django.db.backends.base.base.BaseDatabaseWrapper.cursor", side_effect=error)


@pytest.fixture
def signed_in(student):
    client = Client(raise_request_exception=False)
    client.force_login(student)
    return client


@pytest.mark.parametrize("error", [OperationalError("server closed the connection unexpectedly"),
                                   InterfaceError("connection already closed")])
def test_a_page_answers_503_with_retry_after_and_a_retrying_page(signed_in, synced, caplog, error):
    caplog.set_level(logging.INFO)
    with database_down(error):
        response = signed_in.get(reverse("progress"))
    assert response.status_code == 503
    assert int(response["Retry-After"]) > 0
    html = response.content.decode()
    assert "The database is briefly unavailable" in html
    assert "Your saved answers are safe" in html
    assert 'http-equiv="refresh"' in html
    errors = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(errors) == 1, [r.getMessage() for r in errors]
    assert errors[0].exc_info is None and "\n" not in errors[0].getMessage()
    assert "GET /progress/" in errors[0].getMessage() and type(error).__name__ in errors[0].getMessage()


def test_an_anonymous_page_answers_503_too(client, caplog):
    with database_down():
        response = Client(raise_request_exception=False).get(reverse("exam_list"))
    assert response.status_code == 503 and "Retry-After" in response


def test_a_post_says_to_submit_again_instead_of_refreshing(signed_in, synced, student):
    attempt = exam_services.exam_start(user=student, exam=Exam.objects.get(slug="tiny-exam"), when=timezone.now())
    with database_down():
        response = signed_in.post(reverse("attempt_answer", args=[attempt.pk, 1]), {"choice": 0})
    assert response.status_code == 503
    html = response.content.decode()
    assert 'http-equiv="refresh"' not in html and "was not saved" in html


def test_an_htmx_autosave_gets_a_503_that_says_not_saved(signed_in, synced, student):
    attempt = exam_services.exam_start(user=student, exam=Exam.objects.get(slug="tiny-exam"), when=timezone.now())
    with database_down():
        response = signed_in.post(reverse("attempt_answer", args=[attempt.pk, 1]), {"choice": 0},
                                  headers={"HX-Request": "true"})
    assert response.status_code == 503 and int(response["Retry-After"]) > 0
    assert "NOT saved" in response.content.decode()
    assert "<html" not in response.content.decode()


def test_other_errors_are_still_500s(signed_in, synced):
    with mock.patch("quizzes.views.progress.progress.mastery_by_topic", side_effect=ValueError("bug")):
        response = signed_in.get(reverse("progress"))
    assert response.status_code == 500


def test_an_outage_while_saving_the_session_answers_503_with_one_log_line(synced, caplog):
    caplog.set_level(logging.INFO)
    client = Client(raise_request_exception=False)
    with mock.patch("django.contrib.sessions.backends.db.SessionStore.save",
                    side_effect=OperationalError("the database system is shutting down")):
        response = client.post(reverse("practice"), {"topics": ["convolution"], "difficulty": ""})
    assert response.status_code == 503 and "Retry-After" in response
    errors = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(errors) == 1 and errors[0].exc_info is None, [r.getMessage() for r in errors]
