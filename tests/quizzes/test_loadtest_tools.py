"""The load test's own tools: its students, the check that no acknowledged answer was lost, and the servers."""

import http.server
import json
import threading
import time
import urllib.request

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from quizzes.bench.servers import Gunicorn, free_port
from quizzes.bench.verify import verify
from quizzes.models import ExamAttempt, ReviewCard

pytestmark = pytest.mark.django_db


def test_create_loadtest_students_creates_n_and_is_idempotent():
    call_command("create_loadtest_students", count=3, password="pw-for-load-2026", verbosity=0)
    call_command("create_loadtest_students", count=4, password="pw-for-load-2026", verbosity=0)
    users = get_user_model().objects.filter(username__startswith="loadtest-").order_by("username")
    assert [u.username for u in users] == ["loadtest-1", "loadtest-2", "loadtest-3", "loadtest-4"]
    assert all(u.check_password("pw-for-load-2026") for u in users)


def test_create_loadtest_students_refuses_without_demo_accounts(settings):
    settings.DEMO_ACCOUNTS_ALLOWED = False
    with pytest.raises(CommandError, match="development and benchmark settings only"):
        call_command("create_loadtest_students", count=1, verbosity=0)


@pytest.fixture
def exam_run(client, student, synced):
    """A student who answered question 1 (choice 1, then 0) and submitted."""
    client.force_login(student)
    client.post(reverse("exam_start", args=["tiny-exam"]))
    attempt = ExamAttempt.objects.get(user=student)
    for choice in (1, 0):
        client.post(reverse("attempt_answer", args=[attempt.pk, 1]), {"choice": choice}, HTTP_HX_REQUEST="true")
    client.post(reverse("attempt_submit", args=[attempt.pk]))
    entries = [{"kind": "exam-sent", "user": "stu", "attempt": attempt.pk, "position": 1, "choice": 1},
               {"kind": "exam", "user": "stu", "attempt": attempt.pk, "position": 1, "choice": 1},
               {"kind": "exam-sent", "user": "stu", "attempt": attempt.pk, "position": 1, "choice": 0},
               {"kind": "exam", "user": "stu", "attempt": attempt.pk, "position": 1, "choice": 0},
               {"kind": "submit", "user": "stu", "attempt": attempt.pk}]
    return attempt, entries


def test_verify_accepts_a_run_whose_acknowledged_answers_are_stored(exam_run):
    _, entries = exam_run
    report = verify(entries)
    assert report.ok, report.problems
    assert (report.exam_answers, report.submissions) == (2, 1)


def test_verify_reports_an_acknowledged_answer_the_database_lost(exam_run):
    attempt, entries = exam_run
    attempt.responses.filter(position=1).update(chosen_position=1)
    report = verify(entries)
    assert report.problems == [f"attempt {attempt.pk} question 1: last acknowledged 0, stored 1"]


def test_verify_accepts_a_save_cut_off_after_it_was_sent(exam_run):
    attempt, entries = exam_run
    attempt.responses.filter(position=1).update(chosen_position=1)
    cut_off = {"kind": "exam-sent", "user": "stu", "attempt": attempt.pk, "position": 1, "choice": 1}
    assert verify([*entries[:-1], cut_off, entries[-1]]).ok


def test_verify_reports_an_attempt_graded_twice(exam_run):
    _, entries = exam_run
    ReviewCard.objects.filter(user__username="stu").update(reviews=2)
    assert any("graded twice" in problem for problem in verify(entries).problems)


def test_verify_reports_a_wrong_score_and_an_unfinished_submission(exam_run):
    attempt, entries = exam_run
    attempt.refresh_from_db()
    ExamAttempt.objects.filter(pk=attempt.pk).update(score=attempt.score + 1)
    assert any("score" in problem for problem in verify(entries).problems)
    ExamAttempt.objects.filter(pk=attempt.pk).update(finished_at=None)
    assert any("not finished" in problem for problem in verify(entries).problems)


def test_the_server_log_summary_names_gunicorns_own_problems_and_tracebacks(tmp_path):
    """A client's "connection reset" is often a worker gunicorn killed: the summary must say so."""
    import io

    from quizzes.management.commands.loadtest import Command

    log = tmp_path / "gunicorn-1.log"
    log.write_text("[2026-12-03 08:40:00 +0000] [100] [CRITICAL] WORKER TIMEOUT (pid:101)\n"
                   "[2026-12-03 08:40:01 +0000] [100] [CRITICAL] WORKER TIMEOUT (pid:102)\n"
                   "[2026-12-03 08:40:02 +0000] [100] [ERROR] Worker (pid:101) was sent SIGKILL! Perhaps out of memory?\n"
                   "[2026-12-03 08:40:03 +0000] [100] [INFO] Booting worker with pid: 103\n"
                   "Traceback (most recent call last):\n  File \"x.py\", line 1\nValueError: boom\n")
    command = Command(stdout=io.StringIO())
    command._print_server_errors([log])
    assert command.stdout.getvalue().splitlines() == [
        "  server log: 2 x [CRITICAL] WORKER TIMEOUT (pid:N)",
        "  server log: 1 x [ERROR] Worker (pid:N) was sent SIGKILL! Perhaps out of memory?",
        "  server log: 1 x ValueError: boom",
    ]


def test_verify_counts_resent_requests_apart_from_answers(exam_run):
    _, entries = exam_run
    report = verify([*entries, {"kind": "resent", "request": "POST http://127.0.0.1:1/attempts/1/q/1/answer/"}])
    assert report.ok, report.problems
    assert (report.exam_answers, report.resent) == (2, 1)


class _OneAtATime(http.server.BaseHTTPRequestHandler):
    """A server that, like a sync gunicorn worker, serves one request at a time; ``/slow`` takes 0.5 s."""

    served: list = []

    def do_GET(self):  # noqa: N802 - the handler's API
        if self.path == "/slow":
            time.sleep(0.5)
        self.served.append((self.path, time.monotonic()))  # served, before the client can read the answer
        body = json.dumps({"status": "ok"}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def test_settle_returns_only_after_the_requests_already_queued_were_served():
    _OneAtATime.served = []
    server = http.server.HTTPServer(("127.0.0.1", 0), _OneAtATime)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        port = server.server_address[1]
        left_behind = threading.Thread(target=urllib.request.urlopen, args=(f"http://127.0.0.1:{port}/slow",))
        left_behind.start()
        time.sleep(0.1)
        Gunicorn(port=port, env={}).settle()
        settled = time.monotonic()
        assert [path for path, _ in _OneAtATime.served] == ["/slow", "/healthz", "/healthz"]
        assert _OneAtATime.served[0][1] <= settled  # /slow was served to its end first
        left_behind.join()
    finally:
        server.shutdown()
        server.server_close()


def test_settle_gives_up_when_nothing_answers():
    with pytest.raises(RuntimeError, match="did not answer for 1 s"):
        Gunicorn(port=free_port(), env={}).settle(wait=1)
