"""Move text between the bank's markdown and the HTML (with TeX math) interchange formats carry.

Export: markdown -> HTML by the site's own pipeline, except that math stays TeX in
``<span class="arithmatex">\\(..\\)</span>`` / ``<div class="arithmatex">\\[..\\]</div>`` (what
Moodle's MathJax filter and QTI players render) instead of becoming MathML. Import: HTML (ours,
or any Moodle wrote) -> a small tree -> markdown, with bare ``\\(..\\)`` and ``\\[..\\]`` (and
``$$..$$``) read as math. ``to_markdown(to_html(md))`` renders back to the same HTML, which is
what makes export -> import -> export give the same file.
"""

from __future__ import annotations

import html
import re
import threading
from dataclasses import dataclass, field
from functools import lru_cache
from html.parser import HTMLParser

import markdown

from ..content.render import sanitize

EXTENSIONS = ["pymdownx.arithmatex", "fenced_code", "tables", "sane_lists"]
CONFIG = {"pymdownx.arithmatex": {"generic": True}}
VOID = {"br", "hr", "img", "input", "meta", "link", "col", "area", "base", "wbr", "source"}
INLINE_MATH = re.compile(r"\\\((.+?)\\\)", re.DOTALL)
DISPLAY_MATH = re.compile(r"\\\[(.+?)\\\]|\$\$(.+?)\$\$", re.DOTALL)
MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]$|])")
LINE_START_SPECIAL = re.compile(r"^(\s*)([#>+-]|\d+\.)(?=\s|$)", re.MULTILINE)

_local = threading.local()


def _converter() -> markdown.Markdown:
    converter = getattr(_local, "markdown", None)
    if converter is None:
        converter = _local.markdown = markdown.Markdown(
            extensions=EXTENSIONS, extension_configs=CONFIG, output_format="html"
        )
    return converter


@lru_cache(maxsize=4096)
def to_html(text: str) -> str:
    """Return export HTML for markdown ``text``: sanitised, math kept as TeX.

    Cached: a bank's variants repeat most texts (feedback without numbers, explanations'
    words). Sanitising is skipped only when the source can hold no raw HTML and no link,
    since markdown alone then emits nothing unsafe.
    """
    converter = _converter()
    try:
        rendered = converter.reset().convert(text)
    finally:
        converter.reset()
    if "<" in text or "](" in text or "&" in text or "javascript" in text.lower():
        rendered = sanitize(rendered)
    return _tidy(rendered).strip()


PRE_BLOCK = re.compile(r"(<pre\b.*?</pre>)", re.DOTALL)


def _tidy(rendered: str) -> str:
    """Drop the indentation markdown keeps inside paragraphs and list items (outside ``<pre>``)."""
    parts = PRE_BLOCK.split(rendered)
    return "".join(part if index % 2 else re.sub(r"\n[ \t]+", "\n", part) for index, part in enumerate(parts))


def inline_html(text: str) -> str:
    """Return ``to_html(text)`` without the one paragraph around it (for choice texts)."""
    rendered = to_html(text)
    if rendered.startswith("<p>") and rendered.endswith("</p>") and rendered.count("<p>") == 1:
        return rendered[3:-4]
    return rendered


def plain_to_html(text: str) -> str:
    """Return plain ``text`` (Moodle's plain_text format) as HTML."""
    return html.escape(text, quote=False)


# --- HTML -> a small tree ---------------------------------------------------------------


@dataclass
class Node:
    """An element (``tag``) or a run of text (``tag`` "")."""

    tag: str
    attrs: dict[str, str] = field(default_factory=dict)
    children: list[Node] = field(default_factory=list)
    text: str = ""

    def plain(self) -> str:
        """Return the text content."""
        return self.text if not self.tag else "".join(child.plain() for child in self.children)


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("root")
        self.stack = [self.root]

    def handle_starttag(self, tag, attrs):
        node = Node(tag, {k: v or "" for k, v in attrs})
        self.stack[-1].children.append(node)
        if tag not in VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag, attrs):
        self.stack[-1].children.append(Node(tag, {k: v or "" for k, v in attrs}))

    def handle_endtag(self, tag):
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data):
        self.stack[-1].children.append(Node("", text=data))


def parse_html(fragment: str) -> Node:
    """Return the tree of an HTML fragment (lenient: unclosed tags close at the end)."""
    builder = _TreeBuilder()
    builder.feed(fragment)
    builder.close()
    return builder.root


# --- the tree -> markdown -----------------------------------------------------------------

