"""Read regrades: what a student's result says, the item page's regrade panel, the audit log."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, QuerySet

from ..content.schema import is_numeric_data
from ..models import Question, QuestionVersion, Regrade, Response
from ..regrade_rules import ACCEPT_CHOICE, Rule, describe, tolerance_text


def attach_regrade_notes(items: Iterable[Response]) -> None:
    """Set ``item.regrade_notes``: one sentence per active rule of the item's version (1 query)."""
    items = list(items)
    rules: dict[int, list[Regrade]] = defaultdict(list)
    for regrade in Regrade.objects.filter(version_id__in={i.version_id for i in items}, undone_at__isnull=True
                                          ).order_by("created_at", "pk"):
        rules[regrade.version_id].append(regrade)
    for item in items:
        notes = []
        for regrade in rules.get(item.version_id, []):
            text = ""
            if regrade.kind == ACCEPT_CHOICE and regrade.params.get("choice") in (item.choice_order or []):
                text = item.choice_texts[item.choice_order.index(regrade.params["choice"])]
            notes.append(f"On {regrade.created_at.day} {regrade.created_at:%b %Y}: "
                         + describe(Rule(regrade.kind, regrade.params), choice_text=text))
        item.regrade_notes = notes


@dataclass(frozen=True)
class ChoiceOption:
    index: int
    label: str
    correct: bool


@dataclass(frozen=True)
class VersionPanel:
    version: QuestionVersion
    answers: int
    numeric: bool
    choices: list[ChoiceOption]
    tolerance: dict
    regrades: list[Regrade]

    @property
    def acceptable(self) -> list[ChoiceOption]:
        """Return the wrong choices not yet accepted by an active rule."""
        accepted = {r.params.get("choice") for r in self.regrades if r.is_active and r.kind == ACCEPT_CHOICE}
        return [c for c in self.choices if not c.correct and c.index not in accepted]

    @property
    def tolerance_text(self) -> str:
        return tolerance_text(self.tolerance)


def choice_options(version: QuestionVersion) -> list[ChoiceOption]:
    """Return a version's choices as written (source index, "misconception: text", correct).

    The misconception comes first: a choice's text may be LaTeX, which a <select> shows raw.
    """
    options = []
    for index, choice in enumerate(version.data.get("choices") or []):
        name = choice.get("misconception_label") or choice.get("misconception") or f"Choice {index + 1}"
        label = f"{name}: {choice.get('text', '')}"
        options.append(ChoiceOption(index, label, bool(choice.get("correct"))))
    return options


def regrade_panel(question: Question) -> list[VersionPanel]:
    """Return the versions of ``question`` that have answers (and the current one), newest first (3 queries)."""
    answered = dict(Response.objects.filter(question=question, is_correct__isnull=False).order_by()
                    .values_list("version_id").annotate(n=Count("pk")))
    versions = QuestionVersion.objects.filter(question=question).order_by("-number")
    wanted = [v for v in versions if v.pk in answered or v.pk == question.current_version_id]
    regrades: dict[int, list[Regrade]] = defaultdict(list)
    for regrade in Regrade.objects.filter(version__in=wanted).select_related("created_by", "version", "undone_by"):
        regrades[regrade.version_id].append(regrade)
    return [VersionPanel(version, answered.get(version.pk, 0), is_numeric_data(version.data), choice_options(version),
                         (version.data.get("answer") or {}).get("tolerance") or {}, regrades[version.pk])
            for version in wanted]


def regrade_summary(regrade: Regrade) -> str:
    """Return what a regrade does, naming the accepted choice as written in its version."""
    text = ""
    if regrade.kind == ACCEPT_CHOICE:
        choices = regrade.version.data.get("choices") or []
        index = regrade.params.get("choice")
        text = choices[index].get("text", "") if isinstance(index, int) and 0 <= index < len(choices) else ""
    return describe(Rule(regrade.kind, regrade.params), choice_text=text)


def regrade_log() -> QuerySet:
    """Return every regrade, newest first, with its question and the instructors involved."""
    return Regrade.objects.select_related("version__question", "created_by", "undone_by").order_by("-created_at", "-pk")
