"""Cohorts: the model, the admin, and the CSV import (all or nothing, clear errors)."""


import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from quizzes.forms import CohortImportForm
from quizzes.models import Cohort, Question, Response
from quizzes.services import cohorts as cohort_services
from quizzes.services.responses import response_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(django_user_model):
    return {name: django_user_model.objects.create_user(name, password="pw-long-enough-1")
            for name in ("ada", "bob", "Chloé", "dan")}


@pytest.fixture
def staff(client, django_user_model):
    user = django_user_model.objects.create_superuser("teacher", password="pw-long-enough-1")
    client.force_login(user)
    return client


def upload(client, content: bytes, *, name="list.csv", **fields):
    return client.post(reverse("instructor_cohorts"),
                       {"file": SimpleUploadedFile(name, content, content_type="text/csv"), **fields})


def test_a_cohort_has_members(people):
    cohort = Cohort.objects.create(name="Autumn")
    cohort.members.add(people["ada"], people["bob"])
    assert str(cohort) == "Autumn" and list(people["ada"].cohorts.all()) == [cohort]


@pytest.mark.parametrize("content, names", [
    (b"username,email\nada,a@x\n bob ,b@x\n\nada,again\n", ["ada", "bob"]),
    (b"\xef\xbb\xbfUserName;x\n", None),  # a header with ';' is one column named 'UserName;x'
    (b"ada\nbob\r\n\r\nChlo\xc3\xa9\n", ["ada", "bob", "Chloé"]),
    (b"\xef\xbb\xbfusername\nada\n", ["ada"]),
    (b"email,username\nx@y,ada\nz@y\n", ["ada"]),
])
def test_parse_usernames(content, names):
    if names is None:
        assert cohort_services.parse_usernames(content) == ["UserName;x"]
    else:
        assert cohort_services.parse_usernames(content) == names


@pytest.mark.parametrize("content, message", [
    (b"", cohort_services.EMPTY_FILE), (b"\n \n", cohort_services.EMPTY_FILE),
    (b"username\n", cohort_services.EMPTY_FILE), (b"\xff\xfe\x00a", cohort_services.NOT_TEXT),
    (b"PK\x03\x04\x00\x00", cohort_services.NOT_TEXT), (b"name,email\nada,a@x\n", cohort_services.NO_USERNAME_COLUMN),
    (b"a" * (cohort_services.MAX_FILE_BYTES + 1), cohort_services.TOO_LARGE),
    ("\n".join(f"u{n}" for n in range(cohort_services.MAX_USERNAMES + 1)).encode(), cohort_services.TOO_MANY),
])
def test_bad_files_are_refused(content, message):
    with pytest.raises(cohort_services.BadFile) as refused:
        cohort_services.parse_usernames(content)
    assert refused.value.message == message


def test_import_into_a_new_cohort(staff, people):
    response = upload(staff, b"username\nada\nCHLO\xc3\x89\n", new_name="Spring")
    cohort = Cohort.objects.get(name="Spring")
    assert response.status_code == 302 and response["Location"].endswith(f"?cohort={cohort.pk}")
    assert set(cohort.members.values_list("username", flat=True)) == {"ada", "Chloé"}
    assert cohort.created_by.username == "teacher"
    html = staff.get(response["Location"]).content.decode()
    assert "Spring: 2 students added." in html


def test_import_into_an_existing_cohort_reports_who_was_already_there(staff, people):
    cohort = Cohort.objects.create(name="Autumn")
    cohort.members.add(people["ada"])
    response = upload(staff, b"ada\nbob\n", cohort=cohort.pk)
    assert set(cohort.members.values_list("username", flat=True)) == {"ada", "bob"}
    assert "Autumn: 1 student added, 1 already members." in staff.get(response["Location"]).content.decode()


def test_unknown_usernames_are_all_listed_and_nothing_is_saved(staff, people):
    response = upload(staff, b"username\nada\nzed\nbob\nyan\n", new_name="Winter")
    html = response.content.decode()
    assert response.status_code == 400
    assert "Nobody was added: 2 usernames did not match any account: zed, yan." in html
    assert not Cohort.objects.filter(name="Winter").exists()
    existing = Cohort.objects.create(name="Autumn")
    upload(staff, b"ada\nzed\n", cohort=existing.pk)
    assert existing.members.count() == 0


@pytest.mark.parametrize("content, fields, message", [
    (b"\x00\x01binary", {"new_name": "X"}, cohort_services.NOT_TEXT),
    (b"name,email\nada,a\n", {"new_name": "X"}, cohort_services.NO_USERNAME_COLUMN),
    (b"ada\n", {}, cohort_services.CHOOSE_ONE),
    (b"ada\n", {"new_name": "autumn"}, cohort_services.NAME_TAKEN),
])
def test_bad_uploads_are_form_errors(staff, people, content, fields, message):
    autumn = Cohort.objects.create(name="Autumn")
    response = upload(staff, content, **fields)
    assert response.status_code == 400
    assert message.replace("'", "&#x27;") in response.content.decode()
    assert autumn.members.count() == 0 and Cohort.objects.count() == 1


