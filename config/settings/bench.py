"""Benchmarks and load tests on 127.0.0.1: production-like (DEBUG off) without HTTPS, plus the control page.

``BENCH_CONTROL_VIEW`` adds ``/bench/control/`` (a bare signed-in page with three queries),
the yardstick ``manage.py bench_pages`` compares the site's pages with. Never used in production.
"""

import os

from .base import *  # noqa: F401,F403

DEBUG = False
SECRET_KEY = os.environ.get("SECRET_KEY", "bench-only-insecure-key-never-use-in-production")
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "quizzes.static_storage.SourceStaticStorage"},
}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
BENCH_CONTROL_VIEW = True
DEMO_ACCOUNTS_ALLOWED = True
LOGGING = {"version": 1, "disable_existing_loggers": False,
           "handlers": {"console": {"class": "logging.StreamHandler"}},
           "root": {"handlers": ["console"], "level": "WARNING"}}
