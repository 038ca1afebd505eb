"""Start and stop gunicorn app servers on 127.0.0.1 for benchmarks, load tests and the multi-server test."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LOCALHOST = "127.0.0.1"


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind((LOCALHOST, 0))
        return probe.getsockname()[1]


def manage(*args: str, env: dict[str, str], timeout: float = 600) -> str:
    """Run ``manage.py args`` with ``env`` (added to this process's); return stdout, raise on failure."""
    result = subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env={**os.environ, **env},
                            capture_output=True, text=True, timeout=timeout)
    if result.returncode != 0:
        raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


class Gunicorn:
    """One gunicorn on ``127.0.0.1:port`` serving ``config.wsgi`` (a context manager)."""

    def __init__(self, *, port: int, env: dict[str, str], workers: int = 2, threads: int = 1,
                 log: Path | None = None) -> None:
        self.port, self.env, self.workers, self.threads, self.log = port, env, workers, threads, log
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://{LOCALHOST}:{self.port}"

    def start(self, *, wait: float = 60) -> Gunicorn:
        """Start gunicorn and wait until ``/healthz`` answers 200 (raise with its log otherwise)."""
        command = [sys.executable, "-m", "gunicorn", "config.wsgi", "--bind", f"{LOCALHOST}:{self.port}",
                   "--workers", str(self.workers), "--threads", str(self.threads), "--timeout", "60",
                   "--graceful-timeout", "5", "--log-level", "warning"]
        output = open(self.log, "ab") if self.log else subprocess.DEVNULL  # noqa: SIM115 - kept while it runs
        env = {"CONN_MAX_AGE": "60", **os.environ, **self.env}  # persistent connections, as config/gunicorn.py
        self.process = subprocess.Popen(command, cwd=ROOT, env=env,
                                        stdout=output, stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn on port {self.port} exited with {self.process.returncode}"
                                   + (f"; see {self.log}" if self.log else ""))
            if self.health().get("status") == "ok":
                return self
            time.sleep(0.25)
        self.stop()
        raise RuntimeError(f"gunicorn on port {self.port} did not become healthy in {wait:.0f} s")

    def health(self) -> dict:
        """Return the ``/healthz`` report ({} while nothing answers)."""
        try:
            with urllib.request.urlopen(f"{self.url}/healthz", timeout=2) as response:
                return json.loads(response.read())
        except urllib.error.HTTPError as error:
            return json.loads(error.read() or b"{}")
        except (OSError, ValueError):
            return {}

    def settle(self, *, wait: float = 60) -> None:
        """Return once the workers have served every request already waiting for them.

        A load generator that stops leaves up to one request per connection queued at the server,
        and sync workers still serve each one (into a closed socket): after 300 connections that
        is 0.3-0.6 s of work, which would count against whatever is measured next. Two health
        checks in turn, each queued behind that backlog, see it through (raise if nothing answers
        for ``wait`` seconds).
        """
        deadline = time.monotonic() + wait
        answered = 0
        while answered < 2:
            if self.health():
                answered += 1
            elif time.monotonic() > deadline:
                raise RuntimeError(f"gunicorn on port {self.port} did not answer for {wait:.0f} s")
            else:
                time.sleep(0.05)

    def stop(self) -> None:
        """Stop this gunicorn (its master and workers, by process group) and wait for it."""
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=5)

    def __enter__(self) -> Gunicorn:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
