"""``{% choice_labels %}``: each choice as a labelled radio button, its letter, and "you tried this"."""

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
