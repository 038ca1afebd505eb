"""Cohort imports: old Mac line endings, and a new cohort's name taken by a concurrent upload."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from quizzes.forms import CohortImportForm
from quizzes.models import Cohort
from quizzes.services import cohorts as cohort_services

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(django_user_model):
    return {name: django_user_model.objects.create_user(name, password="pw-long-enough-1") for name in ("ada", "bob")}


@pytest.fixture
def staff(client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("teacher", password="pw-long-enough-1"))
    return client


@pytest.mark.parametrize("raw", [b"ada\rbob\r", b"username\rada\rbob", b"\xef\xbb\xbfada\r\nbob\r\n"])
def test_lines_ending_in_a_lone_carriage_return_are_read(raw):
    assert cohort_services.parse_usernames(raw) == ["ada", "bob"]


def test_a_new_cohort_name_taken_since_the_form_checked_is_refused_and_saves_nothing(people, django_user_model):
    Cohort.objects.create(name="Autumn")
    with pytest.raises(cohort_services.NameTaken):
        cohort_services.cohort_import(usernames=["ada"], new_name="Autumn")
    with pytest.raises(cohort_services.NameTaken):
        cohort_services.cohort_import(usernames=["ada"], new_name="autumn")
    assert Cohort.objects.count() == 1 and not Cohort.objects.get().members.exists()


def test_a_double_clicked_upload_gets_a_form_error_not_a_500(staff, people, monkeypatch):
    monkeypatch.setattr(CohortImportForm, "clean_new_name", lambda form: form.cleaned_data["new_name"].strip())
    Cohort.objects.create(name="Autumn")  # the first click's cohort, created after this form was checked
    response = staff.post(reverse("instructor_cohorts"),
                          {"new_name": "Autumn", "file": SimpleUploadedFile("l.csv", b"ada\n", content_type="text/csv")})
    assert response.status_code == 400
    assert cohort_services.NAME_TAKEN in response.content.decode()
    assert Cohort.objects.count() == 1 and not Cohort.objects.get().members.exists()


def test_an_integrity_error_on_create_is_reported_as_name_taken(people, monkeypatch):
    """The database's unique constraint is the last word: a race past the check is still refused."""
    from django.db import IntegrityError

    def collide(**kwargs):
        raise IntegrityError("UNIQUE constraint failed: quizzes_cohort.name")

    monkeypatch.setattr(Cohort.objects, "create", collide)
    with pytest.raises(cohort_services.NameTaken):
        cohort_services.cohort_import(usernames=["ada"], new_name="Spring")
