"""Find every problem in a bank: what the parser cannot see alone, and every seed's variant.

``validate_bank`` returns all problems sorted by file and line; it never raises.
"""

from __future__ import annotations

from collections.abc import Iterable

from cnncore import scenarios
from cnncore.scenarios import ParameterError, UnknownScenario

from .answer import NUMBER_TEMPLATE
from .bank import Bank
from .errors import (
    ANSWER_UNKNOWN_STEP,
    BAD_MATH,
    DUPLICATE_ID,
    EXAM_NOT_ENOUGH,
    MISCONCEPTION_ON_CORRECT,
    MISCONCEPTION_REQUIRED,
    NO_CORRECT_CHOICE,
    NUMERIC_COLLISION,
    NUMERIC_MISTAKES_COLLIDE,
    NUMERIC_NOT_A_NUMBER,
    PARAM_PROBLEM,
    SEED_COLLISION,
    SEED_FAILED,
    SEVERAL_CORRECT_CHOICES,
    TOO_FEW_CHOICES,
    UNKNOWN_MISCONCEPTION,
    UNKNOWN_SCENARIO,
    UNKNOWN_TOPIC,
    UNSAFE_HTML,
    ContentError,
)
from .render import MathProblem, render_markdown, unsafe_snippets
from .schema import ExamSource, QuestionSource
from .templating import TemplateProblem, display, evaluate_number, fill
from .variants import (
    ChoiceCollision,
    NumericCollision,
    build_variant,
    scenario_context,
    scenario_trace,
    step_index,
)

VALIDATION_SEEDS = 50
"""How many seeds of each parameterised question the validator renders."""


def validate_bank(bank: Bank, *, deep_ids: Iterable[str] | None = None) -> list[ContentError]:
    """Return every problem of ``bank``, sorted.

    ``deep_ids`` limits the checks that run the scenario and render (the slow part) to those
    question ids; None checks all. Sync passes the ids whose content changed: an unchanged file
    was fully checked when it was last synced.
    """
    errors = list(bank.errors)
    deep = None if deep_ids is None else set(deep_ids)
    first_path: dict[str, str] = {}
    for question in bank.questions:
        if question.id and question.id in first_path:
            errors.append(ContentError(question.path, question.line_of("id"),
                                       DUPLICATE_ID.format(value=question.id, other=first_path[question.id])))
        elif question.id:
            first_path[question.id] = question.path
        errors.extend(validate_question(question, bank, deep=deep is None or question.id in deep))
    for exam in bank.exams:
        errors.extend(validate_exam(exam, bank))
    return sorted(set(errors))


def _fields(question: QuestionSource) -> list[tuple[str, int]]:
    """Return (markdown template, first line) for every text a student may read."""
    fields = [(question.stem, question.stem_line)]
    for choice in question.choices:
        fields += [(choice.text, choice.line), (choice.feedback, choice.line + 1)]
    if question.answer is not None:
        fields += list(zip(question.answer.hints, question.answer.hint_lines or
                           (question.answer.line,) * len(question.answer.hints), strict=True))
    fields.append((question.explanation, question.explanation_line))
    return fields


def validate_question(question: QuestionSource, bank: Bank, *, deep: bool = True) -> list[ContentError]:
    """Return the problems of one parsed question against the rest of ``bank``.

    ``deep`` also runs the scenario, fills and renders every text, and renders
    ``VALIDATION_SEEDS`` seeds of a parameterised question.
    """
    problems: list[ContentError] = []

    def add(line: int, message: str) -> None:
        problems.append(ContentError(question.path, line, message))

    topics = [topic.slug for topic in bank.topics]
    if question.topic and question.topic not in topics:
        add(question.line_of("topic"), UNKNOWN_TOPIC.format(value=question.topic, known=", ".join(topics)))
    if question.answer is None:
        _check_choices(question, bank, add)
    else:
        for slug in question.answer.misconceptions:
            if slug not in bank.misconceptions:
                add(question.answer.misconception_lines.get(slug, question.answer.line),
                    UNKNOWN_MISCONCEPTION.format(value=slug))
    for text, line in _fields(question):
        for what, snippet, offset in unsafe_snippets(text):
            add(line + offset, UNSAFE_HTML.format(what=what, snippet=snippet))

    scenario = _check_scenario(question, add)
    if scenario is None or not deep:
        return problems
    try:
        trace = scenario_trace(question, 0)
    except (ParameterError, ValueError) as error:
        add(question.line_of("params"), SEED_FAILED.format(seed=0, problem=error))
        return problems
    context = scenario_context(trace)
    for text, line in _fields(question):
        try:
            filled = fill(text, context)
        except TemplateProblem as problem:
            add(line + problem.offset, str(problem))
            continue
        try:
            render_markdown(filled)
        except MathProblem as problem:
            offset = text.count("\n", 0, max(text.find(problem.latex[:20]), 0))
            add(line + offset, BAD_MATH.format(latex=problem.latex, problem=problem.problem))
    if question.answer is not None and question.answer.step and step_index(trace, question.answer.step) is None:
        known = ", ".join(step.title for step in trace.steps)
        add(question.answer.step_line, ANSWER_UNKNOWN_STEP.format(value=question.answer.step, known=known))
    if problems:
        return problems
    seeds = range(VALIDATION_SEEDS) if question.is_parameterised else range(1)
    if question.answer is not None:
        _check_numeric_seeds(question, seeds, add)
        return problems
    for seed in seeds:
        try:
            build_variant(question, seed, render=False)
        except ChoiceCollision as collision:
            add(collision.lines[1], SEED_COLLISION.format(seed=seed, text=collision.text,
                                                          lines=" and ".join(map(str, collision.lines))))
        except (ValueError, ArithmeticError, TemplateProblem) as error:
            add(question.line_of("params"), SEED_FAILED.format(seed=seed, problem=error))
    return problems


