"""Turn the content bank into interchange ``Item``s: a parameterised question as N fixed variants.

Each variant is the question filled in for one seed (``quizzes.content.variants``), so its
stem, choices, feedback and explanation carry that run's numbers. Seeds are drawn from the
question's id, so exporting the same bank twice gives the same file. Variants are named
``<id> (variant k of N, seed S)`` and put in one category per question, so an instructor sees
they belong together (Moodle's "random question from category" then draws one of them).
"""

from __future__ import annotations

import fnmatch
import multiprocessing
import os
import random
import re
import zlib
from collections.abc import Iterable, Mapping
from concurrent.futures import ProcessPoolExecutor

from ..content.bank import Bank
from ..content.schema import QuestionSource
from ..content.templating import display, fill, lookup
from ..content.variants import (
    MAX_RESEEDS,
    ChoiceCollision,
    scenario_context,
    scenario_trace,
)
from .markup import inline_html, to_html
from .model import CATEGORY_ROOT, DIFFICULTY_TAG, MULTICHOICE, NUMERICAL, SCENARIO_TAG, Item, ItemChoice, NumericAnswer

DEFAULT_VARIANTS = 5
MAX_VARIANTS = 100
SEED_POOL = 10_000
"""Variant seeds are drawn from 1..SEED_POOL-1: small numbers an instructor can quote."""


def variant_seeds(question_id: str, count: int) -> list[int]:
    """Return ``count`` distinct seeds for ``question_id`` (the same every time)."""
    return random.Random(zlib.crc32(question_id.encode())).sample(range(1, SEED_POOL), count)


def select(questions: Iterable[QuestionSource], pattern: str | None) -> list[QuestionSource]:
    """Return the questions whose id (or ``topic/id``) matches the glob ``pattern`` (all if None)."""
    chosen = []
    for question in questions:
        if not pattern or fnmatch.fnmatchcase(question.id, pattern) or fnmatch.fnmatchcase(
                f"{question.topic}/{question.id}", pattern):
            chosen.append(question)
    return chosen


VARIANT_OF = "variant-of-"
VARIANT_TAG = re.compile(r"^variant-(\d+)-of-(\d+)$")
SEED_TAG = re.compile(r"^seed-(\d+)$")


def variant_info(question: QuestionSource) -> tuple[str, int, int, int] | None:
    """Return (question id, k, N, seed) when ``question`` is variant k of N of another (by its tags).

    An imported variant keeps the tags its export gave it (``variant-of-<id>``,
    ``variant-<k>-of-<N>``, ``seed-<S>``), so exporting it again names it the same way.
    """
    base = next((t[len(VARIANT_OF):] for t in question.tags if t.startswith(VARIANT_OF)), None)
    numbers = next((VARIANT_TAG.match(t) for t in question.tags if VARIANT_TAG.match(t)), None)
    seed = next((SEED_TAG.match(t) for t in question.tags if SEED_TAG.match(t)), None)
    if base is None or numbers is None or seed is None:
        return None
    return base, int(numbers.group(1)), int(numbers.group(2)), int(seed.group(1))


def _order(question: QuestionSource) -> tuple[str, int]:
    info = variant_info(question)
    return (info[0], info[1]) if info else (question.id, 0)


PARALLEL_FROM = 24
"""Banks of at least this many questions are exported by a pool of processes (one per core)."""
_JOB: dict = {}


def _items_of(index: int) -> list[Item]:
    """Return the items of question ``index`` of the current job (run in a worker process)."""
    bank, questions, titles, variants = _JOB["bank"], _JOB["questions"], _JOB["titles"], _JOB["variants"]
    question = questions[index]
    return question_items(question, bank, topic_title=titles.get(question.topic, question.topic), variants=variants)


def bank_items(bank: Bank, *, pattern: str | None = None, variants: int = DEFAULT_VARIANTS) -> list[Item]:
    """Return the items of ``bank``'s questions matching ``pattern``, in topic then id order.

    Running the scenarios of every variant is most of the work; a large bank spreads it over
    the machine's cores (forked workers: each gets the bank as it is, nothing is pickled but
    the items coming back). The result is the same either way.
    """
    titles = {topic.slug: topic.title for topic in bank.topics}
    order = {topic.slug: topic.order for topic in bank.topics}
    questions = sorted(select(bank.questions, pattern), key=lambda q: (order.get(q.topic, 999), *_order(q)))
    _JOB.update(bank=bank, questions=questions, titles=titles, variants=variants)
    try:
        workers = min(os.cpu_count() or 1, 4)
        if len(questions) >= PARALLEL_FROM and workers > 1 and "fork" in multiprocessing.get_all_start_methods():
            context = multiprocessing.get_context("fork")
            with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
                chunks = list(pool.map(_items_of, range(len(questions)), chunksize=2))
        else:
            chunks = [_items_of(index) for index in range(len(questions))]
    finally:
        _JOB.clear()
    return [item for chunk in chunks for item in chunk]


def question_items(question: QuestionSource, bank: Bank, *, topic_title: str, variants: int) -> list[Item]:
    """Return the item (static question) or the ``variants`` items (parameterised) of ``question``."""
    category = [CATEGORY_ROOT, topic_title]
    if not question.is_parameterised:
        info = variant_info(question)
        if info:
            base, number, count, seed = info
            return [_item(question, bank, seed=0, name=variant_name(base, number, count, seed),
                          idnumber=question.id, category=[*category, base], extra_tags=[])]
        return [_item(question, bank, seed=0, name=question.id, idnumber=question.id, category=category,
                      extra_tags=[])]
    items = []
    for number, seed in enumerate(variant_seeds(question.id, variants), start=1):
        items.append(_variant_item(question, bank, seed=seed, number=number, count=variants,
                                   category=[*category, question.id]))
    return items


