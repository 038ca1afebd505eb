"""Development: debug on, a fixed local secret, e-mail printed to the console."""

from .base import *  # noqa: F401,F403
from .base import SECRET_KEY

DEBUG = True
SECRET_KEY = SECRET_KEY or "dev-only-insecure-key-never-use-in-production"
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]"]
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
# WhiteNoise serves straight from the finders; nothing is collected.
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "quizzes.static_storage.SourceStaticStorage"},
}
# Demo accounts (student / author / admin) may be created only where this is True.
DEMO_ACCOUNTS_ALLOWED = True
