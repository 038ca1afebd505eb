"""The load test's client resends a request once when the server closed the connection without
answering (a kept-alive connection closed as the request was sent), as browsers do, and
nothing else: a second close, a cut-off answer or a timeout stays an error."""

import socket
import threading

import pytest
import requests
from requests.adapters import HTTPAdapter

from quizzes.bench.resend import ResendLikeABrowser

OK = b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\nConnection: close\r\n\r\nsaved"
CUT_OFF = b"HTTP/1.1 200 OK\r\nContent-Length: 50\r\n\r\nsav"


class Server:
    """A TCP server on 127.0.0.1 that, for its n-th connection, reads a request and sends ``replies[n]``
    (None: close without a byte; "reset": close with a TCP reset; "silent": never answer)."""

    def __init__(self, replies: list) -> None:
        self.replies, self.requests = replies, 0
        self.listener = socket.create_server(("127.0.0.1", 0))
        threading.Thread(target=self._serve, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.listener.getsockname()[1]}/attempts/1/q/1/answer/"

    def _serve(self) -> None:
        for reply in self.replies:
            connection, _ = self.listener.accept()
            connection.recv(65536)
            self.requests += 1
            if reply == "silent":
                threading.Event().wait(2)
            elif reply == "reset":
                connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
            elif reply is not None:
                connection.sendall(reply)
            connection.close()


def post(url: str, resent: list, timeout: float = 5) -> requests.Response:
    session = requests.Session()
    session.mount("http://", HTTPAdapter(max_retries=ResendLikeABrowser(on_resend=lambda m, u: resent.append(m))))
    return session.post(url, data={"choice": "1"}, timeout=timeout)


@pytest.mark.parametrize("first", [None, "reset"])
def test_a_request_closed_unanswered_is_sent_again_once(first):
    server, resent = Server([first, OK]), []
    response = post(server.url, resent)
    assert (response.status_code, response.text) == (200, "saved")
    assert (server.requests, resent) == (2, ["POST"])


def test_closed_unanswered_twice_is_an_error():
    server, resent = Server([None, None, OK]), []
    with pytest.raises(requests.ConnectionError):
        post(server.url, resent)
    assert server.requests == 2


def test_an_answer_cut_off_is_an_error_and_not_sent_again():
    server, resent = Server([CUT_OFF, OK]), []
    with pytest.raises(requests.exceptions.ChunkedEncodingError):
        post(server.url, resent)  # the body is read before post returns
    assert (server.requests, resent) == (1, [])


def test_a_timeout_is_an_error_and_not_sent_again():
    server, resent = Server(["silent", OK]), []
    with pytest.raises(requests.exceptions.ReadTimeout):
        post(server.url, resent, timeout=0.3)
    assert (server.requests, resent) == (1, [])
