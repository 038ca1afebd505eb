"""The page frame's navigation (``templatetags/site_nav.py``): the main links, built once per (section, roles)
and never mixed up; the account area; the banner back to an exam in progress."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

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


AS_A_TEMPLATE = """{% if user.is_authenticated %}
  <span class="who"><span class="who-label">Signed in as </span><strong>{{ user.get_username }}</strong></span>
  <a href="{% url 'password_change' %}"{% if url_name == 'password_change' %} aria-current="page"{% endif %}>Password</a>
  <form method="post" action="{% url 'logout' %}" class="inline-form">
    {% csrf_token %}
    <button type="submit" class="link-button">Log out</button>
  </form>
{% else %}
  <a href="{% url 'login' %}"{% if url_name == 'login' %} aria-current="page"{% endif %}>Log in</a>
  <a class="button button-small" href="{% url 'signup' %}"{% if url_name == 'signup' %} aria-current="page"{% endif %}>Sign up</a>
{% endif %}"""
"""The account area as the header's template wrote it before ``{% account_nav %}``."""


def account_area(html: str) -> str:
    """Return the header's account area with whitespace between tags and the CSRF token's masked value cut."""
    area = html.split('<div class="account-nav">')[1].split("</div>")[0] if "account-nav" in html else html
    area = re.sub(r'(name="csrfmiddlewaretoken" value=")[^"]+"', r'\1TOKEN"', area)
    return re.sub(r">\s+<", "><", area).strip()


@pytest.mark.parametrize(("signed_in", "url_name"), [
    (False, "home"), (False, "login"), (False, "signup"), (True, "home"), (True, "password_change"),
    (True, "practice"),
])
def test_the_account_area_is_the_markup_the_template_gave(client, django_user_model, signed_in, url_name):
    from django.template import RequestContext, Template

    if signed_in:
        client.force_login(django_user_model.objects.create_user('<b>"Ann"&co</b>', password="x"))
    response = client.get(reverse(url_name))
    assert response.status_code == 200
    request = response.wsgi_request
    expected = Template(AS_A_TEMPLATE).render(RequestContext(request, {"url_name": url_name}))
    assert account_area(response.content.decode()) == account_area(expected)
    assert ('aria-current="page"' in account_area(expected)) == (url_name in {"login", "signup", "password_change"})
    if signed_in:
        assert "&lt;b&gt;&quot;Ann&quot;&amp;co&lt;/b&gt;" in account_area(expected)
        assert 'value="TOKEN"' in account_area(expected)


def test_the_resume_banner_links_each_open_attempt_escaped_and_only_off_the_exam_pages(client, student, synced):
    from quizzes.models import Exam
    from quizzes.services import exams as exam_services

    assert "exam in progress" not in client.get(reverse("home")).content.decode()  # a visitor
    client.force_login(student)
    assert "exam in progress" not in client.get(reverse("home")).content.decode()
    Exam.objects.filter(slug="tiny-exam").update(title='Tiny <b>"exam"</b> & co')
    attempt = exam_services.exam_start(user=student, exam=Exam.objects.get(slug="tiny-exam"), when=timezone.now())
    banner = client.get(reverse("practice")).content.decode().split('class="resume-banner"')[1].split("</p>")[0]
    assert banner == (' role="status">You have an exam in progress:\n'
                      f'  <a href="{reverse("attempt_question", args=[attempt.pk, 1])}">'
                      'resume Tiny &lt;b&gt;&quot;exam&quot;&lt;/b&gt; &amp; co</a>.')
    for page in (reverse("attempt_question", args=[attempt.pk, 1]), reverse("attempt_submit", args=[attempt.pk])):
        assert "resume-banner" not in client.get(page).content.decode()
