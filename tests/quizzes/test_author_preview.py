"""The author preview renders files from disk for authors and staff only."""


import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from quizzes.models import Question
from quizzes.roles import AUTHORS_GROUP
from quizzes.selectors.preview import resolve_content_file
from tests.conftest import STATIC

pytestmark = pytest.mark.django_db


@pytest.fixture
def author(client, django_user_model):
    user = django_user_model.objects.create_user("writer", password="pw-long-enough-1")
    user.groups.add(Group.objects.get(name=AUTHORS_GROUP))
    client.force_login(user)
    return user


def test_students_get_403_and_visitors_are_sent_to_log_in(client, django_user_model, good_content):
    url = reverse("preview_index")
    assert client.get(url)["Location"].startswith(reverse("login"))
    client.force_login(django_user_model.objects.create_user("s", password="pw-long-enough-1"))
    assert client.get(url).status_code == 403
    assert client.get(reverse("preview_file", args=["questions/convolution/conv-window-bias.md"])).status_code == 403


def test_index_lists_every_file(client, author, good_content):
    html = client.get(reverse("preview_index")).content.decode()
    for relpath in ("questions/convolution/conv-window-bias.md", "questions/output-size/output-size-padded.md",
                    "exams/tiny-exam.md"):
        assert reverse("preview_file", args=[relpath]) in html
    assert "varies per attempt" in html


def test_static_question_marks_the_answer_and_misconceptions_without_syncing(client, author, good_content):
    response = client.get(reverse("preview_file", args=["questions/convolution/conv-window-bias.md"]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Correct answer" in html and "Forgot the bias" in html
    assert "The bias is added after the products are summed." in html
    assert Question.objects.count() == 0


def test_parameterised_question_shows_several_seeds(client, author, good_content):
    url = reverse("preview_file", args=["questions/output-size/output-size-padded.md"])
    html = client.get(url).content.decode()
    assert html.count('class="variant card"') == 3
    assert client.get(url + "?seeds=6").content.decode().count('class="variant card"') == 6
    assert html.count("/lab/conv-output-size/?") == 3
    assert client.get(url + "?seeds=nonsense").status_code == 200


def test_validation_errors_are_shown_on_the_page(client, author, good_content):
    good_content.question("broken", STATIC.replace("id: conv-window-bias", "id: broken").replace("- [x]", "- [ ]"))
    html = client.get(reverse("preview_file", args=["questions/convolution/broken.md"])).content.decode()
    assert "content/questions/convolution/broken.md:11: no correct choice" in html
    assert 'class="variant card"' not in html


def test_staff_can_preview_an_exam(client, django_user_model, good_content):
    client.force_login(django_user_model.objects.create_user("t", password="pw-long-enough-1", is_staff=True))
    html = client.get(reverse("preview_file", args=["exams/tiny-exam.md"])).content.decode()
    assert "Tiny exam" in html and "5 minutes" in html


@pytest.mark.parametrize("relpath", ["../config/settings/base.py", "questions/../../README.md",
                                     "questions/convolution/missing.md", "topics.yml", "%2e%2e/secret.md"])
def test_paths_outside_content_or_missing_are_404(client, author, good_content, relpath):
    assert client.get(reverse("preview_file", args=["x"]).replace("x", relpath)).status_code == 404


# Hardening: hostile or out-of-order requests change nothing (test_hardening_preview).
# The author preview answers 404, never 500, for paths the file system cannot even look up.

UNREADABLE_PATHS = [
    "questions/convolution/a%00.md",      # NUL byte: os.stat raises ValueError
    "exams/a%00.md",                      # the exam branch of the view
    "questions/" + "x" * 300 + ".md",     # one name longer than NAME_MAX: OSError ENAMETOOLONG
    "/".join(["y" * 200] * 30) + ".md",   # a path longer than PATH_MAX
]


@pytest.mark.parametrize("relpath", UNREADABLE_PATHS)
def test_a_path_with_a_nul_byte_or_too_long_a_name_is_a_404(client, author, good_content, relpath):
    assert client.get(reverse("preview_file", args=["x"]).replace("x", relpath)).status_code == 404


@pytest.mark.parametrize("relpath", ["questions/a\x00.md", "questions/" + "x" * 300 + ".md"])
def test_resolve_content_file_returns_none_for_paths_the_os_refuses(good_content, relpath):
    assert resolve_content_file(good_content.root, relpath) is None
