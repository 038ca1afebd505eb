"""Suite-wide settings. Playwright's sync API runs an event loop, so let Django's ORM run beside it."""

import os

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
