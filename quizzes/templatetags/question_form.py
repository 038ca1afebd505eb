"""The answer part of a question's form, built in Python: its choices, or its field for a typed number.

The exam and practice pages, which a class hits most, each show four to six choices; as a
template loop they cost about ten nodes each. Every part of a choice is an integer, a literal or
the choice's HTML (rendered and sanitised from the question's markdown when the version was
stored), so the markup is assembled without escaping each piece. The typed-number field escapes
what the student typed and the reason it was refused.
"""

from django import template
from django.utils.html import format_html
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


NUMERIC_FIELD = """<div class="numeric-answer{error_class}">
  <label for="answer-input" class="numeric-label">Your answer</label>
  <input type="text" id="answer-input" name="answer" value="{typed}" inputmode="decimal" autocomplete="off" \
spellcheck="false" class="numeric-input" aria-describedby="answer-input-help answer-input-error"{invalid}>
  <p class="field-help" id="answer-input-help">A number with a decimal point, such as 0.25, .5 or -1.2e-3.</p>
  <p class="field-error" id="answer-input-error" role="alert">{error}</p>
</div>"""


@register.simple_tag
def numeric_field(question: QuestionView, error: str = "") -> SafeString:
    """Render the field for a typed number: what the student typed, and why it was refused if it was."""
    return format_html(NUMERIC_FIELD, typed=question.typed_text, error=error or "",
                       error_class=SafeString(" has-error") if error else "",
                       invalid=SafeString(' aria-invalid="true"') if error else "")
