"""Human titles and descriptions of the topic slugs, from the published ``Topic`` rows.

``content/topics.yml`` is read in one place, the content pipeline, and synced into ``Topic``;
the lab reads those rows (one query per page). A slug with no row (content not synced yet)
stands for itself ("output-size" -> "Output size").
"""

from __future__ import annotations

from dataclasses import dataclass

from ..models import Topic


@dataclass(frozen=True)
class TopicInfo:
    slug: str
    title: str
    description: str = ""


def slug_title(slug: str) -> str:
    """Return a readable title for a slug: "backprop-fundamentals" -> "Backprop fundamentals"."""
    text = slug.replace("-", " ").replace("_", " ")
    return text[:1].upper() + text[1:]


def known_topics() -> dict[str, TopicInfo]:
    """Return every published topic by slug (one query)."""
    return {slug: TopicInfo(slug, title, description)
            for slug, title, description in Topic.objects.values_list("slug", "title", "description")}


def topic_info(slug: str, known: dict[str, TopicInfo] | None = None) -> TopicInfo:
    """Return the title and description of topic ``slug`` (from ``known``, else one query)."""
    if known is None:
        row = Topic.objects.filter(slug=slug).values_list("title", "description").first()
        return TopicInfo(slug, *row) if row else TopicInfo(slug, slug_title(slug))
    return known.get(slug) or TopicInfo(slug, slug_title(slug))
