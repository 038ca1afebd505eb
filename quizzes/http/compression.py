"""Compress responses: brotli when the client asks and the body holds no secret, else gzip.

BREACH recovers a secret from the compressed size of a body that also reflects attacker
input. Every HTML page here carries the CSRF token (``hx-headers`` and the forms), and the
lab pages echo their query, so those bodies are compressed with gzip as Django's own
``GZipMiddleware`` does: a random-length file name in the gzip header ("Heal the Breach")
hides the length, and Django masks the CSRF token afresh on every request. Brotli has no such
padding field, so it is used only for bodies that hold no token (the lab API's JSON, the
health check, error pages without forms); static files are compressed ahead of time by
WhiteNoise (``.gz`` and ``.br`` beside each file). Session cookies travel in headers, which
are never compressed here.
"""

from __future__ import annotations

import re

import brotli
from django.conf import settings
from django.http import HttpRequest, HttpResponseBase
from django.middleware.gzip import GZipMiddleware
from django.utils.cache import patch_vary_headers

MIN_SIZE = 200
"""Bodies shorter than this (bytes) are sent as they are: compressing them does not pay."""
BROTLI_QUALITY = 5
"""Brotli's quality 0-11: 5 compresses about as fast as gzip level 6 and about 15% smaller."""
_ACCEPTS_BR = re.compile(r"(?:^|,)\s*br\s*(?:;\s*q\s*=\s*(?P<q>[0-9.]+))?\s*(?:,|$)", re.IGNORECASE)


def accepts_brotli(accept_encoding: str) -> bool:
    """Return whether an ``Accept-Encoding`` value asks for brotli (``br``, not ``br;q=0``)."""
    match = _ACCEPTS_BR.search(accept_encoding)
    if match is None:
        return False
    try:
        return float(match.group("q") or "1") > 0
    except ValueError:
        return False


def carries_csrf_token(request: HttpRequest, response: HttpResponseBase) -> bool:
    """Return whether the body was rendered with the CSRF token (before or after CSRF's middleware)."""
    return bool(request.META.get("CSRF_COOKIE_NEEDS_UPDATE")) or settings.CSRF_COOKIE_NAME in response.cookies


def _brotli_stream(chunks):
    compressor = brotli.Compressor(quality=BROTLI_QUALITY)
    for chunk in chunks:
        out = compressor.process(chunk)
        if out:
            yield out
    yield compressor.finish()


class CompressionMiddleware(GZipMiddleware):
    """Brotli for token-free bodies when ``Accept-Encoding`` asks for ``br``; gzip otherwise."""

    def process_response(self, request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
        if (not accepts_brotli(request.META.get("HTTP_ACCEPT_ENCODING", ""))
                or carries_csrf_token(request, response) or response.has_header("Content-Encoding")
                or getattr(response, "is_async", False)):
            return super().process_response(request, response)
        if not response.streaming and len(response.content) < MIN_SIZE:
            return response
        patch_vary_headers(response, ("Accept-Encoding",))
        if response.streaming:
            response.streaming_content = _brotli_stream(response.streaming_content)
            del response.headers["Content-Length"]
        else:
            compressed = brotli.compress(response.content, quality=BROTLI_QUALITY)
            if len(compressed) >= len(response.content):
                return response
            response.content = compressed
            response.headers["Content-Length"] = str(len(compressed))
        etag = response.get("ETag")
        if etag and etag.startswith('"'):
            response.headers["ETag"] = "W/" + etag
        response.headers["Content-Encoding"] = "br"
        return response