def test_choosing_both_a_cohort_and_a_new_name_is_refused(staff, people):
    autumn = Cohort.objects.create(name="Autumn")
    response = upload(staff, b"ada\n", cohort=autumn.pk, new_name="Other")
    assert response.status_code == 400 and cohort_services.CHOOSE_ONE in response.content.decode()


def test_a_missing_file_is_a_form_error(staff, people):
    response = staff.post(reverse("instructor_cohorts"), {"new_name": "X"})
    assert response.status_code == 400 and "This field is required." in response.content.decode()


def test_the_cohort_list(staff, people):
    cohort = Cohort.objects.create(name="Autumn", description="Monday group")
    cohort.members.add(people["ada"], people["bob"])
    html = staff.get(reverse("instructor_cohorts")).content.decode()
    assert "Autumn" in html and "Monday group" in html and f"?cohort={cohort.pk}" in html


def test_students_cannot_import(client, people):
    client.force_login(people["ada"])
    assert upload(client, b"ada\n", new_name="Mine").status_code == 403
    assert not Cohort.objects.exists()


def test_admin_edits_cohorts_with_a_members_picker(staff, people):
    html = staff.get(reverse("admin:quizzes_cohort_add")).content.decode()
    assert "selectfilter" in html.lower() or "SelectFilter" in html
    response = staff.post(reverse("admin:quizzes_cohort_add"),
                          {"name": "Lab group", "description": "", "members": [people["ada"].pk, people["dan"].pk]})
    assert response.status_code == 302
    cohort = Cohort.objects.get(name="Lab group")
    assert cohort.members.count() == 2 and cohort.created_by.username == "teacher"
    assert ">2<" in staff.get(reverse("admin:quizzes_cohort_changelist")).content.decode()


@pytest.mark.parametrize("model", ["topic", "question", "questionversion", "exam", "examattempt", "response",
                                   "practicesession", "reviewcard"])
def test_rows_written_by_services_are_read_only_in_the_admin(staff, synced, model):
    assert staff.get(reverse(f"admin:quizzes_{model}_changelist")).status_code == 200
    assert staff.get(reverse(f"admin:quizzes_{model}_add")).status_code == 403


def test_a_response_can_be_viewed_but_not_changed(staff, synced, student):
    row = response_create(user=student, question=Question.objects.get(qid="conv-window-bias"),
                          mode=Response.Mode.PRACTICE, when=timezone.now())
    url = reverse("admin:quizzes_response_change", args=[row.pk])
    html = staff.get(url).content.decode()
    assert "conv-window-bias" in html and 'type="submit" value="Save"' not in html
    assert staff.post(url, {"mode": "exam"}).status_code == 403


# Hardening: hostile or out-of-order requests change nothing (test_hardening_cohorts).
# Cohort imports: old Mac line endings, and a new cohort's name taken by a concurrent upload.

@pytest.fixture
def two_people(django_user_model):
    return {name: django_user_model.objects.create_user(name, password="pw-long-enough-1") for name in ("ada", "bob")}


@pytest.mark.parametrize("raw", [b"ada\rbob\r", b"username\rada\rbob", b"\xef\xbb\xbfada\r\nbob\r\n"])
def test_lines_ending_in_a_lone_carriage_return_are_read(raw):
    assert cohort_services.parse_usernames(raw) == ["ada", "bob"]


def test_a_new_cohort_name_taken_since_the_form_checked_is_refused_and_saves_nothing(two_people, django_user_model):
    Cohort.objects.create(name="Autumn")
    with pytest.raises(cohort_services.NameTaken):
        cohort_services.cohort_import(usernames=["ada"], new_name="Autumn")
    with pytest.raises(cohort_services.NameTaken):
        cohort_services.cohort_import(usernames=["ada"], new_name="autumn")
    assert Cohort.objects.count() == 1 and not Cohort.objects.get().members.exists()


def test_a_double_clicked_upload_gets_a_form_error_not_a_500(staff, two_people, monkeypatch):
    monkeypatch.setattr(CohortImportForm, "clean_new_name", lambda form: form.cleaned_data["new_name"].strip())
    Cohort.objects.create(name="Autumn")  # the first click's cohort, created after this form was checked
    response = staff.post(reverse("instructor_cohorts"),
                          {"new_name": "Autumn", "file": SimpleUploadedFile("l.csv", b"ada\n", content_type="text/csv")})
    assert response.status_code == 400
    assert cohort_services.NAME_TAKEN in response.content.decode()
    assert Cohort.objects.count() == 1 and not Cohort.objects.get().members.exists()


def test_an_integrity_error_on_create_is_reported_as_name_taken(two_people, monkeypatch):
    """The database's unique constraint is the last word: a race past the check is still refused."""
    from django.db import IntegrityError

    def collide(**kwargs):
        raise IntegrityError("UNIQUE constraint failed: quizzes_cohort.name")

    monkeypatch.setattr(Cohort.objects, "create", collide)
    with pytest.raises(cohort_services.NameTaken):
        cohort_services.cohort_import(usernames=["ada"], new_name="Spring")
