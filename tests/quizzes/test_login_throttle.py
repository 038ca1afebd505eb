"""Failed logins are throttled per account (django-axes) and per IP, on the site login, /admin/
and password reset: a 429 with a clear message, before any password hashing; lockouts expire."""

from datetime import timedelta
from unittest import mock

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.hashers import check_password
from django.core import mail
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from quizzes import throttle

pytestmark = pytest.mark.django_db
PASSWORD = "right-password-2026"


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def ada(django_user_model):
    return django_user_model.objects.create_user("ada", email="ada@example.com", password=PASSWORD)


def log_in(client, username="ada", password="wrong", ip="10.0.0.1", url=None):
    return client.post(url or reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip)


def shown(message: str) -> str:
    """Return the part of a message before its first placeholder, as the page shows it."""
    return message.split("{")[0]


def test_after_five_wrong_passwords_even_the_right_one_gets_429(client, ada):
    for _ in range(4):
        assert log_in(client).status_code == 200
    assert log_in(client).status_code == 429  # the fifth failure locks the account
    locked = log_in(client, password=PASSWORD)
    assert locked.status_code == 429
    assert shown(throttle.LOCKED_OUT) in locked.content.decode()
    assert int(locked["Retry-After"]) > 0
    assert "_auth_user_id" not in client.session


def test_the_account_lock_holds_from_another_ip_too(client, ada):
    for n in range(5):
        log_in(client, ip=f"10.0.1.{n}")
    assert log_in(client, password=PASSWORD, ip="10.9.9.9").status_code == 429


def test_the_lockout_expires_after_the_cool_off(client, ada):
    for _ in range(5):
        log_in(client)
    assert log_in(client, password=PASSWORD).status_code == 429
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(hours=1))
    response = log_in(client, password=PASSWORD)
    assert response.status_code == 302 and "_auth_user_id" in client.session


def test_a_throttled_attempt_never_hashes_a_password(client, ada):
    for _ in range(5):
        log_in(client)
    with mock.patch("django.contrib.auth.base_user.check_password", wraps=check_password) as hashed, \
            mock.patch("django.contrib.auth.hashers.make_password") as dummy_hash:
        assert log_in(client, password=PASSWORD).status_code == 429
    assert hashed.call_count == 0 and dummy_hash.call_count == 0


def test_one_ip_trying_many_accounts_is_throttled(client, ada):
    for n in range(throttle.LOGIN_IP.limit):
        assert log_in(client, username=f"nobody{n}").status_code == 200
    response = log_in(client, password=PASSWORD)
    assert response.status_code == 429 and shown(throttle.TOO_MANY_FROM_HERE) in response.content.decode()
    assert log_in(client, password=PASSWORD, ip="10.0.0.2").status_code == 302  # another IP is fine


def test_admin_login_is_throttled_too(client, django_user_model):
    django_user_model.objects.create_user("boss", password=PASSWORD, is_staff=True)
    url = reverse("admin:login")
    for _ in range(4):
        assert log_in(client, username="boss", url=url).status_code == 200
    assert log_in(client, username="boss", url=url).status_code == 429
    assert log_in(client, username="boss", password=PASSWORD, url=url).status_code == 429


def test_password_reset_is_throttled_per_ip_and_per_email(client, ada):
    url = reverse("password_reset")
    for n in range(throttle.RESET_EMAIL.limit):
        assert client.post(url, {"email": "ada@example.com"}, REMOTE_ADDR=f"10.0.2.{n}").status_code == 302
    assert len(mail.outbox) == throttle.RESET_EMAIL.limit
    response = client.post(url, {"email": "ADA@example.com"}, REMOTE_ADDR="10.0.3.1")
    assert response.status_code == 429 and shown(throttle.TOO_MANY_RESETS) in response.content.decode()
    assert len(mail.outbox) == throttle.RESET_EMAIL.limit
    for n in range(throttle.RESET_IP.limit):
        client.post(url, {"email": f"other{n}@example.com"}, REMOTE_ADDR="10.0.4.1")
    assert client.post(url, {"email": "new@example.com"}, REMOTE_ADDR="10.0.4.1").status_code == 429


def test_a_successful_login_resets_the_account_count(client, ada):
    for _ in range(4):
        log_in(client)
    assert log_in(client, password=PASSWORD).status_code == 302
    client.post(reverse("logout"))
    for _ in range(4):
        assert log_in(client).status_code == 200
    assert log_in(client, password=PASSWORD).status_code == 302


def test_create_demo_accounts_lifts_their_lockouts(client):
    from quizzes.services.accounts import demo_accounts_ensure

    demo_accounts_ensure()
    for _ in range(5):
        log_in(client, username="student")
    assert log_in(client, username="student", password="student-pass-2026").status_code == 429
    demo_accounts_ensure()
    assert log_in(client, username="student", password="student-pass-2026").status_code == 302