BLOCKS = {"p", "div", "ul", "ol", "table", "pre", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6", "hr"}


def _escape(text: str) -> str:
    """Escape text so markdown shows it literally (math is handled before this)."""
    text = MARKDOWN_SPECIAL.sub(r"\\\1", text)
    text = text.replace("&", "&amp;").replace("<", "&lt;")
    return LINE_START_SPECIAL.sub(_escape_line_start, text)


def _escape_line_start(match: re.Match) -> str:
    """``# x`` -> ``\\# x``, ``6. x`` -> ``6\\. x``: never a heading, quote or list."""
    mark = match.group(2)
    return match.group(1) + (mark[:-1] + "\\." if mark.endswith(".") else "\\" + mark)


def _text_with_math(text: str) -> str:
    """Return markdown for a text run: ``\\(x\\)`` -> ``$x$``, ``\\[x\\]`` -> ``$$x$$``, the rest escaped."""
    out, last = [], 0
    pattern = re.compile(INLINE_MATH.pattern + "|" + DISPLAY_MATH.pattern, re.DOTALL)
    for match in pattern.finditer(text):
        out.append(_escape(text[last:match.start()]))
        inline, display_a, display_b = match.group(1), match.group(2), match.group(3)
        out.append(f"${inline}$" if inline is not None else f"$${display_a or display_b}$$")
        last = match.end()
    out.append(_escape(text[last:]))
    return "".join(out)


def _inline(nodes: list[Node]) -> str:
    parts = []
    for node in nodes:
        if not node.tag:
            parts.append(_text_with_math(node.text))
        elif node.tag == "span" and "arithmatex" in node.attrs.get("class", ""):
            parts.append(_text_with_math(node.plain()))
        elif node.tag in ("em", "i"):
            parts.append(f"*{_inline(node.children)}*")
        elif node.tag in ("strong", "b"):
            parts.append(f"**{_inline(node.children)}**")
        elif node.tag == "code":
            code = node.plain()
            fence = "``" if "`" in code else "`"
            parts.append(f"{fence}{code}{fence}")
        elif node.tag == "br":
            parts.append("  \n")
        elif node.tag == "a":
            parts.append(f"[{_inline(node.children)}]({node.attrs.get('href', '')})")
        elif node.tag in BLOCKS:
            parts.append(_blocks([node]))
        else:
            parts.append(_inline(node.children))
    return "".join(parts)


def _table(node: Node) -> str:
    rows: list[tuple[list[str], list[str]]] = []
    for row in _descendants(node, "tr"):
        cells = [c for c in row.children if c.tag in ("th", "td")]
        rows.append(([_inline(c.children).replace("\n", " ").strip() for c in cells],
                     [c.attrs.get("align", "") for c in cells]))
    if not rows:
        return ""
    head, aligns = rows[0]
    rule = {"left": ":---", "right": "---:", "center": ":---:"}
    lines = ["| " + " | ".join(head) + " |", "| " + " | ".join(rule.get(a, "---") for a in aligns) + " |"]
    lines += ["| " + " | ".join(cells) + " |" for cells, _ in rows[1:]]
    return "\n".join(lines)


def _descendants(node: Node, tag: str) -> list[Node]:
    found = []
    for child in node.children:
        if child.tag == tag:
            found.append(child)
        else:
            found.extend(_descendants(child, tag))
    return found


def _list(node: Node) -> str:
    items = []
    for number, item in enumerate((c for c in node.children if c.tag == "li"), start=1):
        marker = f"{number}. " if node.tag == "ol" else "- "
        body = _blocks(item.children) if any(c.tag in BLOCKS for c in item.children) else _inline(item.children)
        lines = body.strip().split("\n")
        items.append(marker + lines[0] + "".join("\n    " + line if line else "\n" for line in lines[1:]))
    loose = any(c.tag == "p" for item in node.children if item.tag == "li" for c in item.children)
    return ("\n\n" if loose else "\n").join(items)


def _blocks(nodes: list[Node]) -> str:
    """Return markdown for a sequence of block (and stray inline) nodes, blocks apart by a blank line."""
    blocks: list[str] = []
    pending: list[Node] = []

    def flush() -> None:
        text = _inline(pending).strip()
        if text:
            blocks.append(text)
        pending.clear()

    for node in nodes:
        if node.tag not in BLOCKS:
            pending.append(node)
            continue
        flush()
        if node.tag == "div" and "arithmatex" in node.attrs.get("class", ""):
            blocks.append(_text_with_math(node.plain().strip()))
        elif node.tag in ("p", "div"):
            text = (_inline(node.children) if node.tag == "p" else _blocks(node.children)).strip()
            if text:
                blocks.append(text)
        elif node.tag in ("ul", "ol"):
            blocks.append(_list(node))
        elif node.tag == "table":
            blocks.append(_table(node))
        elif node.tag == "pre":
            code = node.plain().rstrip("\n")
            blocks.append(f"```\n{code}\n```")
        elif node.tag == "blockquote":
            blocks.append("\n".join("> " + line for line in _blocks(node.children).split("\n")))
        elif node.tag == "hr":
            blocks.append("---")
        else:  # headings: the bank's sections use "## ", so keep them as bold paragraphs
            blocks.append(f"**{_inline(node.children).strip()}**")
    flush()
    return "\n\n".join(blocks)


def to_markdown(fragment: str) -> str:
    """Return markdown for an HTML fragment (math as ``$..$`` / ``$$..$$``)."""
    return _blocks(parse_html(fragment).children).strip()


def to_markdown_line(fragment: str) -> str:
    """Return one line of markdown for a choice's HTML (line breaks become spaces)."""
    return " ".join(to_markdown(fragment).split("\n")).strip()
