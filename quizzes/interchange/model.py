"""The neutral form of a question bank that every interchange format reads or writes.

Text fields hold HTML fragments whose math is TeX between ``\\( \\)`` (inline) and ``\\[ \\]``
(display), the delimiters Moodle's MathJax filter and QTI players render.
"""

from __future__ import annotations

from dataclasses import dataclass, field

MULTICHOICE = "multichoice"
NUMERICAL = "numerical"
CATEGORY_ROOT = "Backprop Lab"
DIFFICULTY_TAG = "difficulty-"
SCENARIO_TAG = "scenario-"


@dataclass(frozen=True)
class ItemChoice:
    """One choice: its HTML, whether it is right, and the feedback shown when it is picked."""

    html: str
    correct: bool
    feedback_html: str = ""


@dataclass(frozen=True)
class NumericAnswer:
    """A typed number: accepted within ``tolerance`` (absolute) of ``value``.

    ``wrong`` lists the values classic mistakes give, each with its own tolerance and
    feedback; ``hints`` are shown one by one in interactive modes.
    """

    value: float
    tolerance: float
    tolerance_kind: str = "absolute"
    tolerance_amount: float = 0.0
    feedback_html: str = ""
    wrong: tuple[tuple[float, float, str], ...] = ()
    hints: tuple[str, ...] = ()


@dataclass
class Item:
    """One question as exchanged: a multiple-choice question or a typed number.

    ``where`` names it in messages (``file:question N``); ``category`` is a path of names
    (``["Backprop Lab", "Convolution", "conv-window-value"]``).
    """

    name: str
    kind: str = MULTICHOICE
    idnumber: str = ""
    category: list[str] = field(default_factory=list)
    stem_html: str = ""
    explanation_html: str = ""
    choices: list[ItemChoice] = field(default_factory=list)
    numeric: NumericAnswer | None = None
    shuffle: bool = True
    tags: list[str] = field(default_factory=list)
    where: str = ""

    @property
    def difficulty(self) -> int | None:
        """Return the difficulty carried in a ``difficulty-N`` tag, if any."""
        for tag in self.tags:
            if tag.startswith(DIFFICULTY_TAG) and tag[len(DIFFICULTY_TAG):] in ("1", "2", "3"):
                return int(tag[len(DIFFICULTY_TAG):])
        return None

    @property
    def scenario(self) -> str:
        """Return the scenario carried in a ``scenario-NAME`` tag ("" if none)."""
        return next((t[len(SCENARIO_TAG):] for t in self.tags if t.startswith(SCENARIO_TAG)), "")

    @property
    def plain_tags(self) -> list[str]:
        """Return the tags that are the question's own (not difficulty or scenario)."""
        return [t for t in self.tags if not t.startswith((DIFFICULTY_TAG, SCENARIO_TAG))]


@dataclass(frozen=True)
class Problem:
    """Something wrong with one imported question (or the whole file when ``number`` is 0)."""

    file: str
    number: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:question {self.number}: {self.message}" if self.number else f"{self.file}: {self.message}"


class ImportRefused(Exception):
    """The file cannot be imported; ``problems`` says why, per question. Nothing was written."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(f"{len(problems)} problem(s)")
        self.problems = problems
