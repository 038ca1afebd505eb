"""Two gunicorn app servers on two ports, one PostgreSQL, one Redis: a session begun on one goes on on the other.

Runs only when DATABASE_URL points at PostgreSQL and REDIS_URL at a Redis server (``.ci/run``
starts both); the servers use the test database, so the data is committed (transactional_db).
"""

import http.cookiejar
import os
import secrets
import urllib.parse
import urllib.request

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection

from quizzes.bench.servers import Gunicorn, free_port

REDIS_URL = os.environ.get("REDIS_URL", "")
DATABASE_URL = os.environ.get("DATABASE_URL", "")
pytestmark = [
    pytest.mark.skipif(not (REDIS_URL and DATABASE_URL.startswith("postgres")),
                       reason="needs DATABASE_URL=postgres://... and REDIS_URL=redis://... (real servers)"),
    pytest.mark.django_db(transaction=True),
]
PASSWORD = "several-servers-pass-2026"


class Browser:
    """A cookie jar shared by every port of 127.0.0.1, as a browser behind a load balancer would have."""

    def __init__(self) -> None:
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def csrf(self) -> str:
        return next(c.value for c in self.jar if c.name == "csrftoken")

    def get(self, url: str) -> tuple[int, str, str]:
        with self.opener.open(url, timeout=30) as response:
            return response.status, response.geturl(), response.read().decode()

    def post(self, url: str, data: dict) -> tuple[int, str, str]:
        body = urllib.parse.urlencode({**data, "csrfmiddlewaretoken": self.csrf()}).encode()
        request = urllib.request.Request(url, data=body, headers={"Referer": url})
        with self.opener.open(request, timeout=30) as response:
            return response.status, response.geturl(), response.read().decode()


def _database_url() -> str:
    """Return the test database's URL (the servers must see what this test writes)."""
    s = connection.settings_dict
    return (f"postgres://{urllib.parse.quote(s['USER'])}:{urllib.parse.quote(s['PASSWORD'])}@"
            f"{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}")


@pytest.fixture
def servers(tmp_path, synced, django_user_model):
    # hashed as the servers' settings expect (the test settings' fast MD5 hasher is not theirs)
    django_user_model.objects.create(username="multi",
                                     password=PBKDF2PasswordHasher().encode(PASSWORD, PBKDF2PasswordHasher().salt()))
    env = {"DJANGO_SETTINGS_MODULE": "config.settings.bench", "DATABASE_URL": _database_url(),
           "REDIS_URL": REDIS_URL, "CACHE_KEY_PREFIX": f"multi-{secrets.token_hex(4)}",
           "CONTENT_DIR": str(synced.root)}
    first = Gunicorn(port=free_port(), env=env, workers=1, threads=2, log=tmp_path / "a.log")
    second = Gunicorn(port=free_port(), env=env, workers=1, threads=2, log=tmp_path / "b.log")
    with first, second:
        yield first, second, env["CACHE_KEY_PREFIX"]


def test_a_student_signs_in_on_one_server_and_goes_on_on_the_other(servers):
    first, second, prefix = servers
    browser = Browser()
    browser.get(f"{first.url}/accounts/login/")
    status, landed, _ = browser.post(f"{first.url}/accounts/login/", {"username": "multi", "password": PASSWORD})
    assert status == 200 and landed == f"{first.url}/"

    status, landed, html = browser.get(f"{second.url}/progress/")
    assert (status, landed) == (200, f"{second.url}/progress/")
    assert "<strong>multi</strong>" in html

    browser.post(f"{second.url}/practice/", {"difficulty": ""})  # the practice run is kept in the session
    status, landed, html = browser.get(f"{first.url}/practice/question/")
    assert landed == f"{first.url}/practice/question/" and 'name="response"' in html

    import redis

    client = redis.Redis.from_url(REDIS_URL)
    assert client.keys(f"{prefix}:*django.contrib.sessions.cached_db*"), "the session is not cached in Redis"

    for server in (first, second):  # and each reports both backing services
        report = server.health()
        assert report["status"] == "ok"
        assert report["database"] == {"ok": True, "vendor": "postgresql"}
        assert report["cache"] == {"ok": True, "backend": "redis"}
