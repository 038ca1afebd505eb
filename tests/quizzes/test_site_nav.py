"""The header's main navigation (``templatetags/site_nav.py``): built once per (section, roles), never mixed up."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def main_nav(html: str) -> list[tuple[str, bool]]:
    """Return the main navigation's links as (label, is the current page), in order."""
    nav = html.split('aria-label="Main"')[1].split("</nav>")[0]
    return [(label, bool(current)) for current, label in
            re.findall(r'<a href="[^"]+"( aria-current="page")?>([^<]+)</a>', nav)]


@pytest.mark.parametrize(("url_name", "current"), [
    ("home", "Home"), ("lab_index", "Lab"), ("practice", "Practice"), ("exam_list", "Exams"),
    ("review", "Review"), ("progress", "Progress"), ("password_change", None),
])
def test_each_section_marks_its_own_link_and_only_it(client, student, synced, url_name, current):
    client.force_login(student)
    links = main_nav(client.get(reverse(url_name)).content.decode())
    assert [label for label, is_current in links if is_current] == ([current] if current else [])


def test_what_each_role_sees_and_the_cache_never_hands_one_roles_links_to_another(client, student,
                                                                                    django_user_model):
    assert [label for label, _ in main_nav(client.get("/").content.decode())] == \
        ["Home", "Lab", "Practice", "Exams"]
    staff = django_user_model.objects.create_user("teacher", password="x", is_staff=True)
    client.force_login(staff)
    assert [label for label, _ in main_nav(client.get("/").content.decode())] == \
        ["Home", "Lab", "Practice", "Exams", "Review", "Progress", "Content preview", "Dashboard", "Admin"]
    client.force_login(student)  # the same section, rendered just before for staff
    assert [label for label, _ in main_nav(client.get("/").content.decode())] == \
        ["Home", "Lab", "Practice", "Exams", "Review", "Progress"]
    client.logout()
    assert "Review" not in [label for label, _ in main_nav(client.get("/").content.decode())]


def test_an_exam_question_marks_exams_as_the_current_section(client, student, synced):
    client.force_login(student)
    client.post(reverse("exam_start", args=["tiny-exam"]))
    attempt = student.exam_attempts.get()
    links = main_nav(client.get(reverse("attempt_question", args=[attempt.pk, 1])).content.decode())
    assert ("Exams", True) in links and sum(current for _, current in links) == 1
