"""Read settings from the environment, refusing malformed values at start-up."""

import os

from django.core.exceptions import ImproperlyConfigured

TRUE_WORDS = ("1", "true", "yes", "on")
FALSE_WORDS = ("0", "false", "no", "off")


def env_bool(name: str, *, default: bool) -> bool:
    """Return the yes/no environment variable ``name`` (``default`` when unset or empty).

    Accepts 1/0, true/false, yes/no, on/off in any case; anything else stops the start with a
    clear error rather than silently meaning "no".
    """
    raw = os.environ.get(name, "").strip().lower()
    if not raw:
        return default
    if raw in TRUE_WORDS:
        return True
    if raw in FALSE_WORDS:
        return False
    raise ImproperlyConfigured(
        f"{name} must be one of 1/0, true/false, yes/no, on/off (any case), got {os.environ[name]!r}"
    )
