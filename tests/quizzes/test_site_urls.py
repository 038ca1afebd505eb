"""``site_url`` gives exactly what ``reverse`` gives, from a pattern reversed once."""

import pytest
from django.template import Context, Template
from django.urls import NoReverseMatch, reverse, set_script_prefix

from quizzes.templatetags import site_urls
from quizzes.templatetags.site_urls import site_url

CASES = [("home", ()), ("healthz", ()), ("attempt_question", (7, 3)), ("attempt_answer", (12, 20)),
         ("attempt_submit", (1,)), ("practice_result", (45678,)), ("exam_start", ("backprop-quiz",)),
         ("lab_scenario", ("training-iteration",))]


@pytest.mark.parametrize(("name", "args"), CASES)
def test_site_url_is_reverse(name, args):
    assert site_url(name, *args) == reverse(name, args=args)
    assert site_url(name, *args) == reverse(name, args=args)  # the second from the cached pattern


def test_each_script_prefix_has_its_own_patterns():
    try:
        set_script_prefix("/backprop/")
        assert site_url("attempt_question", 7, 3) == "/backprop/attempts/7/q/3/"
    finally:
        set_script_prefix("/")
    assert site_url("attempt_question", 7, 3) == "/attempts/7/q/3/"


def test_reverse_runs_once_per_pattern(monkeypatch):
    site_urls._PATTERNS.clear()
    calls = []
    monkeypatch.setattr(site_urls, "reverse", lambda name, args: calls.append(name) or reverse(name, args=args))
    urls = [site_url("attempt_question", 5, n) for n in range(1, 21)]
    assert urls == [f"/attempts/5/q/{n}/" for n in range(1, 21)] and calls == ["attempt_question"]


def test_non_integer_arguments_are_reversed_each_time():
    assert site_url("attempt_question", "7", 3) == "/attempts/7/q/3/"
    with pytest.raises(NoReverseMatch):  # as reverse: a bool is not a position
        site_url("attempt_question", True, 3)


def test_the_tag_renders_and_assigns_like_url():
    html = Template("{% load site_urls %}<a href=\"{% site_url 'attempt_flag' a b %}\">"
                    "{% site_url 'home' as home %}{{ home }}</a>").render(Context({"a": 3, "b": 4}))
    assert html == f'<a href="{reverse("attempt_flag", args=[3, 4])}">/</a>'
