"""Human titles and descriptions of the topic slugs, from ``content/topics.yml`` if present.

The file is read through the content loader once per change of its modification time;
without it (or if it cannot be read) a slug stands for itself ("output-size" -> "Output size").
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.conf import settings

logger = logging.getLogger(__name__)

TOPICS_FILE = "topics.yml"


@dataclass(frozen=True)
class TopicInfo:
    slug: str
    title: str
    description: str = ""


def slug_title(slug: str) -> str:
    """Return a readable title for a slug: "backprop-fundamentals" -> "Backprop fundamentals"."""
    text = slug.replace("-", " ").replace("_", " ")
    return text[:1].upper() + text[1:]


def topic_info(slug: str) -> TopicInfo:
    """Return the title and description of topic ``slug`` (the slug itself as a fallback)."""
    return _known_topics().get(slug) or TopicInfo(slug, slug_title(slug))


def _known_topics() -> dict[str, TopicInfo]:
    root = Path(settings.CONTENT_DIR)
    try:
        stamp = (root / TOPICS_FILE).stat().st_mtime_ns
    except OSError:
        return {}
    return _load(str(root), stamp)


@lru_cache(maxsize=4)
def _load(root: str, stamp: int) -> dict[str, TopicInfo]:
    try:
        from quizzes.content.bank import load_bank

        bank = load_bank(Path(root))
        return {t.slug: TopicInfo(t.slug, t.title, t.description) for t in bank.topics}
    except Exception:  # the content loader must never break the lab
        logger.exception("could not read the topic titles under %s", root)
        return {}
