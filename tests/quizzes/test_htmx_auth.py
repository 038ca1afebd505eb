"""An htmx request from a signed-out user gets HX-Redirect to log in, with next back to the page."""

import pytest
from django.urls import reverse
from django.utils import timezone

from quizzes.models import Exam
from quizzes.services import exams as exam_services

pytestmark = pytest.mark.django_db


@pytest.fixture
def attempt(synced, student):
    return exam_services.exam_start(user=student, exam=Exam.objects.get(slug="tiny-exam"), when=timezone.now())


def test_expired_session_autosave_gets_401_with_hx_redirect_to_login_next_the_question(client, attempt):
    question = reverse("attempt_question", args=[attempt.pk, 2])
    response = client.post(reverse("attempt_answer", args=[attempt.pk, 2]), {"choice": 1}, headers={
        "HX-Request": "true", "HX-Current-URL": f"http://testserver{question}"})
    assert response.status_code == 401
    assert response["HX-Redirect"] == f"{reverse('login')}?next={question}"
    assert "<form" not in response.content.decode() and "NOT saved" in response.content.decode()
    assert attempt.responses.get(position=2).answered_at is None


def test_next_never_points_at_another_site(client, attempt):
    response = client.post(reverse("attempt_answer", args=[attempt.pk, 1]), {"choice": 1}, headers={
        "HX-Request": "true", "HX-Current-URL": "https://evil.example/steal"})
    assert response.status_code == 401
    assert response["HX-Redirect"] == reverse("login")


def test_htmx_get_falls_back_to_its_own_url(client, attempt):
    question = reverse("attempt_question", args=[attempt.pk, 1])
    response = client.get(question, headers={"HX-Request": "true"})
    assert response.status_code == 401 and response["HX-Redirect"] == f"{reverse('login')}?next={question}"


def test_plain_requests_still_redirect_to_log_in(client, attempt):
    response = client.post(reverse("attempt_answer", args=[attempt.pk, 1]), {"choice": 1})
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_signed_in_htmx_redirects_are_left_alone(client, attempt, student):
    client.force_login(student)
    response = client.post(reverse("attempt_answer", args=[attempt.pk, 1]), {"choice": 1}, headers={"HX-Request": "true"})
    assert response.status_code == 200 and "HX-Redirect" not in response
