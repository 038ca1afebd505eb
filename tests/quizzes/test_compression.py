"""Responses are compressed: brotli when asked for bodies without a CSRF token, gzip otherwise."""

import gzip

import brotli
import pytest

from quizzes.http.compression import accepts_brotli

pytestmark = pytest.mark.django_db

API = "/api/lab/conv-window?kernel_size=3&stride=1&padding=1&seed=7"


def _plain(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert not response.has_header("Content-Encoding")
    return response.content


def test_lab_api_sends_brotli_that_decodes_to_the_same_json(client):
    plain = _plain(client, API)
    response = client.get(API, headers={"accept-encoding": "gzip, deflate, br, zstd"})
    assert response["Content-Encoding"] == "br"
    assert "Accept-Encoding" in response["Vary"]
    assert int(response["Content-Length"]) == len(response.content) < len(plain)
    assert brotli.decompress(response.content) == plain


def test_lab_api_sends_gzip_when_brotli_is_not_asked_for(client):
    plain = _plain(client, API)
    response = client.get(API, headers={"accept-encoding": "gzip"})
    assert response["Content-Encoding"] == "gzip"
    assert gzip.decompress(response.content) == plain


def test_brotli_refused_with_q_zero_falls_back_to_gzip(client):
    response = client.get(API, headers={"accept-encoding": "br;q=0, gzip"})
    assert response["Content-Encoding"] == "gzip"


def test_no_accept_encoding_means_no_compression(client):
    response = client.get(API, headers={"accept-encoding": "identity"})
    assert not response.has_header("Content-Encoding")
    assert response.json()["scenario"] == "conv-window"


def test_page_with_csrf_token_gets_gzip_with_random_padding_not_brotli(client):
    """BREACH: a body holding the CSRF token is never brotli; gzip's header length varies per response."""
    url = "/lab/conv-window/?kernel_size=3&seed=7"
    plain = _plain(client, url)
    assert b"X-CSRFToken" in plain
    sizes = set()
    for _ in range(6):
        response = client.get(url, headers={"accept-encoding": "br, gzip"})
        assert response["Content-Encoding"] == "gzip"
        body = gzip.decompress(response.content)
        assert body.split(b"X-CSRFToken")[0] == plain.split(b"X-CSRFToken")[0]
        sizes.add(len(response.content))
    assert len(sizes) > 1


def test_tiny_bodies_are_not_compressed(client):
    response = client.get("/healthz", headers={"accept-encoding": "br"})
    assert response.status_code == 200
    assert not response.has_header("Content-Encoding")


@pytest.mark.parametrize(("header", "expected"), [
    ("br", True), ("gzip, br", True), ("BR;q=0.5", True), ("br;q=0", False), ("br;q=0.0", False),
    ("gzip", False), ("", False), ("brotli", False), ("x-br", False), ("br;q=abc", False),
])
def test_accepts_brotli_reads_accept_encoding(header, expected):
    assert accepts_brotli(header) is expected
