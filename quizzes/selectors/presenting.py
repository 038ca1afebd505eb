"""Turn a shown question into what a template may see.

Before an answer is final (``reveal=False``) only the stem and the choice texts (or, for a
numeric question, an empty field) leave the server: no correct flag, no feedback, no
explanation, no lab link with the variant's numbers, no tolerance, no misconception value.
After a wrong practice try (``retry_view``) the page gets the named mistake, one hint and a lab
link with *other* numbers, never the answer. The page cannot leak what it was never given.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.urls import reverse

from cnncore import scenarios

from .. import scenario_runs
from ..content.schema import QuestionSource
from ..content.templating import PLACEHOLDER
from ..content.variants import Variant, step_index
from ..models import QuestionVersion
from .variants import stored_variant, version_source


@dataclass(frozen=True)
class MistakeView:
    """A named misconception an answer looks like, and where in the lab it happens."""

    slug: str
    label: str
    description: str = ""
    lab_url: str = ""


@dataclass(frozen=True)
class TryView:
    """One try on a practice variant, as the student gave it."""

    number: int
    text: str
    is_correct: bool
    mistake_label: str = ""


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
    kind: str = "choice"
    typed_text: str = ""
    answer_text: str = ""
    tolerance_text: str = ""
    mistake: MistakeView | None = None
    hint_html: str = ""
    hint_number: int = 0
    tries: tuple[TryView, ...] = ()
    tried_positions: tuple[int, ...] = field(default=())
    typed_correct: bool = False

    @property
    def is_numeric(self) -> bool:
        return self.kind == "numeric"
    notebook_url: str = ""

    @property
    def is_right(self) -> bool:
        """True if the counted (first) answer was right."""
        if self.is_numeric:
            return self.revealed and self.typed_correct
        return self.revealed and any(c.is_chosen and c.is_correct for c in self.choices)

    @property
    def solved_later(self) -> bool:
        """True if a later try was right although the first was not."""
        return not self.is_right and any(t.is_correct for t in self.tries[1:])

    @property
    def chosen(self) -> ChoiceView | None:
        return next((c for c in self.choices if c.is_chosen), None)

    @property
    def correct(self) -> ChoiceView | None:
        return next((c for c in self.choices if c.is_correct), None)


def shows_run_numbers(question: QuestionSource) -> bool:
    """Return whether any text of ``question`` is filled from its scenario's run (a ``{{ }}``)."""
    return bool(PLACEHOLDER.search(json.dumps(question.to_data())))


def lab_url(variant: Variant, question: QuestionSource | None = None) -> str:
    """Return the lab page that recomputes ``variant``'s numbers (same parameters and seed).

    "" when ``question`` shows no number of the run: the lab could not show its numbers.
    """
    if question is not None and not shows_run_numbers(question):
        return ""
    return reverse("lab_scenario", args=[variant.scenario]) + "?" + variant.lab_query


def step_url(variant: Variant) -> str:
    """Return the lab page with ``variant``'s numbers, at the step its answer is computed in."""
    anchor = f"#step-{variant.step_index}" if variant.step_index is not None else "#lab-mistakes"
    return lab_url(variant) + anchor


def other_numbers_step_url(variant: Variant, source: QuestionSource) -> str:
    """Return the lab at the same step but with other numbers (the scenario's defaults), so a
    student still trying can see how the step works without being shown this variant's answer."""
    scenario = scenarios.get(variant.scenario)
    values = scenario.validate({})
    seed = 0
    if urlencode({**{k: values[k] for k in variant.params}, "seed": 0}) == variant.lab_query:
        seed = (variant.scenario_seed + 1) % 2**32  # the defaults are this very variant
    step = step_index(scenario_runs.run(variant.scenario, values, seed), source.answer.step) if source.answer else None
    anchor = f"#step-{step}" if step is not None else "#lab-mistakes"
    return reverse("lab_scenario", args=[variant.scenario]) + (f"?seed={seed}" if seed else "") + anchor


def mistake_view(version: QuestionVersion, variant: Variant, slug: str, *, revealed: bool,
                 position: int | None = None) -> MistakeView | None:
    """Return the named mistake ``slug`` (None for none), linked to the lab step where it happens."""
    if not slug:
        return None
    source = version_source(version)
    url = step_url(variant) if revealed else other_numbers_step_url(variant, source)
    if source.answer is not None:
        info = source.answer.labels.get(slug, {})
        return MistakeView(slug, info.get("label", slug), info.get("description", ""), url)
    label = next((c.misconception_label for c in source.choices if c.misconception == slug), "") or slug
    return MistakeView(slug, label, "", url)


