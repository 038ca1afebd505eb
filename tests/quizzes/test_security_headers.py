"""Every page sends a strict Content-Security-Policy (no inline scripts) and a Permissions-Policy."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def directives(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    parsed = {}
    for part in policy.split(";"):
        name, *values = part.split()
        parsed[name] = values
    return parsed


@pytest.mark.parametrize("url", ["/", "/practice/", "/exams/", "/lab/", "/accounts/login/", "/healthz", "/nowhere/"])
def test_pages_send_csp_and_permissions_policy(client, url):
    response = client.get(url)
    csp = directives(response)
    assert csp["script-src"] == ["'self'"]
    assert csp["default-src"] == ["'self'"] and csp["object-src"] == ["'none'"]
    assert csp["frame-ancestors"] == ["'none'"] and csp["base-uri"] == ["'self'"]
    assert "'unsafe-inline'" not in csp["style-src"] and "'unsafe-eval'" not in " ".join(sum(csp.values(), []))
    policy = response["Permissions-Policy"]
    for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()"):
        assert feature in policy


def test_admin_sends_them_too(admin_client):
    response = admin_client.get(reverse("admin:index"))
    assert directives(response)["script-src"] == ["'self'"] and "Permissions-Policy" in response


def test_no_template_outside_the_lab_has_inline_javascript():
    from pathlib import Path

    from django.conf import settings

    templates = Path(settings.BASE_DIR) / "templates"
    offenders = []
    for path in templates.rglob("*.html"):
        if "quizzes/lab/" in path.as_posix():
            continue  # the lab's pages are the lab branch's
        text = path.read_text()
        for marker in ("hx-on", "<script>", "onclick=", "onchange=", "onsubmit=", "onload=", "javascript:"):
            if marker in text:
                offenders.append(f"{path.relative_to(templates)}: {marker}")
    assert offenders == []
