"""QTI 3.0: each item as a ``qti-assessment-item``, all of them in a content package (a zip).

Items follow the QTI 3.0 ASI schema (the test suite validates them against the official
XSD): a choice interaction (one answer, feedback per choice as modal feedback keyed on the
response, the explanation as modal feedback shown after any response) or a text-entry
interaction for a typed number, scored with ``qti-equal`` in the tolerance mode of the
question (absolute, or relative in percent). Math is TeX between ``\\( \\)``/``\\[ \\]``.
"""

from __future__ import annotations

import io
import re
import zipfile
from xml.etree import ElementTree as ET

from .markup import Node, parse_html
from .model import MULTICHOICE, Item

NS = "http://www.imsglobal.org/xsd/imsqtiasi_v3p0"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
XML_NS = "http://www.w3.org/XML/1998/namespace"
SCHEMA_LOCATION = f"{NS} https://purl.imsglobal.org/spec/qti/v3p0/schema/xsd/imsqti_asiv3p0_v1p0.xsd"
CP_NS = "http://www.imsglobal.org/xsd/qti/qtiv3p0/imscp_v1p1"
ITEM_RESOURCE = "imsqti_item_xmlv3p0"
HTML_TAGS = {
    "p", "em", "strong", "code", "pre", "ul", "ol", "li", "table", "thead", "tbody", "tr", "th", "td",
    "span", "div", "br", "hr", "sup", "sub", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6", "a", "b", "i",
}
KEPT_ATTRIBUTES = {"class", "href"}

ET.register_namespace("", NS)
ET.register_namespace("xsi", XSI)


def _q(tag: str) -> str:
    return f"{{{NS}}}{tag}"


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attributes) -> ET.Element:
    element = ET.SubElement(parent, _q(tag), {k.replace("_", "-"): str(v) for k, v in attributes.items()})
    if text is not None:
        element.text = text
    return element


def _append_text(parent: ET.Element, text: str) -> None:
    if len(parent):
        parent[-1].tail = (parent[-1].tail or "") + text
    else:
        parent.text = (parent.text or "") + text


def _append_nodes(parent: ET.Element, nodes: list[Node]) -> None:
    """Append an HTML tree to ``parent`` as QTI's XHTML (unknown tags keep only their text)."""
    for node in nodes:
        if not node.tag:
            _append_text(parent, node.text)
        elif node.tag in HTML_TAGS:
            attributes = {k: v for k, v in node.attrs.items()
                          if k in KEPT_ATTRIBUTES and (k != "href" or node.tag == "a")}
            tag = {"b": "strong", "i": "em"}.get(node.tag, node.tag)
            _append_nodes(ET.SubElement(parent, _q(tag), attributes), node.children)
        else:
            _append_nodes(parent, node.children)


def _blocks(parent: ET.Element, html: str) -> None:
    """Append ``html`` to a block container, wrapping stray text in a paragraph."""
    nodes = parse_html(html).children
    inline = ("span", "em", "strong", "code", "a", "b", "i", "sup", "sub", "br")
    if any((not n.tag and n.text.strip()) or n.tag in inline for n in nodes):
        _append_nodes(_sub(parent, "p"), nodes)
    else:
        _append_nodes(parent, [n for n in nodes if n.tag])


def identifier(text: str) -> str:
    """Return ``text`` as an XML identifier (an NCName)."""
    cleaned = re.sub(r"[^A-Za-z0-9_.-]", "-", text)
    return cleaned if re.match(r"[A-Za-z_]", cleaned) else f"Q-{cleaned}"


def _set(parent: ET.Element, outcome: str, base_type: str, value: str) -> None:
    setter = _sub(parent, "qti-set-outcome-value", identifier=outcome)
    _sub(setter, "qti-base-value", value, base_type=base_type)


def _number(value: float) -> str:
    text = repr(float(value))
    return text[:-2] if text.endswith(".0") else text


