"""Build what a student sees of a question for one seed: a ``Variant``.

For a parameterised question the seed draws the parameters from their ranges and seeds the
scenario; for a static one the scenario runs with the question's own seed and the attempt seed
only shuffles the choices. Everything here is deterministic in (question, seed).
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlencode

from cnncore import scenarios
from cnncore.trace import Trace

from .. import scenario_runs
from .render import render_markdown
from .schema import NUMERIC_KIND, QuestionSource, Tolerance
from .templating import display, evaluate_number, fill

SHUFFLE_SALT = 0x5EED
MAX_RESEEDS = 25
"""A runtime seed whose choices collide is replaced by the next one, at most this many times."""


class ChoiceCollision(ValueError):
    """Two choices of a variant display the same text."""

    def __init__(self, text: str, lines: tuple[int, int]) -> None:
        super().__init__(f"two choices display {text!r}")
        self.text = text
        self.lines = lines


class NumericCollision(ValueError):
    """A numeric answer and a named misconception's value are within tolerance of each other."""

    def __init__(self, slug: str, value: float, wrong: float) -> None:
        super().__init__(f"the answer {value!r} and misconception {slug!r} ({wrong!r}) overlap")
        self.slug = slug
        self.value = value
        self.wrong = wrong


@dataclass(frozen=True)
class NumericKey:
    """What a typed number is graded against: the right ``value`` (unrounded), the
    ``tolerance`` and each named misconception's value, as ``(slug, value)`` in source order."""

    value: float
    tolerance: Tolerance
    misconceptions: tuple[tuple[str, float], ...] = ()

    def overlapping(self) -> tuple[str, float] | None:
        """Return the first misconception a typed number could not tell from the answer, if any."""
        if self.tolerance is None:
            return None
        right = self.tolerance.width(self.value)
        for slug, wrong in self.misconceptions:
            if abs(wrong - self.value) <= right + self.tolerance.width(wrong):
                return slug, wrong
        return None


def numeric_key(question: QuestionSource, context: dict) -> NumericKey:
    """Return the answer key of a numeric ``question`` for a run's ``context``.

    Raise ``TemplateProblem`` for a placeholder naming nothing, ``ValueError`` for a value that
    is not a finite number.
    """
    answer = question.answer
    return NumericKey(
        value=evaluate_number(answer.value, context), tolerance=answer.tolerance,
        misconceptions=tuple((slug, evaluate_number(text, context))
                             for slug, text in answer.misconceptions.items()),
    )


def step_index(trace: Trace, step: str) -> int | None:
    """Return the index of the run's step named by an answer's ``step:`` (a word of its title,
    or a kind such as ``update``); None if none matches."""
    wanted = step.strip().casefold()
    if not wanted:
        return None
    for candidate in trace.steps:
        if wanted in candidate.title.casefold():
            return candidate.index
    return next((candidate.index for candidate in trace.steps if candidate.kind == wanted), None)


@dataclass(frozen=True)
class VariantChoice:
    """One choice as shown: ``index`` is its position in the source file (stable per version)."""

    index: int
    text: str
    html: str
    correct: bool
    feedback_html: str
    misconception: str
    misconception_label: str


@dataclass(frozen=True)
class Variant:
    """A question filled in for one seed, in display order."""

    seed: int
    scenario: str
    scenario_seed: int
    params: dict
    stem_html: str
    choices: tuple[VariantChoice, ...]
    explanation_html: str
    kind: str = "choice"
    answer: NumericKey | None = None
    answer_text: str = ""
    hints: tuple[str, ...] = ()
    """Numeric: the hints as filled markdown (rendered only when one is shown: ``hint_html``)."""
    step_index: int | None = None
    wrong_answers: tuple[tuple[str, str, str], ...] = ()
    """Numeric: ``(slug, label, value as shown)`` of each named misconception."""

    @property
    def is_numeric(self) -> bool:
        return self.kind == NUMERIC_KIND

    def hint_html(self, index: int) -> str:
        """Return hint ``index`` (0-based) as HTML; ``""`` if there is none."""
        return render_markdown(self.hints[index]) if 0 <= index < len(self.hints) else ""

    @property
    def hints_html(self) -> tuple[str, ...]:
        return tuple(self.hint_html(index) for index in range(len(self.hints)))

    @property
    def correct_choice(self) -> VariantChoice:
        return next(choice for choice in self.choices if choice.correct)

    @property
    def lab_query(self) -> str:
        """Return the lab's query string that reproduces this variant's numbers."""
        return urlencode({**self.params, "seed": self.scenario_seed})


def scenario_seed(question: QuestionSource, seed: int) -> int:
    """Return the seed the scenario runs with: the attempt's, or the question's own when fixed."""
    return seed if question.is_parameterised else int(question.seed)


