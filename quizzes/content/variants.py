"""Build what a student sees of a question for one seed: a ``Variant``.

For a parameterised question the seed draws the parameters from their ranges and seeds the
scenario; for a static one the scenario runs with the question's own seed and the attempt seed
only shuffles the choices. Everything here is deterministic in (question, seed).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from urllib.parse import urlencode

from cnncore import scenarios
from cnncore.trace import Trace

from ..lab import runner
from .render import render_markdown
from .schema import QuestionSource
from .templating import fill

SHUFFLE_SALT = 0x5EED
MAX_RESEEDS = 25
"""A runtime seed whose choices collide is replaced by the next one, at most this many times."""


class ChoiceCollision(ValueError):
    """Two choices of a variant display the same text."""

    def __init__(self, text: str, lines: tuple[int, int]) -> None:
        super().__init__(f"two choices display {text!r}")
        self.text = text
        self.lines = lines


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
    return runner.run(question.scenario, values, scenario_seed(question, seed))


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


def build_variant_near(question: QuestionSource, seed: int, *, render: bool = True) -> Variant:
    """Return the variant for ``seed``, or for the first following seed whose choices differ."""
    for attempt in range(MAX_RESEEDS):
        try:
            return build_variant(question, (seed + attempt) % 2**32, render=render)
        except ChoiceCollision:
            continue
    return build_variant(question, seed, render=render)
