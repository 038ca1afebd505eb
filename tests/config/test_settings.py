"""Production settings: refuse to start without SECRET_KEY; pass ``check --deploy`` when configured."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PROD_ENV = {
    "DJANGO_SETTINGS_MODULE": "config.settings.prod",
    "SECRET_KEY": "x" * 30 + "-a-long-random-production-secret-value-0123456789",
    "ALLOWED_HOSTS": "backprop.example.com",
    "DATABASE_URL": "sqlite:////tmp/backprop-prod-check.sqlite3",
}

# The suite's own conftest sets DJANGO_ALLOW_ASYNC_UNSAFE, which the deploy check rightly rejects.
INHERITED_BUT_UNWANTED = {"SECRET_KEY", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}


def _manage(*args: str, env: dict) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in INHERITED_BUT_UNWANTED}
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env={**clean, **env},
                          capture_output=True, text=True, timeout=120)


def test_prod_refuses_to_start_without_secret_key():
    env = {k: v for k, v in PROD_ENV.items() if k != "SECRET_KEY"}
    result = _manage("check", env=env)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_prod_passes_the_deploy_check_when_configured():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=PROD_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