def _check_numeric_seeds(question: QuestionSource, seeds: range, add) -> None:
    """Check every seed of a numeric question: the answer and each misconception's value is a
    finite number, no misconception is within tolerance of the answer, every text fills.

    Each line is reported once, for the first seed that shows its problem.
    """
    answer = question.answer
    found: dict[int, str] = {}

    def once(line: int, message: str) -> None:
        if line not in found:
            found[line] = message
            add(line, message)

    for seed in seeds:
        try:
            context = scenario_context(scenario_trace(question, seed))
        except (ParameterError, ValueError, ArithmeticError) as error:
            once(question.line_of("params"), SEED_FAILED.format(seed=seed, problem=error))
            continue
        values = {}
        named = [("the answer value", answer.value, answer.value_line, None)] + [
            (f"misconception {slug}", text, answer.misconception_lines.get(slug, answer.line), slug)
            for slug, text in answer.misconceptions.items()
        ]
        for what, text, line, slug in named:
            if not NUMBER_TEMPLATE.match(text):
                continue  # the parser reported it
            try:
                values[slug] = evaluate_number(text, context)
            except TemplateProblem as problem:
                once(line, str(problem))
            except ValueError as error:
                once(line, NUMERIC_NOT_A_NUMBER.format(seed=seed, what=what, value=str(error)))
        if len(values) < len(named) or answer.tolerance is None:
            continue  # reported above or by the parser
        right = values.pop(None)
        for slug, wrong in values.items():
            if abs(wrong - right) <= answer.tolerance.width(right) + answer.tolerance.width(wrong):
                once(answer.misconception_lines.get(slug, answer.line), NUMERIC_COLLISION.format(
                    seed=seed, value=display(right), slug=slug, wrong=display(wrong),
                    tolerance=answer.tolerance.text))
        mistakes = list(values.items())
        for index, (first, first_value) in enumerate(mistakes):
            for second, second_value in mistakes[index + 1:]:
                width = answer.tolerance.width(first_value) + answer.tolerance.width(second_value)
                if abs(first_value - second_value) <= width:
                    once(answer.misconception_lines.get(second, answer.line), NUMERIC_MISTAKES_COLLIDE.format(
                        seed=seed, first=first, first_value=display(first_value), second=second,
                        second_value=display(second_value), tolerance=answer.tolerance.text))
        try:
            build_variant(question, seed, render=False)
        except NumericCollision:
            pass  # reported above, with its line
        except (ValueError, ArithmeticError, TemplateProblem) as error:
            once(question.line_of("params"), SEED_FAILED.format(seed=seed, problem=error))


def _check_choices(question: QuestionSource, bank: Bank, add) -> None:
    if not question.choices:
        return
    if len(question.choices) < 2:
        add(question.choices[0].line, TOO_FEW_CHOICES.format(count=len(question.choices)))
    correct = [choice for choice in question.choices if choice.correct]
    if not correct:
        add(question.choices[0].line, NO_CORRECT_CHOICE)
    elif len(correct) > 1:
        lines = ", ".join(str(choice.line) for choice in correct)
        add(correct[1].line, SEVERAL_CORRECT_CHOICES.format(count=len(correct), lines=lines))
    for choice in question.choices:
        if choice.misconception and choice.misconception not in bank.misconceptions:
            add(choice.line, UNKNOWN_MISCONCEPTION.format(value=choice.misconception))
        if choice.correct and choice.misconception:
            add(choice.line, MISCONCEPTION_ON_CORRECT)
        if not choice.correct and not choice.misconception and question.is_parameterised:
            add(choice.line, MISCONCEPTION_REQUIRED)


def _check_scenario(question: QuestionSource, add):
    if not question.scenario:
        return None
    try:
        scenario = scenarios.get(question.scenario)
    except UnknownScenario:
        known = ", ".join(s.name for s in scenarios.all_scenarios())
        add(question.line_of("scenario"), UNKNOWN_SCENARIO.format(value=question.scenario, known=known))
        return None
    ok = True
    for spec in question.params:
        try:
            param = scenario.param(spec.name)
            for value in spec.candidates():
                param.parse(value)
        except ParameterError as error:
            add(question.line_of(f"params.{spec.name}"),
                PARAM_PROBLEM.format(name=spec.name, problem=error.message))
            ok = False
    return scenario if ok else None


def validate_exam(exam: ExamSource, bank: Bank) -> list[ContentError]:
    """Return the problems of one exam: unknown topics, or too few questions to draw."""
    problems = []
    topics = {topic.slug for topic in bank.topics}
    line = exam.line_of("sections")
    drawable: set[str] = set()
    for section in exam.sections:
        unknown = [slug for slug in section.topics if slug not in topics]
        if unknown:
            problems.append(ContentError(exam.path, line, UNKNOWN_TOPIC.format(
                value=", ".join(unknown), known=", ".join(sorted(topics)))))
            continue
        pool = [q.id for q in bank.questions if q.topic in section.topics
                and (not section.difficulty or q.difficulty in section.difficulty)]
        if len(pool) < section.count:
            problems.append(ContentError(exam.path, line, EXAM_NOT_ENOUGH.format(
                wanted=section.count, topics=", ".join(section.topics),
                difficulty=", ".join(map(str, section.difficulty)) or "any", available=len(pool))))
        drawable.update(pool)
    total = sum(section.count for section in exam.sections)
    if not problems and total > len(drawable):
        problems.append(ContentError(exam.path, line, EXAM_NOT_ENOUGH.format(
            wanted=total, topics="all sections together", difficulty="as given",
            available=len(drawable))))
    return problems