def scenario_trace(question: QuestionSource, seed: int) -> Trace:
    """Return the (cached) scenario run behind ``question``'s variant for ``seed``."""
    values = scenarios.get(question.scenario).validate(draw_params(question, seed))
    return scenario_runs.run(question.scenario, values, scenario_seed(question, seed))


def scenario_context(trace: Trace) -> dict:
    """Return the names ``{{ }}`` placeholders may use: params, results, misconceptions."""
    return {
        "params": dict(trace.params),
        "results": trace.result_values(),
        "misconceptions": {
            result: {name: wrong.value for name, wrong in named.items()}
            for result, named in trace.misconceptions.items()
        },
    }


def draw_params(question: QuestionSource, seed: int) -> dict:
    """Return the scenario parameters of ``question`` for ``seed`` (ranges drawn, in name order)."""
    rng = random.Random(seed)
    return {spec.name: spec.draw(rng) for spec in sorted(question.params, key=lambda s: s.name)}


def build_variant(question: QuestionSource, seed: int, *, render: bool = True) -> Variant:
    """Return ``question`` filled in for ``seed``.

    Raise ``scenarios.ParameterError``/``ValueError`` if the scenario refuses the parameters,
    ``templating.TemplateProblem`` for a bad placeholder, ``render.MathProblem`` for bad LaTeX
    and ``ChoiceCollision`` if two choices display the same. With ``render=False`` the HTML
    fields are left empty (the validator's fast path).
    """
    params = draw_params(question, seed)
    trace = scenario_trace(question, seed)
    context = scenario_context(trace)
    to_html = render_markdown if render else (lambda text: "")
    if question.answer is not None:
        return _numeric_variant(question, seed, params, trace, context, to_html)

    texts = [fill(choice.text, context) for choice in question.choices]
    seen: dict[str, int] = {}
    for choice, text in zip(question.choices, texts, strict=True):
        key = " ".join(text.split()).casefold()
        if key in seen:
            raise ChoiceCollision(text, (seen[key], choice.line))
        seen[key] = choice.line

    choices = [
        VariantChoice(
            index=index, text=text, html=to_html(text), correct=choice.correct,
            feedback_html=to_html(fill(choice.feedback, context)),
            misconception=choice.misconception, misconception_label=choice.misconception_label,
        )
        for index, (choice, text) in enumerate(zip(question.choices, texts, strict=True))
    ]
    if question.shuffle:
        random.Random(seed ^ SHUFFLE_SALT).shuffle(choices)
    return Variant(
        seed=seed, scenario=question.scenario, scenario_seed=scenario_seed(question, seed),
        params={name: trace.params[name] for name in params} if params else {},
        stem_html=to_html(fill(question.stem, context)), choices=tuple(choices),
        explanation_html=to_html(fill(question.explanation, context)),
    )


def _numeric_variant(question: QuestionSource, seed: int, params: dict, trace: Trace, context: dict,
                     to_html) -> Variant:
    """Return the variant of a numeric question; raise ``NumericCollision`` if its answer and a
    misconception cannot be told apart for this seed."""
    key = numeric_key(question, context)
    overlap = key.overlapping()
    if overlap is not None:
        raise NumericCollision(overlap[0], key.value, overlap[1])
    return Variant(
        seed=seed, scenario=question.scenario, scenario_seed=scenario_seed(question, seed),
        params={name: trace.params[name] for name in params} if params else {},
        stem_html=to_html(fill(question.stem, context)), choices=(),
        explanation_html=to_html(fill(question.explanation, context)),
        kind=NUMERIC_KIND, answer=key, answer_text=key.tolerance.shown(key.value),
        hints=tuple(fill(hint, context) for hint in question.answer.hints),
        step_index=step_index(trace, question.answer.step),
        wrong_answers=tuple((slug, question.answer.labels.get(slug, {}).get("label", slug), display(wrong))
                            for slug, wrong in key.misconceptions),
    )


def build_variant_near(question: QuestionSource, seed: int, *, render: bool = True) -> Variant:
    """Return the variant for ``seed``, or for the first following seed whose choices differ."""
    return first_distinct(lambda near: build_variant(question, near, render=render), seed)


def first_distinct(build: Callable[[int], Variant], seed: int) -> Variant:
    """Return ``build(seed)``, or ``build`` of the first following seed whose answers can be told
    apart (``build`` raises ``ChoiceCollision`` or ``NumericCollision`` for one that cannot).

    After ``MAX_RESEEDS`` colliding seeds, ``seed``'s own collision is raised.
    """
    for attempt in range(MAX_RESEEDS):
        try:
            return build((seed + attempt) % 2**32)
        except (ChoiceCollision, NumericCollision):
            continue
    return build(seed)
