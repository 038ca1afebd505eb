"""REDIS_URL switches the cache to Django's Redis backend and sessions to cached_db; without it, today's defaults."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SHOW = ("import json, django; from django.conf import settings; django.setup(); "
        "print(json.dumps({'cache': settings.CACHES['default']['BACKEND'], "
        "'location': settings.CACHES['default'].get('LOCATION', ''), "
        "'sessions': settings.SESSION_ENGINE, 'shared': settings.SHARED_RESULTS_CACHE}))")


def _settings(**env: str) -> dict:
    clean = {k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "DJANGO_SETTINGS_MODULE"}}
    result = subprocess.run([sys.executable, "-c", SHOW], cwd=ROOT, capture_output=True, text=True, timeout=60,
                            env={**clean, "DJANGO_SETTINGS_MODULE": "config.settings.dev", **env})
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_without_redis_url_cache_is_local_memory_and_sessions_in_the_database():
    assert _settings() == {"cache": "django.core.cache.backends.locmem.LocMemCache", "location": "",
                           "sessions": "django.contrib.sessions.backends.db", "shared": False}


def test_with_redis_url_cache_and_sessions_use_redis():
    assert _settings(REDIS_URL="redis://127.0.0.1:6390/3") == {
        "cache": "django.core.cache.backends.redis.RedisCache", "location": "redis://127.0.0.1:6390/3",
        "sessions": "django.contrib.sessions.backends.cached_db", "shared": True}
