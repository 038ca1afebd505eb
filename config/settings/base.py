"""Settings shared by every environment.

Secrets and the database come from the environment; ``dev``, ``test`` and ``prod``
override only what differs.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent.parent

SECRET_KEY = os.environ.get("SECRET_KEY", "")
DEBUG = False
ALLOWED_HOSTS = [h for h in os.environ.get("ALLOWED_HOSTS", "").split(",") if h]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "quizzes",
    "axes",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "quizzes.database_outage.DatabaseOutageMiddleware",
    "quizzes.htmx_auth.HtmxLoginRedirectMiddleware",
    "quizzes.security_headers.SecurityHeadersMiddleware",
    "quizzes.throttle.LoginThrottleMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "quizzes.context_processors.roles",
            ],
            "builtins": ["quizzes.templatetags.site_urls"],  # {% site_url %}: {% url %}, reversed once
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "0")),
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Argon2id at OWASP's recommended cost (quizzes/passwords.py); older PBKDF2 hashes still sign in
# and are re-hashed then.
PASSWORD_HASHERS = [
    "quizzes.passwords.Argon2idPasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "quizzes.static_storage.StaticStorage"},
}

# Where authors keep questions, topics and exams as markdown and YAML.
CONTENT_DIR = Path(os.environ.get("CONTENT_DIR", BASE_DIR / "content"))

DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Backprop Lab <noreply@localhost>")
EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}

# SQLite, when it is the database, is set up for a web server: WAL lets readers run beside the one
# writer, a busy timeout makes a second writer wait instead of failing with "database is locked",
# and IMMEDIATE transactions take the write lock at BEGIN, so two identical requests queue.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update({
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,  # seconds: sqlite3's busy timeout
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    })
# Persistent connections are checked before reuse, so a database restart costs no 500s.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = DATABASES["default"].get("CONN_MAX_AGE", 0) > 0

# Scripts only from this site (no inline scripts, no eval); inline style attributes are allowed
# for the bars and heatmaps. Sent by quizzes.security_headers.SecurityHeadersMiddleware.
CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'", "script-src 'self'", "style-src 'self'", "style-src-attr 'unsafe-inline'",
    "img-src 'self' data:", "font-src 'self'", "connect-src 'self'", "object-src 'none'",
    "base-uri 'self'", "form-action 'self'", "frame-ancestors 'none'",
])
PERMISSIONS_POLICY = ", ".join(f"{feature}=()" for feature in (
    "accelerometer", "camera", "geolocation", "gyroscope", "magnetometer", "microphone", "payment", "usb",
))

# Login throttling (quizzes/throttle.py): per client IP in the cache, then per account with
# django-axes, both before ModelBackend hashes a password; lockouts end after the cool-off.
AUTHENTICATION_BACKENDS = [
    "quizzes.throttle.IpLoginThrottleBackend",
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "quizzes.throttle.axes_lockout_response"
AXES_VERBOSE = False
# Per-IP limits are quizzes.throttle.LOGIN_IP's (a higher limit than per account, for classes
# behind one address), so axes counts per username only.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
# Scale: /healthz answers first, before sessions and authentication (quizzes/http/health.py);
# responses are compressed last, gzip or brotli (quizzes/http/compression.py explains BREACH).
MIDDLEWARE.insert(0, "quizzes.http.health.HealthzMiddleware")
# The CSP and Permissions-Policy headers (a dictionary lookup) wrap even /healthz.
MIDDLEWARE.remove("quizzes.security_headers.SecurityHeadersMiddleware")
MIDDLEWARE.insert(0, "quizzes.security_headers.SecurityHeadersMiddleware")
MIDDLEWARE.append("quizzes.http.compression.CompressionMiddleware")

# With REDIS_URL (e.g. redis://127.0.0.1:6379/0) every app server shares one Redis: Django's
# cache, sessions (cached_db: Redis in front of the database) and the rendered results of
# lab runs and question variants. Without it: per-process memory cache, database sessions.
REDIS_URL = os.environ.get("REDIS_URL", "")
SHARED_RESULTS_CACHE = bool(REDIS_URL)
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "backprop"),
            "TIMEOUT": 60 * 60 * 24,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 2},
        }
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
# LTI 1.3 (quizzes/lti/): django-lti keeps registrations, deployments, contexts and keys.
INSTALLED_APPS += ["lti_tool"]
# Seconds a grade post to an LMS may take before it counts as failed (and is retried later).
LTI_HTTP_TIMEOUT = float(os.environ.get("LTI_HTTP_TIMEOUT", "10"))
