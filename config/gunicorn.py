"""gunicorn settings for one app server: ``gunicorn -c config/gunicorn.py config.wsgi``.

Run several on different ports (or hosts) behind one PostgreSQL and one Redis: sessions
(``cached_db``) and the shared caches live in Redis and the database, so a student may be
served by any of them. Threads (``gthread``) let ``/healthz`` be answered while a worker's other
thread renders a slow page.

Environment: ``BIND`` (127.0.0.1:8000), ``WEB_WORKERS`` (2 x cores + 1), ``WEB_THREADS`` (4),
``WEB_TIMEOUT`` (30 s), ``CONN_MAX_AGE`` (60 s here: a worker keeps its database connection,
health-checked before reuse, instead of connecting for every request; on SQLite each close of
the last connection also checkpoints the write-ahead log).
"""

import multiprocessing
import os

os.environ.setdefault("CONN_MAX_AGE", "60")  # read by the settings in every worker (as quizzes.bench.servers)

bind = os.environ.get("BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_WORKERS", str(2 * multiprocessing.cpu_count() + 1)))
threads = int(os.environ.get("WEB_THREADS", "4"))
worker_class = "gthread"
timeout = int(os.environ.get("WEB_TIMEOUT", "30"))
graceful_timeout = 10
max_requests = 2000
max_requests_jitter = 200
