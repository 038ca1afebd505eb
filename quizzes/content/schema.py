"""What a parsed content file holds. Lines are kept so every problem can point at its place.

``QuestionSource.to_data()`` is what a ``QuestionVersion`` stores; ``from_data`` reads it back
(without lines), so a student's review renders from the stored version, not the file.
"""

from __future__ import annotations

import math
import random
from dataclasses import asdict, dataclass, field

RANDOM_SEED = "random"
CHOICE_KIND = "choice"
NUMERIC_KIND = "numeric"
RELATIVE = "relative"
ABSOLUTE = "absolute"
ROUNDING_SLACK = 1e-9
"""Relative slack added to every tolerance so a value exactly on its edge is not lost to rounding."""



def is_numeric_data(data: dict) -> bool:
    """Return True if a stored version's ``data`` is a question answered by typing a number."""
    return data.get("kind") == NUMERIC_KIND

@dataclass(frozen=True)
class Tolerance:
    """How far a typed number may be from a target: ``relative`` (a fraction of the target,
    written ``0.5%``) or ``absolute`` (written ``0.001``)."""

    kind: str
    amount: float

    def width(self, target: float) -> float:
        """Return the largest distance from ``target`` that still counts as equal."""
        base = abs(target) * self.amount if self.kind == RELATIVE else self.amount
        return base + ROUNDING_SLACK * max(abs(target), 1.0)

    def allows(self, target: float, given: float) -> bool:
        """Return True if ``given`` is within this tolerance of ``target``."""
        return abs(given - target) <= self.width(target)

    @property
    def text(self) -> str:
        """Return the tolerance as an author writes it (``0.5%`` or ``0.001``)."""
        if self.kind == RELATIVE:
            return f"{self.amount * 100:g}%"
        return f"{self.amount:g}"

    def shown(self, value: float) -> str:
        """Return ``value`` with enough decimals to be read against this tolerance (one more
        than the tolerance's first significant decimal; at most 10), trailing zeros dropped."""
        width = abs(value) * self.amount if self.kind == RELATIVE else self.amount
        if width <= 0 or not math.isfinite(width):
            text = f"{value:.6g}"
        else:
            decimals = min(10, max(0, math.ceil(-math.log10(width)) + 1))
            text = f"{value:.{decimals}f}"
            if "." in text:
                text = text.rstrip("0").rstrip(".")
        return "0" if float(text) == 0 else text

    def to_data(self) -> dict:
        return {"kind": self.kind, "amount": self.amount}

    @classmethod
    def from_data(cls, data: dict) -> Tolerance:
        return cls(kind=data["kind"], amount=float(data["amount"]))


@dataclass(frozen=True)
class AnswerSource:
    """The ``## Answer`` of a numeric question: templates for the value and for each named
    misconception's value, the tolerance, hints (markdown templates) and the lab ``step``.

    ``labels`` holds each misconception's label and description from ``misconceptions.yml``.
    """

    value: str
    tolerance: Tolerance | None
    misconceptions: dict[str, str] = field(default_factory=dict)
    hints: tuple[str, ...] = ()
    step: str = ""
    labels: dict[str, dict] = field(default_factory=dict)
    line: int = 0
    value_line: int = 0
    tolerance_line: int = 0
    step_line: int = 0
    misconception_lines: dict[str, int] = field(default_factory=dict)
    hint_lines: tuple[int, ...] = ()

    def to_data(self) -> dict:
        return {"value": self.value,
                "tolerance": self.tolerance.to_data() if self.tolerance else None,
                "misconceptions": dict(self.misconceptions), "hints": list(self.hints),
                "step": self.step, "labels": dict(self.labels)}

    @classmethod
    def from_data(cls, data: dict) -> AnswerSource:
        tolerance = data.get("tolerance")
        return cls(value=data["value"], tolerance=Tolerance.from_data(tolerance) if tolerance else None,
                   misconceptions=dict(data.get("misconceptions", {})), hints=tuple(data.get("hints", ())),
                   step=data.get("step", ""), labels=dict(data.get("labels", {})))


@dataclass(frozen=True)
class ParamSpec:
    """A scenario parameter of a question: a fixed ``value``, a ``min``..``max`` range
    (``step`` apart; whole numbers when all are ints) or a list of ``choices``."""

    name: str
    value: object = None
    min: float | None = None
    max: float | None = None
    step: float | None = None
    choices: tuple = ()

    @property
    def is_range(self) -> bool:
        return self.min is not None or bool(self.choices)

    def candidates(self) -> list:
        """Return every value this spec can produce (ranges are small by construction)."""
        if self.choices:
            return list(self.choices)
        if self.min is None:
            return [self.value]
        step = self.step if self.step is not None else 1
        count = int(round((self.max - self.min) / step)) + 1
        values = [self.min + i * step for i in range(count)]
        if all(isinstance(v, int) for v in (self.min, self.max, step)):
            return [int(v) for v in values]
        return [round(v, 12) for v in values]

    def draw(self, rng: random.Random) -> object:
        """Return one value: the fixed one, or one drawn from the range with ``rng``."""
        if not self.is_range:
            return self.value
        if self.choices:
            return rng.choice(self.choices)
        step = self.step if self.step is not None else 1
        count = int(round((self.max - self.min) / step)) + 1
        value = self.min + rng.randrange(count) * step
        return int(value) if all(isinstance(v, int) for v in (self.min, self.max, step)) else round(value, 12)

    def to_data(self) -> dict:
        data = {"name": self.name}
        if self.choices:
            data["choices"] = list(self.choices)
        elif self.min is not None:
            data.update(min=self.min, max=self.max, step=self.step)
        else:
            data["value"] = self.value
        return data

    @classmethod
    def from_data(cls, data: dict) -> ParamSpec:
        return cls(
            name=data["name"], value=data.get("value"), min=data.get("min"), max=data.get("max"),
            step=data.get("step"), choices=tuple(data.get("choices", ())),
        )


