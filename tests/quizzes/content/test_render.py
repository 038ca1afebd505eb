"""Markdown -> MathML -> sanitised HTML; nothing executable survives."""

import pytest

from quizzes.content.render import MathProblem, render_markdown


def test_inline_and_display_math_become_mathml():
    html = render_markdown("Slope $\\frac{\\partial L}{\\partial w}$.\n\n$$x < y$$")
    assert '<math xmlns="http://www.w3.org/1998/Math/MathML" display="inline">' in html
    assert '<math xmlns="http://www.w3.org/1998/Math/MathML" display="block">' in html
    assert "<mfrac>" in html and "&lt;" in html


def test_fenced_code_is_highlighted():
    html = render_markdown("```python\nw = w - lr * grad\n```")
    assert '<div class="codehilite">' in html and "<code>" in html


@pytest.mark.parametrize("source", [
    "<script>alert(1)</script>", '<img src=x onerror="alert(1)">', "[x](javascript:alert(1))",
    '<a href="javascript:alert(1)">x</a>', "<iframe src='https://example.com'></iframe>",
    '<p onclick="alert(1)">x</p>', "<style>body{}</style>",
])
def test_nothing_executable_survives(source):
    html = render_markdown(source).lower()
    for bad in ("<script", "onerror", "onclick", "javascript:", "<iframe", "<style", "alert(1)</"):
        assert bad not in html


def test_bad_latex_raises_math_problem():
    with pytest.raises(MathProblem, match="unbalanced braces"):
        render_markdown("$\\frac{1}{2$")
    with pytest.raises(MathProblem, match="unknown command"):
        render_markdown("$\\nosuchcommand x$")
