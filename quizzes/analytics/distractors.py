"""Distractor analysis: how the answers to one question spread over its choices.

A response stores the display position chosen and ``choice_order``, the source index of the
choice at each display position, so the choice picked is ``choice_order[chosen_position]``. The
database counts the answers per (version, display order, position chosen), a few dozen groups at
most; each group is then mapped to its source choice. Choices are per version, so each version
answered gets its own table. A wrong choice is named by the misconception it stands for.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import BooleanField, Count, ExpressionWrapper, Q

from ..models import Question, QuestionVersion
from .scope import Scope, answers

NO_ANSWER = "No answer (exam question left blank)"
OTHER_NUMBER = "Another wrong number (no misconception named)"
NO_MISCONCEPTION = "Wrong choice (no misconception named)"
CORRECT = "Correct answer"


@dataclass(frozen=True)
class ChoiceShare:
    source_index: int | None
    label: str
    text: str
    correct: bool
    count: int
    share: float | None
    misconception: str = ""
    html: str = ""


@dataclass(frozen=True)
class VersionDistractors:
    version_number: int
    responses: int
    choices: list[ChoiceShare]
    version_id: int = 0
    example_seed: int | None = None


def choice_label(choice: dict) -> str:
    """Return how a choice is named in the table: correct, its misconception, or plain wrong."""
    if choice.get("correct"):
        return CORRECT
    return choice.get("misconception_label") or choice.get("misconception") or NO_MISCONCEPTION


def numeric_table(scope: Scope, question: Question) -> list[VersionDistractors]:
    """Return, for a typed-number question, the share of answers right, near each named
    misconception's value (``Response.misconception``), otherwise wrong, or blank, per version."""
    groups = (answers(scope).filter(question=question).order_by()
              .annotate(blank=ExpressionWrapper(Q(answered_at__isnull=True), output_field=BooleanField()))
              .values("version_id", "is_correct", "misconception", "blank").annotate(n=Count("pk")))
    per_version: dict[int, dict[str, int]] = {}
    for group in groups:
        if group["blank"]:
            label = NO_ANSWER
        elif group["is_correct"]:
            label = CORRECT
        else:
            label = group["misconception"] or OTHER_NUMBER
        counts = per_version.setdefault(group["version_id"], {})
        counts[label] = counts.get(label, 0) + group["n"]
    tables = []
    for version in QuestionVersion.objects.filter(pk__in=per_version).order_by("-number"):
        counts = per_version[version.pk]
        total = sum(counts.values())
        answer = version.data.get("answer") or {}
        labels = answer.get("labels", {})
        order = [CORRECT, *answer.get("misconceptions", {}), OTHER_NUMBER, NO_ANSWER]
        order += [key for key in counts if key not in order]
        named = answer.get("misconceptions", {})
        shares = [ChoiceShare(None, labels.get(key, {}).get("label", key), key if key in named else "",
                              key == CORRECT, counts.get(key, 0), counts.get(key, 0) / total)
                  for key in order if counts.get(key) or key == CORRECT or key in named]
        tables.append(VersionDistractors(version.number, total, shares))
    return tables


def distractor_table(scope: Scope, question: Question) -> list[VersionDistractors]:
    """Return the share of answers on each choice of ``question``, per version, newest first (2 queries).

    A typed-number question has no choices: its answers are counted by ``numeric_table``.
    """
    current = question.current_version
    if current is not None and current.data.get("kind") == "numeric":
        return numeric_table(scope, question)
    groups = (answers(scope).filter(question=question).order_by()
              .values("version_id", "choice_order", "chosen_position").annotate(n=Count("pk")))
    per_version: dict[int, dict[int | None, int]] = {}
    for group in groups:
        order, position = group["choice_order"], group["chosen_position"]
        source = order[position] if position is not None and 0 <= position < len(order) else None
        counts = per_version.setdefault(group["version_id"], {})
        counts[source] = counts.get(source, 0) + group["n"]
    versions = QuestionVersion.objects.filter(pk__in=per_version).order_by("-number")
    tables = []
    for version in versions:
        counts = per_version[version.pk]
        total = sum(counts.values())
        shares = [
            ChoiceShare(index, choice_label(choice), choice.get("text", ""), bool(choice.get("correct")),
                        counts.get(index, 0), counts.get(index, 0) / total,
                        "" if choice.get("correct") else choice.get("misconception") or "")
            for index, choice in enumerate(version.data.get("choices", []))
        ]
        if counts.get(None):
            shares.append(ChoiceShare(None, NO_ANSWER, "", False, counts[None], counts[None] / total))
        tables.append(VersionDistractors(version.number, total, shares, version_id=version.pk))
    return tables