@dataclass(frozen=True)
class ChoiceSource:
    """One choice as written: markdown templates for its text and feedback."""

    text: str
    correct: bool
    feedback: str = ""
    misconception: str = ""
    misconception_label: str = ""
    line: int = 0

    def to_data(self) -> dict:
        return {"text": self.text, "correct": self.correct, "feedback": self.feedback,
                "misconception": self.misconception, "misconception_label": self.misconception_label}


@dataclass
class QuestionSource:
    """A question file, parsed. Text fields are markdown with ``{{ }}`` placeholders."""

    path: str
    id: str = ""
    topic: str = ""
    difficulty: int = 0
    tags: list[str] = field(default_factory=list)
    scenario: str = ""
    params: list[ParamSpec] = field(default_factory=list)
    seed: int | str = 0
    shuffle: bool = True
    stem: str = ""
    choices: list[ChoiceSource] = field(default_factory=list)
    explanation: str = ""
    key_lines: dict[str, int] = field(default_factory=dict)
    stem_line: int = 1
    explanation_line: int = 1
    answer: AnswerSource | None = None

    @property
    def kind(self) -> str:
        """``"numeric"`` for a question answered by typing a number, else ``"choice"``."""
        return NUMERIC_KIND if self.answer is not None else CHOICE_KIND

    @property
    def is_parameterised(self) -> bool:
        """True if each attempt may show different numbers (a range, or a random seed)."""
        return self.seed == RANDOM_SEED or any(spec.is_range for spec in self.params)

    def misconception_slugs(self) -> list[str]:
        """Return the misconceptions an answer to this question can name, sorted."""
        slugs = {choice.misconception for choice in self.choices if choice.misconception}
        if self.answer is not None:
            slugs |= set(self.answer.misconceptions)
        return sorted(slugs)

    def line_of(self, key: str) -> int:
        """Return the line of front-matter ``key`` (``"params.stride"`` for a nested one)."""
        return self.key_lines.get(key) or self.key_lines.get(key.split(".")[0], 1)

    def to_data(self) -> dict:
        """Return the JSON a ``QuestionVersion`` stores.

        A numeric question adds ``kind: "numeric"`` and ``answer`` (``AnswerSource.to_data``);
        a multiple-choice one has neither key, so its stored data (and hash) is unchanged.
        """
        data = {
            "id": self.id, "topic": self.topic, "difficulty": self.difficulty, "tags": list(self.tags),
            "scenario": self.scenario, "params": [spec.to_data() for spec in self.params],
            "seed": self.seed, "shuffle": self.shuffle, "stem": self.stem,
            "choices": [choice.to_data() for choice in self.choices], "explanation": self.explanation,
            "path": self.path,
        }
        if self.answer is not None:
            data["kind"] = NUMERIC_KIND
            data["answer"] = self.answer.to_data()
        return data

    @classmethod
    def from_data(cls, data: dict) -> QuestionSource:
        return cls(
            path=data["path"], id=data["id"], topic=data["topic"], difficulty=data["difficulty"],
            tags=list(data["tags"]), scenario=data["scenario"],
            params=[ParamSpec.from_data(spec) for spec in data["params"]], seed=data["seed"],
            shuffle=data["shuffle"], stem=data["stem"],
            choices=[ChoiceSource(**choice) for choice in data["choices"]],
            explanation=data["explanation"],
            answer=AnswerSource.from_data(data["answer"]) if data.get("kind") == NUMERIC_KIND else None,
        )


@dataclass(frozen=True)
class TopicSource:
    slug: str
    title: str
    description: str
    order: int


@dataclass(frozen=True)
class MisconceptionSource:
    slug: str
    label: str
    description: str


@dataclass(frozen=True)
class ExamSection:
    topics: tuple[str, ...]
    count: int
    difficulty: tuple[int, ...] = ()


@dataclass
class ExamSource:
    path: str
    id: str = ""
    title: str = ""
    description: str = ""
    time_limit_minutes: int = 0
    pass_mark: int = 0
    sections: list[ExamSection] = field(default_factory=list)
    key_lines: dict[str, int] = field(default_factory=dict)

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, 1)

    def to_data(self) -> dict:
        return {"id": self.id, "title": self.title, "description": self.description,
                "time_limit_minutes": self.time_limit_minutes, "pass_mark": self.pass_mark,
                "sections": [asdict(section) | {"topics": list(section.topics),
                                                "difficulty": list(section.difficulty)}
                             for section in self.sections]}
