"""The choices of a question to answer, built in Python.

The exam and practice pages, which a class hits most, each show four to six choices; as a
template loop they cost about ten nodes each. Every part here is an integer, a literal or the
choice's HTML (rendered and sanitised from the question's markdown when the version was
stored), so the markup is assembled without escaping each piece.
"""

from django import template
from django.utils.safestring import SafeString

from ..selectors.presenting import QuestionView

register = template.Library()

LETTERS = "ABCDEFGH"
TRIED_BADGE = ' <span class="badge badge-tried">you tried this</span>'


@register.simple_tag
def choice_labels(question: QuestionView) -> SafeString:
    """Render one ``<label>`` per choice: a radio button (checked if chosen), its letter and its text;
    a choice the student already tried on this variant is marked."""
    labels = []
    for number, choice in enumerate(question.choices):
        tried = choice.position in question.tried_positions
        checked = " checked" if choice.is_chosen else ""
        labels.append(
            f'<label class="choice{" choice-tried" if tried else ""}">\n'
            f'  <input type="radio" name="choice" value="{int(choice.position)}"{checked}>\n'
            f'  <span class="choice-letter" aria-hidden="true">{LETTERS[number % len(LETTERS)]}</span>\n'
            f'  <span class="choice-body">{choice.html}{TRIED_BADGE if tried else ""}</span>\n'
            f'</label>')
    return SafeString("\n".join(labels))
