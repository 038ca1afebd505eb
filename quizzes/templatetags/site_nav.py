"""The page frame's navigation: the main links, built once per (section, roles) and reused, the
account area, and the banner that leads a student back to an exam in progress.

Every page shows them. The main links depend only on where the page is and which roles the
visitor has, never on who they are: so they are rendered in Python once per combination and
kept (a few dozen strings at most), instead of reversing ten URLs and testing twenty
conditions per request. The account area (who is signed in, Password, Log out) is one
format string rather than a dozen template nodes.
"""

from __future__ import annotations

from dataclasses import dataclass

from django import template
from django.template.defaulttags import CsrfTokenNode
from django.urls import get_script_prefix, reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from ..selectors.exams import open_attempts
from .site_urls import site_url

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
CURRENT_PAGE = mark_safe(' aria-current="page"')


def _current_link(url_name: str) -> NavLink | None:
    return next((link for link in LINKS if link.is_current(url_name)), None)


def render_nav(current: NavLink | None, audiences: frozenset[str]) -> SafeString:
    """Return the ``<li>`` items of the links ``audiences`` may see, ``current`` marked as the page."""
    def item(link: NavLink) -> tuple:
        return (mark_safe(' class="nav-tool"') if link.tool else "", reverse(link.url_name),
                CURRENT_PAGE if link is current else "", link.label)

    return format_html_join("\n", "<li{}><a href=\"{}\"{}>{}</a></li>",
                            (item(link) for link in LINKS if link.audience in audiences))


def _url_name(context) -> str:
    """Return the name of the URL the page answers ('' for none, as for an error page)."""
    match = getattr(context.get("request"), "resolver_match", None)
    return (match.url_name or "") if match else ""


@register.simple_tag(takes_context=True)
def site_nav(context) -> SafeString:
    """Render the main navigation's items for this page and this visitor's roles."""
    user = context.get("user")
    current = _current_link(_url_name(context))
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


SIGNED_IN = """<span class="who"><span class="who-label">Signed in as </span><strong>{username}</strong></span>
<a href="{password}"{password_current}>Password</a>
<form method="post" action="{logout}" class="inline-form">
  {csrf_input}
  <button type="submit" class="link-button">Log out</button>
</form>"""
SIGNED_OUT = """<a href="{login}"{login_current}>Log in</a>
<a class="button button-small" href="{signup}"{signup_current}>Sign up</a>"""


@register.simple_tag(takes_context=True)
def account_nav(context) -> SafeString:
    """Render the header's account area: who is signed in, Password and a Log out form (with the CSRF
    token, as ``{% csrf_token %}`` renders it); for a visitor, Log in and Sign up. The page's own link
    is marked as the current page."""
    user, url_name = context.get("user"), _url_name(context)
    if user is not None and user.is_authenticated:
        return format_html(SIGNED_IN, username=user.get_username(), password=site_url("password_change"),
                           password_current=CURRENT_PAGE if url_name == "password_change" else "",
                           logout=site_url("logout"), csrf_input=CsrfTokenNode().render(context))
    return format_html(SIGNED_OUT, login=site_url("login"), login_current=CURRENT_PAGE if url_name == "login" else "",
                       signup=site_url("signup"), signup_current=CURRENT_PAGE if url_name == "signup" else "")


EXAM_PAGES = frozenset({"attempt_question", "attempt_submit"})
"""Pages of an exam in progress: they need no banner leading back to it."""


@register.simple_tag(takes_context=True)
def resume_banner(context) -> SafeString:
    """Render "You have an exam in progress: resume <exam>" with a link to each of the signed-in
    user's unfinished attempts ('' for none, for a visitor and on the exam's own pages).

    Read here, not from the page's context, so that no view's own ``open_attempts`` (an instructor's
    list of students' attempts) can ever be offered as the visitor's own."""
    user = context.get("user")
    if user is None or not user.is_authenticated or _url_name(context) in EXAM_PAGES:
        return SafeString("")
    attempts = open_attempts(user)
    if not attempts:
        return SafeString("")
    links = format_html_join(", ", '<a href="{}">resume {}</a>', (
        (site_url("attempt_question", attempt.pk, 1), attempt.exam_title) for attempt in attempts))
    return format_html('<p class="resume-banner" role="status">You have an exam in progress:\n  {}.</p>', links)
