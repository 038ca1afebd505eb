"""The choices of a question version as students saw them: markdown and LaTeX rendered, numbers filled.

The item page's distractor table shows each choice "as written". A static question shows every
student the same texts (only their order differs), so any seed renders exactly what they saw. A
parameterised question's numbers differ per student: it is rendered for one example, the seed of
the latest answer to that version (the page says so). Rendering goes through the content
pipeline (``content.variants``: fill, markdown, MathML, sanitising), as on the student's page.
"""

from __future__ import annotations

from dataclasses import replace

from django.utils.html import format_html

from ..analytics.distractors import VersionDistractors
from ..models import QuestionVersion, Response
from .variants import stored_variant, version_source


def choice_html(version: QuestionVersion, seed: int) -> dict[int, str]:
    """Return {source index: safe HTML} of ``version``'s choices for ``seed``; {} if it cannot be built."""
    try:
        variant = stored_variant(version, seed)
    except Exception:  # a version that no longer builds (scenario changed): show the source text instead
        return {}
    return {choice.index: choice.html for choice in variant.choices}


def with_as_written(tables: list[VersionDistractors]) -> list[VersionDistractors]:
    """Return ``tables`` with each choice's ``html`` rendered as students saw it (2 queries per version)."""
    rendered = []
    for table in tables:
        version = QuestionVersion.objects.filter(pk=table.version_id).first()
        if version is None:
            rendered.append(table)
            continue
        parameterised = version_source(version).is_parameterised
        seed = 0
        if parameterised:
            seed = (Response.objects.filter(version=version).order_by("-shown_at", "-pk")
                    .values_list("seed", flat=True).first()) or 0
        html = choice_html(version, seed)
        choices = [replace(choice, html=html.get(choice.source_index)
                           or (format_html("<code>{}</code>", choice.text) if choice.text else ""))
                   for choice in table.choices]
        rendered.append(replace(table, choices=choices, example_seed=seed if parameterised else None))
    return rendered
