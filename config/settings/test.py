"""Tests: fast hashing, in-memory e-mail, plain static storage (the manifest 404s under live_server)."""

import os

from .base import *  # noqa: F401,F403

DEBUG = False
SECRET_KEY = "test-only-key"
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# WhiteNoise serves straight from the finders; nothing is collected.
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "quizzes.static_storage.SourceStaticStorage"},
}
DEMO_ACCOUNTS_ALLOWED = True
# SQLite tests use a file, as the site does: an in-memory database is shared between threads with
# table locks ("database table is locked"), which would hide how the site behaves under two
# requests at once. One file per test process; Django deletes it at the end.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    import os as _os
    import tempfile as _tempfile

    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": _os.path.join(_tempfile.gettempdir(), f"backprop-test-{_os.getpid()}.sqlite3"),
    }
if REDIS_URL:  # noqa: F405  (one test run's keys never meet another's in a shared Redis)
    CACHES["default"]["KEY_PREFIX"] = f"test-{os.getpid()}"  # noqa: F405
