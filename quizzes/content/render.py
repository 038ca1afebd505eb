"""Markdown and LaTeX to safe HTML: markdown -> MathML (latex2mathml) -> sanitised by nh3, last.

Raw ``<script>``, event-handler attributes and ``javascript:`` URLs never survive ``nh3``;
``unsafe_snippets`` finds them in the source so the validator can tell the author.
"""

import html
import re
import threading

import markdown
import nh3
from latex2mathml.converter import convert as latex_to_mathml

MARKDOWN_EXTENSIONS = ["pymdownx.arithmatex", "fenced_code", "tables", "codehilite", "sane_lists"]
MARKDOWN_CONFIG = {
    "pymdownx.arithmatex": {"generic": True},
    "codehilite": {"guess_lang": False, "css_class": "codehilite"},
}
MATH_SPAN = re.compile(
    r'<(span|div) class="arithmatex">\s*\\([(\[])(.*?)\\[)\]]\s*</\1>', re.DOTALL
)
UNKNOWN_COMMAND = re.compile(r"\\[A-Za-z]+")

MATHML_TAGS = {
    "math", "semantics", "annotation", "mrow", "mi", "mn", "mo", "ms", "mtext", "mspace", "msup",
    "msub", "msubsup", "mfrac", "msqrt", "mroot", "mover", "munder", "munderover", "mtable", "mtr",
    "mtd", "mstyle", "menclose", "mpadded", "mphantom", "merror",
}
HTML_TAGS = {
    "p", "a", "em", "strong", "code", "pre", "ul", "ol", "li", "blockquote", "h3", "h4", "h5", "h6",
    "table", "thead", "tbody", "tr", "th", "td", "span", "div", "br", "hr", "sup", "sub", "del",
}
MATHML_ATTRIBUTES = {
    "display", "xmlns", "mathvariant", "stretchy", "fence", "form", "separator", "lspace", "rspace",
    "movablelimits", "largeop", "symmetric", "accent", "accentunder", "linethickness", "width",
    "height", "depth", "columnalign", "rowalign", "columnspacing", "rowspacing", "displaystyle",
    "scriptlevel", "notation", "minsize", "maxsize", "columnlines", "rowlines", "frame",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "span": {"class"},
    "div": {"class"},
    "code": {"class"},
    "pre": {"class"},
    "th": {"align"},
    "td": {"align"},
    **{tag: MATHML_ATTRIBUTES for tag in MATHML_TAGS},
}
UNSAFE_PATTERNS = (
    ("a <script> element", re.compile(r"<\s*script\b", re.IGNORECASE)),
    ("an event-handler attribute", re.compile(r"<[^>]*\son[a-z]+\s*=", re.IGNORECASE)),
    ("a javascript: URL", re.compile(r"javascript\s*:", re.IGNORECASE)),
    ("an <iframe>, <object> or <embed> element", re.compile(r"<\s*(iframe|object|embed)\b", re.IGNORECASE)),
    ("a <style> element", re.compile(r"<\s*style\b", re.IGNORECASE)),
)

_local = threading.local()


class MathProblem(ValueError):
    """A LaTeX fragment does not parse; ``latex`` is the fragment."""

    def __init__(self, latex: str, problem: str) -> None:
        super().__init__(f"{latex!r}: {problem}")
        self.latex = latex
        self.problem = problem


def _markdown() -> markdown.Markdown:
    """Return this thread's Markdown converter (building one is slow; they are not thread-safe)."""
    converter = getattr(_local, "markdown", None)
    if converter is None:
        converter = _local.markdown = markdown.Markdown(
            extensions=MARKDOWN_EXTENSIONS, extension_configs=MARKDOWN_CONFIG, output_format="html"
        )
    return converter


def math_to_mathml(latex: str, *, block: bool) -> str:
    """Return MathML for ``latex``; raise ``MathProblem`` if it does not parse."""
    if latex.count("{") - latex.count("\\{") != latex.count("}") - latex.count("\\}"):
        raise MathProblem(latex, "unbalanced braces")
    try:
        mathml = latex_to_mathml(latex, display="block" if block else "inline")
    except Exception as error:  # latex2mathml raises many private exception types
        raise MathProblem(latex, error.__class__.__name__.replace("Error", " error").strip()) from None
    unknown = UNKNOWN_COMMAND.search(mathml)
    if unknown:
        raise MathProblem(latex, f"unknown command {unknown.group(0)}")
    return mathml


def _replace_math(rendered: str) -> str:
    def replace(match: re.Match) -> str:
        return math_to_mathml(html.unescape(match.group(3)), block=match.group(2) == "[")

    return MATH_SPAN.sub(replace, rendered)


def sanitize(rendered: str) -> str:
    """Return ``rendered`` with everything outside the allowlist removed."""
    return nh3.clean(
        rendered,
        tags=HTML_TAGS | MATHML_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )


def render_markdown(text: str) -> str:
    """Return safe HTML for markdown ``text`` with LaTeX math; raise ``MathProblem``."""
    converter = _markdown()
    try:
        rendered = converter.reset().convert(text)
    finally:
        converter.reset()
    return sanitize(_replace_math(rendered))


def unsafe_snippets(text: str) -> list[tuple[str, str, int]]:
    """Return ``(what, snippet, line offset)`` for each piece of raw HTML that would be stripped."""
    found = []
    for what, pattern in UNSAFE_PATTERNS:
        for match in pattern.finditer(text):
            found.append((what, text[match.start():match.start() + 40], text.count("\n", 0, match.start())))
    return found
