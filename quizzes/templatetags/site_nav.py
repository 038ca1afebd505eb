"""The header's main navigation, built once per (section, roles) and reused.

Every page shows it, and it depends only on where the page is and which roles the visitor has,
never on who they are: so it is rendered in Python once per combination and kept (a few dozen
strings at most), instead of reversing ten URLs and testing twenty conditions per request.
"""

from __future__ import annotations

from dataclasses import dataclass

from django import template
from django.urls import get_script_prefix, reverse
from django.utils.html import format_html_join
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@dataclass(frozen=True)
class NavLink:
    """One link of the main navigation: who sees it and which URL names make it the current page."""

    label: str
    url_name: str
    current: tuple[str, ...] = ()
    current_prefixes: tuple[str, ...] = ()
    audience: str = "everyone"
    """``everyone``, ``signed_in``, ``author`` or ``instructor``."""
    tool: bool = False

    def is_current(self, url_name: str) -> bool:
        return url_name in self.current or any(url_name.startswith(p) for p in self.current_prefixes)


LINKS = (
    NavLink("Home", "home", current=("home",)),
    NavLink("Lab", "lab_index", current=("lab_index", "lab_scenario", "lab_values")),
    NavLink("Practice", "practice", current_prefixes=("practice",)),
    NavLink("Exams", "exam_list", current_prefixes=("exam_", "attempt_")),
    NavLink("Review", "review", current_prefixes=("review",), audience="signed_in"),
    NavLink("Progress", "progress", current=("progress",), audience="signed_in"),
    NavLink("Content preview", "preview_index", current=("preview_index", "preview_file"), audience="author",
            tool=True),
    NavLink("Dashboard", "instructor_overview", current_prefixes=("instructor",), audience="instructor", tool=True),
    NavLink("Admin", "admin:index", audience="instructor", tool=True),
)

_RENDERED: dict[tuple, SafeString] = {}


def _current_link(url_name: str) -> NavLink | None:
    return next((link for link in LINKS if link.is_current(url_name)), None)


def render_nav(current: NavLink | None, audiences: frozenset[str]) -> SafeString:
    """Return the ``<li>`` items of the links ``audiences`` may see, ``current`` marked as the page."""
    def item(link: NavLink) -> tuple:
        return (mark_safe(' class="nav-tool"') if link.tool else "", reverse(link.url_name),
                mark_safe(' aria-current="page"') if link is current else "", link.label)

    return format_html_join("\n", "<li{}><a href=\"{}\"{}>{}</a></li>",
                            (item(link) for link in LINKS if link.audience in audiences))


@register.simple_tag(takes_context=True)
def site_nav(context) -> SafeString:
    """Render the main navigation's items for this page and this visitor's roles."""
    request, user = context.get("request"), context.get("user")
    match = getattr(request, "resolver_match", None)
    current = _current_link(match.url_name or "" if match else "")
    audiences = {"everyone"}
    if user is not None and user.is_authenticated:
        audiences.add("signed_in")
        if context.get("user_is_author"):
            audiences.add("author")
        if context.get("user_is_instructor"):
            audiences.add("instructor")
    key = (get_script_prefix(), current, frozenset(audiences))
    html = _RENDERED.get(key)
    if html is None:
        html = _RENDERED[key] = render_nav(current, key[2])
    return html