def item_element(item: Item) -> ET.Element:
    """Return the ``qti-assessment-item`` of ``item``."""
    root = ET.Element(_q("qti-assessment-item"), {
        f"{{{XSI}}}schemaLocation": SCHEMA_LOCATION, "identifier": identifier(item.idnumber or item.name),
        "title": item.name, "adaptive": "false", "time-dependent": "false", f"{{{XML_NS}}}lang": "en"})
    choice = item.kind == MULTICHOICE
    response = _sub(root, "qti-response-declaration", identifier="RESPONSE", cardinality="single",
                    base_type="identifier" if choice else "float")
    correct = _sub(response, "qti-correct-response")
    if choice:
        right = next(i for i, c in enumerate(item.choices, start=1) if c.correct)
        _sub(correct, "qti-value", f"C{right}")
    else:
        _sub(correct, "qti-value", _number(item.numeric.value))
    score = _sub(root, "qti-outcome-declaration", identifier="SCORE", cardinality="single", base_type="float")
    _sub(_sub(score, "qti-default-value"), "qti-value", "0")
    _sub(root, "qti-outcome-declaration", identifier="FEEDBACK", cardinality="single", base_type="identifier")
    _sub(root, "qti-outcome-declaration", identifier="SOLUTION", cardinality="single", base_type="identifier")

    body = _sub(root, "qti-item-body")
    _blocks(body, item.stem_html)
    if choice:
        interaction = _sub(body, "qti-choice-interaction", response_identifier="RESPONSE",
                           shuffle="true" if item.shuffle else "false", max_choices="1")
        for number, option in enumerate(item.choices, start=1):
            simple = _sub(interaction, "qti-simple-choice", identifier=f"C{number}")
            _append_nodes(simple, parse_html(option.html).children)
    else:
        _sub(_sub(body, "p"), "qti-text-entry-interaction", response_identifier="RESPONSE", expected_length="16")

    processing = _sub(root, "qti-response-processing")
    condition = _sub(processing, "qti-response-condition")
    if choice:
        branch = _sub(condition, "qti-response-if")
        match = _sub(branch, "qti-match")
        _sub(match, "qti-variable", identifier="RESPONSE")
        _sub(match, "qti-correct", identifier="RESPONSE")
        _set(branch, "SCORE", "float", "1")
        feedback = _sub(processing, "qti-set-outcome-value", identifier="FEEDBACK")
        _sub(feedback, "qti-variable", identifier="RESPONSE")
    else:
        numeric = item.numeric
        answers = [(numeric.value, "RIGHT"), *((value, f"W{n}") for n, (value, _, _) in enumerate(numeric.wrong, 1))]
        mode, tolerance = ("relative", numeric.tolerance_amount * 100) if numeric.tolerance_kind == "relative" \
            else ("absolute", numeric.tolerance)
        for position, (value, outcome) in enumerate(answers):
            branch = _sub(condition, "qti-response-if" if position == 0 else "qti-response-else-if")
            bounds = f"{_number(tolerance)} {_number(tolerance)}"
            equal = _sub(branch, "qti-equal", tolerance_mode=mode, tolerance=bounds)
            _sub(equal, "qti-variable", identifier="RESPONSE")
            _sub(equal, "qti-base-value", _number(value), base_type="float")
            if position == 0:
                _set(branch, "SCORE", "float", "1")
            _set(branch, "FEEDBACK", "identifier", outcome)
    _set(processing, "SOLUTION", "identifier", "EXPLANATION")

    feedbacks = []
    if choice:
        feedbacks = [(f"C{n}", c.feedback_html) for n, c in enumerate(item.choices, start=1)]
    else:
        feedbacks = [("RIGHT", item.numeric.feedback_html)] + [
            (f"W{n}", html) for n, (_, _, html) in enumerate(item.numeric.wrong, start=1)]
    for key, html in [*feedbacks, ("EXPLANATION", item.explanation_html)]:
        if not html:
            continue
        modal = _sub(root, "qti-modal-feedback", outcome_identifier="SOLUTION" if key == "EXPLANATION" else "FEEDBACK",
                     identifier=key, show_hide="show", title="Explanation" if key == "EXPLANATION" else "Feedback")
        _blocks(_sub(modal, "qti-content-body"), html)
    return root


def item_xml(item: Item) -> str:
    """Return the item as an XML document."""
    element = item_element(item)
    ET.indent(element)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(element, encoding="unicode") + "\n"


def manifest(items: list[tuple[str, str, Item]]) -> str:
    """Return ``imsmanifest.xml`` listing every item file (``(identifier, href, item)``)."""
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             f'<manifest xmlns="{CP_NS}" identifier="backprop-lab-bank">', "  <organizations/>", "  <resources>"]
    for ident, href, _ in items:
        lines += [f'    <resource identifier="{ident}" type="{ITEM_RESOURCE}" href="{href}">',
                  f'      <file href="{href}"/>', "    </resource>"]
    lines += ["  </resources>", "</manifest>", ""]
    return "\n".join(lines)


def write(items: list[Item]) -> bytes:
    """Return a QTI 3.0 content package (zip): ``imsmanifest.xml`` and ``items/<id>.xml``."""
    entries = []
    for item in items:
        ident = identifier(item.idnumber or item.name)
        entries.append((ident, f"items/{ident}.xml", item))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr(zipfile.ZipInfo("imsmanifest.xml", date_time=(2026, 1, 1, 0, 0, 0)), manifest(entries))
        for _, href, item in entries:
            package.writestr(zipfile.ZipInfo(href, date_time=(2026, 1, 1, 0, 0, 0)), item_xml(item))
    return buffer.getvalue()
