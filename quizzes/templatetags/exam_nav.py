"""The exam navigation's links, built in Python: twenty ``{% include %}`` s cost more than the page's question."""

from django import template
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

register = template.Library()


def _link(attempt, question, current_pk: int | None, oob: bool) -> SafeString:
    """Return one question's link: answered and flagged as classes and in its accessible name.

    In a one-way attempt a question before the furthest one opened is closed: plain text, no link.
    """
    position, answered, flagged = question.position, question.answered_at is not None, question.flagged
    if getattr(attempt, "one_way", False) and position < attempt.furthest_position:
        return format_html(
            '<span id="exam-nav-{}" class="{} passed-by"{} aria-label="{}">{}</span>',
            position, "answered" if answered else "", SafeString(' hx-swap-oob="true"') if oob else "",
            f"Question {position}" + (", answered" if answered else "") + " (one way: closed)", position,
        )
    attempt_id = attempt.pk
    classes = " ".join(name for name, on in (("answered", answered), ("flagged", flagged)) if on)
    label = f"Question {position}" + (", answered" if answered else "") + (", flagged" if flagged else "")
    return format_html(
        '<a id="exam-nav-{}" href="{}" class="{}"{}{} aria-label="{}">{}</a>',
        position, reverse("attempt_question", args=[attempt_id, position]), classes,
        SafeString(' aria-current="page"') if question.pk == current_pk else "",
        SafeString(' hx-swap-oob="true"') if oob else "", label, position,
    )


@register.simple_tag
def exam_nav_link(attempt, question, current=None, oob=False) -> SafeString:
    """Render the navigation link of ``question`` (``oob``: for an htmx out-of-band swap)."""
    return _link(attempt, question, getattr(current, "pk", None), bool(oob))


@register.simple_tag
def exam_nav_items(attempt, questions, current=None) -> SafeString:
    """Render every question's link as ``<li>`` items, in order."""
    current_pk = getattr(current, "pk", None)
    return format_html_join("\n", "<li>{}</li>", ((_link(attempt, q, current_pk, False),) for q in questions))
