"""Measure requests per second against one URL: wrk when installed, else a threaded Python client.

wrk (Debian: ``apt-get install wrk``) is the yardstick; the Python client shares the CPU with the
servers, so its figures are lower but still comparable with each other within one run.
"""

from __future__ import annotations

import http.client
import re
import shutil
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

WRK_SCRIPT = """\
wrk.method = {method!r}
wrk.body = {body!r}
{headers}
"""


@dataclass(frozen=True)
class Target:
    """One request to repeat: method, URL, extra headers and form body."""

    name: str
    url: str
    method: str = "GET"
    headers: tuple[tuple[str, str], ...] = ()
    body: str = ""


@dataclass(frozen=True)
class Figure:
    requests_per_second: float
    requests: int
    bad: int
    """Answers other than 2xx/3xx, plus socket errors and timeouts."""
    tool: str


def measure(target: Target, *, connections: int, seconds: float) -> Figure:
    """Return the requests/s of ``target`` with ``connections`` open connections for ``seconds``."""
    if shutil.which("wrk"):
        return _wrk(target, connections=connections, seconds=seconds)
    return _python(target, connections=connections, seconds=seconds)


def _wrk(target: Target, *, connections: int, seconds: float) -> Figure:
    headers = "\n".join(f"wrk.headers[{k!r}] = {v!r}" for k, v in target.headers)
    if target.body:
        headers += "\nwrk.headers['Content-Type'] = 'application/x-www-form-urlencoded'"
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(WRK_SCRIPT.format(method=target.method, body=target.body, headers=headers))
    try:
        result = subprocess.run(["wrk", "-t", str(min(2, connections)), "-c", str(connections),
                                 "-d", f"{max(1, round(seconds))}s", "--timeout", "10s", "-s", script.name,
                                 target.url], capture_output=True, text=True, timeout=seconds + 60)
    finally:
        Path(script.name).unlink()
    out = result.stdout
    rate = re.search(r"Requests/sec:\s*([\d.]+)", out)
    total = re.search(r"(\d+) requests in", out)
    if result.returncode != 0 or rate is None or total is None:
        raise RuntimeError(f"wrk failed on {target.url}: {out}{result.stderr}")
    bad = sum(int(n) for n in re.findall(r"Non-2xx or 3xx responses: (\d+)", out))
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    if errors:
        bad += sum(int(n) for n in errors.groups())
    return Figure(float(rate.group(1)), int(total.group(1)), bad, "wrk")


def _python(target: Target, *, connections: int, seconds: float) -> Figure:
    parts = urlsplit(target.url)
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    headers = dict(target.headers)
    if target.body:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    counts = [[0, 0] for _ in range(connections)]
    stop_at = time.monotonic() + seconds

    def worker(slot: list[int]) -> None:
        conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
        while time.monotonic() < stop_at:
            try:
                conn.request(target.method, path, body=target.body or None, headers=headers)
                response = conn.getresponse()
                response.read()
                slot[0] += 1
                slot[1] += response.status >= 400
            except (OSError, http.client.HTTPException):
                slot[1] += 1
                conn.close()
                conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
        conn.close()

    started = time.monotonic()
    threads = [threading.Thread(target=worker, args=(slot,)) for slot in counts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    total = sum(slot[0] for slot in counts)
    return Figure(total / elapsed, total, sum(slot[1] for slot in counts), "python")
