"""The author preview answers 404, never 500, for paths the file system cannot even look up."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from quizzes.roles import AUTHORS_GROUP
from quizzes.selectors.preview import resolve_content_file

pytestmark = pytest.mark.django_db

UNREADABLE_PATHS = [
    "questions/convolution/a%00.md",      # NUL byte: os.stat raises ValueError
    "exams/a%00.md",                      # the exam branch of the view
    "questions/" + "x" * 300 + ".md",     # one name longer than NAME_MAX: OSError ENAMETOOLONG
    "/".join(["y" * 200] * 30) + ".md",   # a path longer than PATH_MAX
]


@pytest.fixture
def author(client, django_user_model):
    user = django_user_model.objects.create_user("writer", password="pw-long-enough-1")
    user.groups.add(Group.objects.get(name=AUTHORS_GROUP))
    client.force_login(user)
    return user


@pytest.mark.parametrize("relpath", UNREADABLE_PATHS)
def test_a_path_with_a_nul_byte_or_too_long_a_name_is_a_404(client, author, good_content, relpath):
    assert client.get(reverse("preview_file", args=["x"]).replace("x", relpath)).status_code == 404


@pytest.mark.parametrize("relpath", ["questions/a\x00.md", "questions/" + "x" * 300 + ".md"])
def test_resolve_content_file_returns_none_for_paths_the_os_refuses(good_content, relpath):
    assert resolve_content_file(good_content.root, relpath) is None
