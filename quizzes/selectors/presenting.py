"""Turn a shown question into what a template may see.

Before an answer is final (``reveal=False``) only the stem and the choice texts leave the
server: no correct flag, no feedback, no explanation, no lab link. The page cannot leak what
it was never given.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse

from ..content.variants import Variant
from ..models import QuestionVersion
from ..services.variants import stored_variant, version_source


@dataclass(frozen=True)
class ChoiceView:
    position: int
    html: str
    is_chosen: bool = False
    is_correct: bool = False
    feedback_html: str = ""
    misconception_label: str = ""


@dataclass(frozen=True)
class QuestionView:
    stem_html: str
    choices: tuple[ChoiceView, ...]
    revealed: bool
    chosen_position: int | None = None
    explanation_html: str = ""
    lab_url: str = ""
    is_parameterised: bool = False
    notebook_url: str = ""

    @property
    def is_right(self) -> bool:
        return self.revealed and any(c.is_chosen and c.is_correct for c in self.choices)

    @property
    def chosen(self) -> ChoiceView | None:
        return next((c for c in self.choices if c.is_chosen), None)

    @property
    def correct(self) -> ChoiceView | None:
        return next((c for c in self.choices if c.is_correct), None)


def lab_url(variant: Variant) -> str:
    """Return the lab page that recomputes ``variant``'s numbers (same parameters and seed)."""
    return reverse("lab_scenario", args=[variant.scenario]) + "?" + variant.lab_query


def notebook_url(variant: Variant) -> str:
    """Return the notebook that rebuilds ``variant``'s numbers (the lab's query, as a download)."""
    return reverse("lab_notebook", args=[variant.scenario]) + "?" + variant.lab_query


def question_view(version: QuestionVersion, seed: int, *, chosen_position: int | None,
                  reveal: bool) -> QuestionView:
    """Return the question shown for ``seed``; with ``reveal``, its answer, feedback and explanation."""
    variant = stored_variant(version, seed)
    if not reveal:
        return QuestionView(
            stem_html=variant.stem_html, revealed=False, chosen_position=chosen_position,
            choices=tuple(ChoiceView(position=i, html=c.html, is_chosen=i == chosen_position)
                          for i, c in enumerate(variant.choices)),
        )
    return QuestionView(
        stem_html=variant.stem_html, revealed=True, chosen_position=chosen_position,
        explanation_html=variant.explanation_html, lab_url=lab_url(variant), notebook_url=notebook_url(variant),
        is_parameterised=version_source(version).is_parameterised,
        choices=tuple(
            ChoiceView(position=i, html=c.html, is_chosen=i == chosen_position, is_correct=c.correct,
                       feedback_html=c.feedback_html, misconception_label=c.misconception_label)
            for i, c in enumerate(variant.choices)
        ),
    )