def variant_name(base: str, number: int, count: int, seed: int) -> str:
    """Return the name an instructor sees: ``conv-window-value (variant 2 of 5, seed 17)``."""
    return f"{base} (variant {number} of {count}, seed {seed})"


def _variant_item(question, bank, *, seed, number, count, category) -> Item:
    """Return variant ``number`` (a later seed when this one's choices collide)."""
    for attempt in range(MAX_RESEEDS):
        actual = (seed + attempt * SEED_POOL) % 2**32
        try:
            return _item(question, bank, seed=actual, category=category,
                         name=variant_name(question.id, number, count, actual),
                         idnumber=f"{question.id}-variant-{number}",
                         extra_tags=[f"{VARIANT_OF}{question.id}", f"variant-{number}-of-{count}", f"seed-{actual}"])
        except ChoiceCollision:
            continue
    raise ChoiceCollision(f"{question.id}: every seed near {seed}", (0, 0))


def _tags(question: QuestionSource, extra: list[str]) -> list[str]:
    return [*question.tags, *extra, f"{DIFFICULTY_TAG}{question.difficulty}", f"{SCENARIO_TAG}{question.scenario}"]


def _item(question: QuestionSource, bank: Bank, *, seed: int, name: str, idnumber: str, category: list[str],
          extra_tags: list[str]) -> Item:
    """Return ``question`` filled in for ``seed`` as an ``Item``."""
    trace = scenario_trace(question, seed)
    context = scenario_context(trace)
    item = Item(name=name, idnumber=idnumber, category=category, shuffle=question.shuffle,
                stem_html=to_html(fill(question.stem, context)), tags=_tags(question, extra_tags),
                explanation_html=to_html(fill(question.explanation, context)))
    if getattr(question, "kind", "choice") == "numeric":
        item.kind = NUMERICAL
        item.numeric = numeric_answer(question, bank, context)
        return item
    item.kind = MULTICHOICE
    seen: dict[str, int] = {}
    for choice in question.choices:
        text = fill(choice.text, context)
        key = " ".join(text.split()).casefold()
        if key in seen:
            raise ChoiceCollision(text, (seen[key], choice.line))
        seen[key] = choice.line
        item.choices.append(ItemChoice(html=inline_html(text), correct=choice.correct,
                                       feedback_html=to_html(fill(choice.feedback, context))))
    return item


SINGLE_PLACEHOLDER = re.compile(r"^\{\{\s*([A-Za-z_][\w.]*)\s*\}\}$")


def _number(template: object, context: dict) -> float:
    """Return a numeric answer's value: a number as it is, one ``{{ name }}`` unrounded (what a
    typed answer is graded against), any other template filled in."""
    if isinstance(template, int | float) and not isinstance(template, bool):
        return float(template)
    single = SINGLE_PLACEHOLDER.match(str(template).strip())
    if single:
        return float(lookup(context, single.group(1)))
    return float(fill(str(template), context).strip())


def tolerance_of(value: float, tolerance: dict) -> float:
    """Return the absolute tolerance around ``value`` (a relative one scales with ``|value|``)."""
    amount = float(tolerance.get("amount", 0.0))
    return abs(value) * amount if tolerance.get("kind") == "relative" else amount


def _answer_parts(answer) -> tuple[object, dict, dict, tuple]:
    """Return (value template, tolerance {kind, amount}, {slug: template}, hints) of an answer.

    ``answer`` is the stored data (a dict) or the parsed ``AnswerSource`` (``value``,
    ``tolerance`` with ``to_data()``, ``misconceptions``, ``hints``).
    """
    if isinstance(answer, Mapping):
        return (answer["value"], answer.get("tolerance") or {}, dict(answer.get("misconceptions") or {}),
                tuple(answer.get("hints") or ()))
    tolerance = answer.tolerance.to_data() if getattr(answer, "tolerance", None) is not None else {}
    return answer.value, tolerance, dict(answer.misconceptions or {}), tuple(answer.hints or ())


def numeric_answer(question: QuestionSource, bank: Bank, context: dict) -> NumericAnswer:
    """Return the typed-number answer of a ``kind: numeric`` question for one run's ``context``.

    The answer is ``{value, tolerance: {kind, amount}, misconceptions: {slug: template},
    hints: [...]}``; each misconception becomes a wrong answer with its label as feedback.
    """
    template, tolerance, misconceptions, hints = _answer_parts(question.answer)
    tolerance = tolerance or {"kind": "absolute", "amount": 0.0}
    value = _number(template, context)
    wrong = []
    for slug, wrong_template in misconceptions.items():
        wrong_value = _number(wrong_template, context)
        if abs(wrong_value - value) <= tolerance_of(value, tolerance):
            continue  # this run's mistake gives the right number: it cannot be told apart
        known = bank.misconceptions.get(slug)
        feedback = f"{known.label}: {known.description}" if known else slug
        wrong.append((wrong_value, tolerance_of(wrong_value, tolerance), to_html(feedback)))
    return NumericAnswer(
        value=value, tolerance=tolerance_of(value, tolerance), tolerance_kind=tolerance.get("kind", "absolute"),
        tolerance_amount=float(tolerance.get("amount", 0.0)),
        feedback_html=to_html(f"Right: {display(value)}."), wrong=tuple(wrong),
        hints=tuple(to_html(fill(str(hint), context)) for hint in hints),
    )
