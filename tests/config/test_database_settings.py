"""SQLite is set up for a web server (WAL, busy timeout, IMMEDIATE); health checks with persistent connections."""

from tests.config.test_settings import PROD_ENV, _manage

PRINT_SQLITE = (
    "from django.db import connection; c = connection.cursor(); "
    "print(c.execute('PRAGMA journal_mode').fetchone()[0], c.execute('PRAGMA busy_timeout').fetchone()[0], "
    "connection.transaction_mode)"
)


def test_sqlite_file_uses_wal_a_busy_timeout_and_immediate_transactions(tmp_path):
    env = {**PROD_ENV, "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}
    result = _manage("shell", "-c", PRINT_SQLITE, env=env)
    assert result.returncode == 0, result.stderr
    mode, busy_ms, transaction_mode = result.stdout.splitlines()[-1].split()
    assert mode == "wal" and int(busy_ms) >= 5000 and transaction_mode == "IMMEDIATE"


def test_persistent_connections_are_health_checked():
    code = "from django.conf import settings; d = settings.DATABASES['default']; print(d['CONN_MAX_AGE'], d['CONN_HEALTH_CHECKS'])"
    result = _manage("shell", "-c", code, env={**PROD_ENV, "CONN_MAX_AGE": "60"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1].split() == ["60", "True"]
