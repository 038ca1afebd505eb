"""``{% choice_labels %}``: each choice as a labelled radio button, its letter, and "you tried this"."""

import pytest
from django.template import Context, Template

from quizzes.selectors.presenting import ChoiceView, QuestionView


def render(question: QuestionView) -> str:
    return Template("{% load question_form %}{% choice_labels question %}").render(Context({"question": question}))


def test_choices_render_in_order_with_letters_the_chosen_one_checked():
    question = QuestionView(stem_html="<p>Which?</p>", revealed=False, choices=(
        ChoiceView(position=0, html="<p>3 &times; 3</p>"), ChoiceView(position=1, html="<p>5</p>", is_chosen=True),
        ChoiceView(position=2, html="<p><math><mn>7</mn></math></p>")))
    html = render(question)
    assert html.count("<label") == 3 and html.count(' checked') == 1
    assert '<input type="radio" name="choice" value="1" checked>' in html
    assert [html.index(f'aria-hidden="true">{letter}</span>') for letter in "ABC"] == sorted(
        html.index(f'aria-hidden="true">{letter}</span>') for letter in "ABC")
    assert "<p>3 &times; 3</p>" in html and "<math><mn>7</mn></math>" in html  # the choice's HTML as stored
    assert "choice-tried" not in html and "you tried this" not in html


def test_a_tried_choice_is_marked():
    question = QuestionView(stem_html="", revealed=False, tried_positions=(0,), choices=(
        ChoiceView(position=0, html="<p>a</p>"), ChoiceView(position=1, html="<p>b</p>")))
    first, second = render(question).split("</label>")[:2]
    assert 'class="choice choice-tried"' in first and "you tried this" in first
    assert 'class="choice"' in second and "you tried this" not in second


NUMERIC_AS_A_TEMPLATE = """<div class="numeric-answer{% if answer_error %} has-error{% endif %}">
  <label for="answer-{{ field_id|default:'input' }}" class="numeric-label">Your answer</label>
  <input type="text" id="answer-{{ field_id|default:'input' }}" name="answer" value="{{ question.typed_text }}" \
inputmode="decimal" autocomplete="off" spellcheck="false" class="numeric-input" \
aria-describedby="answer-{{ field_id|default:'input' }}-help answer-{{ field_id|default:'input' }}-error"\
{% if answer_error %} aria-invalid="true"{% endif %}>
  <p class="field-help" id="answer-{{ field_id|default:'input' }}-help">A number with a decimal point, such as 0.25, \
.5 or -1.2e-3.</p>
  <p class="field-error" id="answer-{{ field_id|default:'input' }}-error" role="alert">{{ answer_error }}</p>
</div>"""
"""The typed-number field as the include's template wrote it before ``{% numeric_field %}``."""


@pytest.mark.parametrize(("typed", "error"), [
    ("", ""), ("0.25", ""), ('1"><script>alert(1)</script>', ""), ("1_0", 'Not a number: "1_0" & <b>more</b>'),
])
def test_the_typed_number_field_is_the_markup_the_template_gave(typed, error):
    question = QuestionView(stem_html="", revealed=False, choices=(), kind="numeric", typed_text=typed)
    context = {"question": question, "answer_error": error}
    expected = Template(NUMERIC_AS_A_TEMPLATE).render(Context(context))
    html = Template("{% load question_form %}{% numeric_field question answer_error %}").render(Context(context))
    assert html == expected
    assert "<script>" not in html and "<b>" not in html
    assert ('aria-invalid="true"' in html) == bool(error)
