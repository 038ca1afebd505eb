"""The load test's HTTP client resends, once, a request the server closed its connection on unanswered.

gunicorn closes a kept-alive connection after it has been idle for its keep-alive time (2 s).
A request sent at that very moment meets a closed socket and never reaches the application.
Browsers send such a request again on a new connection without the user noticing, so the
simulated students (``loadtest/locustfile.py``) do too, and the run reports how often. Every
other failure (a timeout, a reset after the answer began, a second close) stays an error.
"""

from __future__ import annotations

from collections.abc import Callable
from http.client import RemoteDisconnected

from urllib3.exceptions import ProtocolError
from urllib3.util.retry import Retry


def closed_without_answer(error: Exception | None) -> bool:
    """Return True if ``error`` is the server closing the connection before any byte of an answer."""
    cause = error.args[1] if isinstance(error, ProtocolError) and len(error.args) > 1 else None
    return isinstance(cause, RemoteDisconnected | ConnectionResetError)


class ResendLikeABrowser(Retry):
    """A urllib3 ``Retry`` for ``requests``' adapters: one resend, only after ``closed_without_answer``.

    ``on_resend(method, url)`` is called for each resend.
    """

    def __init__(self, on_resend: Callable[[str, str], None] | None = None, **kwargs) -> None:
        once = {"total": 1, "connect": 0, "read": 1, "other": 0, "status": 0, "redirect": False,
                "allowed_methods": None, "raise_on_status": False, "respect_retry_after_header": False}
        super().__init__(**{**once, **kwargs})
        self.on_resend = on_resend

    def new(self, **kwargs) -> ResendLikeABrowser:
        retry = super().new(**kwargs)  # every count given, so the defaults above do not reset them
        retry.on_resend = self.on_resend
        return retry

    def increment(self, method=None, url=None, response=None, error=None, _pool=None, _stacktrace=None):
        if error is not None and not closed_without_answer(error):
            raise error
        retry = super().increment(method, url, response, error, _pool, _stacktrace)
        if self.on_resend is not None:
            self.on_resend(method or "", url or "")
        return retry
