"""The header's author link: the role is remembered briefly in the cache, one query less per page."""

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from quizzes.context_processors import header_is_author
from quizzes.roles import AUTHORS_GROUP

pytestmark = pytest.mark.django_db


def test_the_author_check_for_the_header_queries_once_then_uses_the_cache(student):
    Group.objects.get_or_create(name=AUTHORS_GROUP)[0].user_set.add(student)
    with CaptureQueriesContext(connection) as first:
        assert header_is_author(student) is True
    with CaptureQueriesContext(connection) as again:
        assert header_is_author(student) is True
    assert len(first) == 1 and len(again) == 0


def test_students_and_visitors_get_no_author_link(client, student):
    from django.contrib.auth.models import AnonymousUser

    assert header_is_author(AnonymousUser()) is False
    assert header_is_author(student) is False
    client.force_login(student)
    assert reverse("preview_index") not in client.get(reverse("home")).content.decode()


def test_access_is_still_checked_against_the_database(client, student):
    client.force_login(student)
    client.get(reverse("home"))  # remembers "not an author" for the header
    Group.objects.get_or_create(name=AUTHORS_GROUP)[0].user_set.add(student)
    assert client.get(reverse("preview_index")).status_code == 200