def _tries(version: QuestionVersion, first: TryView | None, later: list[dict]) -> tuple[TryView, ...]:
    source = version_source(version)
    labels = (source.answer.labels if source.answer else
              {c.misconception: {"label": c.misconception_label} for c in source.choices})

    def label(slug: str) -> str:
        return labels.get(slug, {}).get("label", slug) if slug else ""

    rows = [first] if first else []
    for number, item in enumerate(later, start=len(rows) + 1):
        text = item["text"] if item.get("value") is not None else chr(ord("A") + int(item.get("position") or 0))
        rows.append(TryView(number, text, bool(item.get("correct")), label(str(item.get("misconception", "")))))
    return tuple(rows)
def notebook_url(variant: Variant) -> str:
    """Return the notebook that rebuilds ``variant``'s numbers (the lab's query, as a download)."""
    return reverse("lab_notebook", args=[variant.scenario]) + "?" + variant.lab_query


def question_view(version: QuestionVersion, seed: int, *, chosen_position: int | None,
                  reveal: bool, typed: str = "", misconception: str = "", is_correct: bool | None = None,
                  tries: list[dict] | None = None) -> QuestionView:
    """Return the question shown for ``seed``; with ``reveal``, its answer, feedback and explanation.

    ``typed`` is a typed answer (given back to the field before grading, shown after it) and
    ``is_correct`` its stored grade; ``misconception`` the named mistake of the counted answer;
    ``tries`` the later practice tries, listed after the reveal.
    """
    variant = stored_variant(version, seed)
    if not reveal:
        return QuestionView(
            stem_html=variant.stem_html, revealed=False, chosen_position=chosen_position,
            kind=variant.kind, typed_text=typed,
            choices=tuple(ChoiceView(position=i, html=c.html, is_chosen=i == chosen_position)
                          for i, c in enumerate(variant.choices)),
        )
    numeric_right = bool(is_correct) and variant.is_numeric
    first = None
    if variant.is_numeric and typed:
        first = TryView(1, typed, numeric_right, "")
    elif chosen_position is not None and variant.choices:
        first = TryView(1, chr(ord("A") + chosen_position), variant.choices[chosen_position].correct, "")
    mistake = mistake_view(version, variant, misconception, revealed=True)
    if first is not None and mistake is not None:
        first = TryView(1, first.text, first.is_correct, mistake.label)
    return QuestionView(
        stem_html=variant.stem_html, revealed=True, chosen_position=chosen_position,
        explanation_html=variant.explanation_html, lab_url=lab_url(variant, version_source(version)),
        notebook_url=notebook_url(variant) if lab_url(variant, version_source(version)) else "",
        is_parameterised=version_source(version).is_parameterised,
        kind=variant.kind, typed_text=typed, typed_correct=numeric_right,
        answer_text=variant.answer_text, tolerance_text=variant.answer.tolerance.text if variant.answer else "",
        mistake=mistake, tries=_tries(version, first, tries or []) if tries else (),
        choices=tuple(
            ChoiceView(position=i, html=c.html, is_chosen=i == chosen_position, is_correct=c.correct,
                       feedback_html=c.feedback_html, misconception_label=c.misconception_label)
            for i, c in enumerate(variant.choices)
        ),
    )


def retry_view(version: QuestionVersion, seed: int, *, tries: list[dict], typed: str = "") -> QuestionView:
    """Return a practice question after a wrong try that may be tried again: the stem, the
    field (or the choices, earlier picks marked), the named mistake of the last try, and hint
    number ``len(tries)`` (the author's for numbers, the chosen choice's feedback for choices).
    Never the answer, the tolerance, a misconception's value or the explanation.

    ``tries`` lists every try so far, first one first, each with ``position``/``text``,
    ``correct`` and ``misconception``.
    """
    variant = stored_variant(version, seed)
    last = tries[-1]
    mistake = mistake_view(version, variant, str(last.get("misconception", "")), revealed=False)
    hint = ""
    if variant.is_numeric:
        hint = variant.hint_html(len(tries) - 1)
    elif last.get("position") is not None:
        hint = variant.choices[int(last["position"])].feedback_html
    tried = tuple(int(t["position"]) for t in tries if t.get("position") is not None)
    return QuestionView(
        stem_html=variant.stem_html, revealed=False, kind=variant.kind, typed_text=typed,
        is_parameterised=version_source(version).is_parameterised, mistake=mistake, hint_html=hint,
        hint_number=len(tries) if hint else 0,
        tries=_tries(version, None, tries), tried_positions=tried,
        choices=tuple(ChoiceView(position=i, html=c.html) for i, c in enumerate(variant.choices)),
    )
