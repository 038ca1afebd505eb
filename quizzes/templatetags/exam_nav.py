"""The exam navigation's links, built in Python: twenty ``{% include %}`` s cost more than the page's question."""

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString

from .site_urls import site_url

register = template.Library()


POSITION_MARK = 987654321
"""A position no attempt has: its URL is made once per page, then the mark is replaced by each position."""


def question_url_maker(attempt_id: int):
    """Return ``position -> URL of that question of the attempt`` (HTML-escaped), escaping once per page."""
    head, tail = site_url("attempt_question", attempt_id, POSITION_MARK).rsplit(str(POSITION_MARK), 1)
    head, tail = escape(head), escape(tail)
    return lambda position: f"{head}{int(position)}{tail}"


MARKS = {
    (False, False): ("", ""),
    (True, False): ("answered", ", answered"),
    (False, True): ("flagged", ", flagged"),
    (True, True): ("answered flagged", ", answered, flagged"),
}
"""(answered, flagged) -> the link's classes and what its accessible name adds after "Question N"."""


def _link(attempt, question, current_pk: int | None, oob: bool, url_of=None) -> str:
    """Return one question's link: answered and flagged as classes and in its accessible name.

    In a one-way attempt a question before the furthest one opened is closed: plain text, no link.
    ``url_of`` (``question_url_maker``) spares a ``reverse`` per link. Every part is an integer or
    a literal of this module (the URL is escaped once by ``question_url_maker``), so the markup
    is assembled without escaping each piece: twenty links per exam page add up.
    """
    position, answered = int(question.position), question.answered_at is not None
    swap = ' hx-swap-oob="true"' if oob else ""
    if attempt.one_way and position < attempt.furthest_position:
        label = f"Question {position}{', answered' if answered else ''} (one way: closed)"
        return (f'<span id="exam-nav-{position}" class="{"answered" if answered else ""} passed-by"{swap}'
                f' aria-label="{label}">{position}</span>')
    classes, said = MARKS[answered, bool(question.flagged)]
    current = ' aria-current="page"' if question.pk == current_pk else ""
    return (f'<a id="exam-nav-{position}" href="{(url_of or question_url_maker(attempt.pk))(position)}"'
            f' class="{classes}"{current}{swap} aria-label="Question {position}{said}">{position}</a>')


@register.simple_tag
def exam_nav_link(attempt, question, current=None, oob=False) -> SafeString:
    """Render the navigation link of ``question`` (``oob``: for an htmx out-of-band swap)."""
    return SafeString(_link(attempt, question, getattr(current, "pk", None), bool(oob)))


@register.simple_tag
def exam_nav_items(attempt, questions, current=None) -> SafeString:
    """Render every question's link as ``<li>`` items, in order."""
    current_pk, url_of = getattr(current, "pk", None), question_url_maker(attempt.pk)
    return SafeString("\n".join(f"<li>{_link(attempt, q, current_pk, False, url_of)}</li>" for q in questions))


@register.simple_tag
def flag_badge(flagged, oob=False) -> SafeString:
    """Render the question's "flagged for review" badge (``oob``: for an htmx out-of-band swap)."""
    swap = ' hx-swap-oob="true"' if oob else ""
    badge = ' <span class="badge badge-flag">flagged for review</span>' if flagged else ""
    return SafeString(f'<span id="flag-badge"{swap}>{badge}</span>')
