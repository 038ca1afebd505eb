"""Parallel sign-ups with one username or one e-mail: one account, the others get the form error.

Every request passes the form's own checks before any of them writes (a barrier after
validation), so only the database can refuse the duplicates; the view must answer that
refusal with the form error, never a 500.
"""

import threading

import pytest
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse

from quizzes.forms import EMAIL_TAKEN, USERNAME_TAKEN, SignupForm
from tests.quizzes.concurrency import at_once

PASSWORD = "chain-rule-2026"
THREADS = 4


@pytest.fixture
def validated_together(monkeypatch):
    """Make every sign-up wait, after validating, until all of them have validated."""
    barrier = threading.Barrier(THREADS)
    original = SignupForm._post_clean

    def post_clean(self):
        original(self)
        barrier.wait(timeout=20)

    monkeypatch.setattr(SignupForm, "_post_clean", post_clean)


def _signup(username: str, email: str):
    client = Client(raise_request_exception=False)
    return lambda: client.post(reverse("signup"), {"username": username, "email": email,
                                                   "password1": PASSWORD, "password2": PASSWORD})


def _outcome(results) -> tuple[list, list]:
    assert not [r for r in results if isinstance(r, BaseException)], results
    assert all(r.status_code in (200, 302) for r in results), [r.status_code for r in results]
    return [r for r in results if r.status_code == 302], [r for r in results if r.status_code == 200]


@pytest.mark.django_db(transaction=True)
def test_parallel_signups_with_one_username_make_one_account(validated_together):
    created, refused = _outcome(at_once([_signup("ada", f"ada{n}@example.com") for n in range(THREADS)]))
    assert len(created) == 1 and len(refused) == THREADS - 1
    assert get_user_model().objects.filter(username="ada").count() == 1
    assert all(USERNAME_TAKEN in r.content.decode() for r in refused)


@pytest.mark.django_db(transaction=True)
def test_parallel_signups_with_one_email_in_any_case_make_one_account(validated_together):
    emails = ["ada@example.com", "ADA@example.com", "Ada@Example.com", "ada@EXAMPLE.COM"]
    created, refused = _outcome(at_once([_signup(f"ada{n}", emails[n]) for n in range(THREADS)]))
    assert len(created) == 1 and len(refused) == THREADS - 1
    assert get_user_model().objects.filter(email__iexact="ada@example.com").count() == 1
    assert all(EMAIL_TAKEN in r.content.decode() for r in refused)


@pytest.mark.django_db
def test_the_database_refuses_one_email_in_two_cases_but_allows_many_empty():
    users = get_user_model().objects
    users.create_user("a", email="Same@Example.com")
    with pytest.raises(IntegrityError), transaction.atomic():
        users.create_user("b", email="same@example.com")
    users.create_user("c", email="")
    users.create_user("d", email="")
    assert users.filter(email="").count() == 2
