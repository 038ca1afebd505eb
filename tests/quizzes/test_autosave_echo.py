"""Autosaves echo the value the server stored, so the page can show "saved" only for that value."""

import pytest
from django.urls import reverse
from django.utils import timezone

from quizzes.models import Exam
from quizzes.services import exams as exam_services

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}


@pytest.fixture
def attempt(client, synced, student):
    client.force_login(student)
    return exam_services.exam_start(user=student, exam=Exam.objects.get(slug="tiny-exam"), when=timezone.now())


def test_answer_autosave_echoes_the_stored_choice(client, attempt):
    url = reverse("attempt_answer", args=[attempt.pk, 1])
    for choice in (1, 0):
        html = client.post(url, {"choice": choice}, headers=HTMX).content.decode()
        assert f'data-saved data-saved-value="{choice}"' in html
    assert attempt.responses.get(position=1).chosen_position == 0


def test_a_refused_answer_echoes_nothing(client, attempt):
    response = client.post(reverse("attempt_answer", args=[attempt.pk, 1]), {"choice": 9}, headers=HTMX)
    assert response.status_code == 400 and "data-saved" not in response.content.decode()


def test_flag_autosave_echoes_the_stored_flag_and_updates_badge_and_navigation(client, attempt):
    url = reverse("attempt_flag", args=[attempt.pk, 2])
    html = client.post(url, {"flagged": "1"}, headers=HTMX).content.decode()
    assert 'data-saved data-saved-value="1"' in html and "Flag saved." in html
    assert 'id="flag-badge" hx-swap-oob="true"' in html and "flagged for review" in html
    assert 'id="exam-nav-2"' in html and "flagged" in html
    html = client.post(url, {"flagged": "0"}, headers=HTMX).content.decode()
    assert 'data-saved-value="0"' in html and not attempt.responses.get(position=2).flagged


def test_the_question_page_shows_the_saved_value_of_a_saved_answer(client, attempt):
    client.post(reverse("attempt_answer", args=[attempt.pk, 1]), {"choice": 1}, headers=HTMX)
    html = client.get(reverse("attempt_question", args=[attempt.pk, 1])).content.decode()
    assert 'data-saved data-saved-value="1"' in html and 'data-autosave="choice"' in html
    assert "hx-on" not in html
