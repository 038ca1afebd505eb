"""Small template helpers."""

from django import template

register = template.Library()


@register.filter
def get_item(mapping: dict, key):
    """Return ``mapping[key]`` (None if missing): ``{{ topics|get_item:slug }}``."""
    return mapping.get(key) if hasattr(mapping, "get") else None
