"""Regrade a question version: add or undo a rule, then rewrite its answers and scores in bulk.

``regrade_add`` stores a ``Regrade`` rule and ``regrade_undo`` marks one undone; both then call
``regrade_version``, which grades every graded response of the version again under the active
rules (``regrade_rules.grade``), writes only the rows whose grade changed (a few ``UPDATE ...
WHERE pk IN`` per distinct grade) and rescores the finished exam attempts that contain them
(``score``, ``total`` and ``passed``, again grouped into a few updates). Statistics and exports
read those columns, so they follow. Practice and review grades follow too; spaced-review
schedules already made are not replayed.

Adding a rule that is already active changes nothing (``created`` is False); undoing an undone
rule changes nothing. Both return the finished attempts whose score changed (``attempt_ids``),
e.g. for sending grades to an LMS again.

Typed-number questions (``version.data["kind"] == "numeric"``): the typed number is the
``Response`` field named ``TYPED_FIELD`` (when the model has it). The expected value is, in
order: a stored ``EXPECTED_FIELD``, a fixed number in the version's ``answer.value``, or the
variant's value from the numeric grader (``quizzes.services.grading.answer_key``, where that
module exists).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q

from ..content.schema import ABSOLUTE, RELATIVE, is_numeric_data
from ..models import ExamAttempt, QuestionVersion, Regrade, Response
from ..regrade_rules import (
    ACCEPT_CHOICE,
    DROP,
    FULL_MARKS,
    WIDEN_TOLERANCE,
    Answer,
    Grade,
    Rule,
    grade,
    within,
)

TYPED_FIELD = "answer_value"
EXPECTED_FIELD = "expected_value"
CHUNK = 900
"""Primary keys per ``IN (...)``: below SQLite's oldest limit of 999 parameters."""

UNKNOWN_KIND = "Choose how to regrade the question."
NOT_A_WRONG_CHOICE = "Choose one of this version's wrong choices to accept as correct too."
NOT_NUMERIC = "Only a typed-number question has a tolerance to widen."
BAD_TOLERANCE = "The tolerance must be a positive number (relative or absolute), wider than the question's own."
KINDS = (ACCEPT_CHOICE, FULL_MARKS, DROP, WIDEN_TOLERANCE)


class RegradeRefused(Exception):
    """The regrade was not added; ``message`` says why and nothing changed."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class RegradeResult:
    regrade: Regrade
    created: bool
    changed_responses: int
    attempt_ids: list[int]


def _chunks(items: Sequence, size: int = CHUNK) -> Iterable[Sequence]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def _numeric_fields() -> list[str]:
    names = {f.name for f in Response._meta.get_fields()}
    return [name for name in (TYPED_FIELD, EXPECTED_FIELD) if name in names]


def _number(value) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def expected_value(row: dict, version: QuestionVersion | None) -> float | None:
    """Return the value a typed answer (a response as a dict) is compared with; None if unknown."""
    if row.get(EXPECTED_FIELD) is not None:
        return _number(row[EXPECTED_FIELD])
    data = version.data if version is not None else {}
    fixed = _number((data.get("answer") or {}).get("value"))
    if fixed is not None or version is None or row.get("seed") is None:
        return fixed
    try:  # templated: the numeric questions' grader recomputes the variant's value (cached)
        from .grading import answer_key
    except ImportError:
        return None
    return _number(answer_key(version, row["seed"]).value)


def answer_of(row: dict, data: dict, version: QuestionVersion | None = None) -> Answer:
    """Return the ``Answer`` of a response (a dict of its fields) to a version with ``data``."""
    answered = row.get("answered_at") is not None
    if is_numeric_data(data):
        key = data.get("answer") or {}
        typed = _number(row.get(TYPED_FIELD))
        expected = expected_value(row, version) if version is not None else (
            _number(row[EXPECTED_FIELD]) if row.get(EXPECTED_FIELD) is not None else _number(key.get("value")))
        if expected is None:  # a templated value not stored on the response: trust the grade given
            key_correct = bool(row.get("key_correct", row.get("is_correct")))
        else:
            key_correct = within(typed, expected, key.get("tolerance") or {})
        return Answer(answered=answered, key_correct=key_correct, typed=typed, expected=expected)
    chosen, order = row.get("chosen_position"), row.get("choice_order") or []
    source = order[chosen] if chosen is not None and 0 <= chosen < len(order) else None
    return Answer(answered=answered and chosen is not None, key_correct=chosen == row.get("correct_position"),
                  chosen_source=source)


def active_rules(version_ids: Iterable[int]) -> dict[int, list[Rule]]:
    """Return {version id: its active rules, oldest first} (1 query)."""
    rules: dict[int, list[Rule]] = defaultdict(list)
    for version_id, kind, params in (Regrade.objects.filter(version_id__in=list(version_ids), undone_at__isnull=True)
                                     .order_by("created_at", "pk").values_list("version_id", "kind", "params")):
        rules[version_id].append(Rule(kind, params or {}))
    return rules


def apply_rules_to(items: Sequence[Response]) -> list[Response]:
    """Grade ``items`` (graded responses, in memory) under their versions' rules; return those changed.

    A blank exam answer must already be graded (``is_correct=False``). Saves nothing (1 query).
    """
    rules = active_rules({item.version_id for item in items})
    changed = []
    for item in items:
        if item.is_correct is None:
            continue
        fields = {f: getattr(item, f, None) for f in ("answered_at", "chosen_position", "choice_order",
                                                      "correct_position", "is_correct", "seed", *_numeric_fields())}
        fields["key_correct"] = item.is_correct
        result = grade(answer_of(fields, item.version.data, item.version), rules.get(item.version_id, []))
        if (result.is_correct, result.scored) != (item.is_correct, item.scored):
            item.is_correct, item.scored = result.is_correct, result.scored
            changed.append(item)
    return changed


def attempt_score(items: Iterable[Response]) -> tuple[int, int]:
    """Return (score, total) of an attempt's graded items: right scored ones, scored ones."""
    items = list(items)
    return (sum(1 for item in items if item.is_correct and item.scored), sum(1 for item in items if item.scored))


def passes(score: int, total: int, pass_mark: int) -> bool:
    return 100 * score >= pass_mark * max(total, 1)


def rescore_attempts(attempt_ids: Iterable[int], *, version: QuestionVersion | None = None) -> list[int]:
    """Recompute score, total and passed of the finished attempts among ``attempt_ids``; return the changed.

    With ``version`` (every id is an attempt containing it) and many ids, one aggregate over the
    version's attempts replaces many ``IN (...)`` lists.
    """
    ids = set(attempt_ids)
    if version is not None and len(ids) > CHUNK:
        sources = [Response.objects.filter(exam_attempt_id__in=Response.objects.filter(version=version)
                                           .values("exam_attempt_id"))]
    else:
        sources = [Response.objects.filter(exam_attempt_id__in=chunk) for chunk in _chunks(sorted(ids))]
    updates: dict[tuple[int, int, bool], list[int]] = defaultdict(list)
    for source in sources:
        rows = (source.filter(exam_attempt__finished_at__isnull=False)
                .order_by().values("exam_attempt_id", "exam_attempt__exam__pass_mark", "exam_attempt__score",
                                   "exam_attempt__total", "exam_attempt__passed")
                .annotate(right=Count("pk", filter=Q(is_correct=True, scored=True)),
                          scored=Count("pk", filter=Q(scored=True))))
        for row in rows:
            passed = passes(row["right"], row["scored"], row["exam_attempt__exam__pass_mark"])
            new = (row["right"], row["scored"], passed)
            old = (row["exam_attempt__score"], row["exam_attempt__total"], row["exam_attempt__passed"])
            if row["exam_attempt_id"] in ids and new != old:
                updates[new].append(row["exam_attempt_id"])
    for (score, total, passed), pks in updates.items():
        for chunk in _chunks(pks):
            ExamAttempt.objects.filter(pk__in=chunk).update(score=score, total=total, passed=passed)
    return sorted(pk for pks in updates.values() for pk in pks)


def regrade_version(version: QuestionVersion) -> tuple[int, list[int]]:
    """Grade every graded response of ``version`` again under its active rules, in bulk.

    Return (responses changed, finished attempts whose score changed).
    """
    rules = active_rules([version.pk]).get(version.pk, [])
    fields = ["pk", "exam_attempt_id", "answered_at", "chosen_position", "choice_order", "correct_position",
              "is_correct", "scored", "seed", *_numeric_fields()]
    changes: dict[tuple[bool, bool], list[int]] = defaultdict(list)
    attempts: set[int] = set()
    rows = Response.objects.filter(version=version, is_correct__isnull=False).order_by().values(*fields)
    for row in rows.iterator(chunk_size=5000):
        result: Grade = grade(answer_of(row, version.data, version), rules)
        if (result.is_correct, result.scored) != (row["is_correct"], row["scored"]):
            changes[(result.is_correct, result.scored)].append(row["pk"])
            if row["exam_attempt_id"] is not None:
                attempts.add(row["exam_attempt_id"])
    for (right, scored), pks in changes.items():
        for chunk in _chunks(pks):
            Response.objects.filter(pk__in=chunk).update(is_correct=right, scored=scored)
    return sum(len(pks) for pks in changes.values()), rescore_attempts(attempts, version=version)


def score_counts(version: QuestionVersion) -> dict:
    """Return the version's graded answers, right ones, unscored ones, and its finished attempts and passes."""
    answers = Response.objects.filter(version=version, is_correct__isnull=False).aggregate(
        answers=Count("pk"), right=Count("pk", filter=Q(is_correct=True)), dropped=Count("pk", filter=Q(scored=False)))
    attempts = ExamAttempt.objects.filter(
        finished_at__isnull=False, pk__in=Response.objects.filter(version=version).values("exam_attempt_id"),
    ).aggregate(attempts=Count("pk"), passed=Count("pk", filter=Q(passed=True)))
    return answers | attempts


def clean_params(version: QuestionVersion, kind: str, params: dict) -> dict:
    """Return the rule's parameters in canonical form; raise ``RegradeRefused``."""
    data = version.data
    if kind not in KINDS:
        raise RegradeRefused(UNKNOWN_KIND)
    if kind == ACCEPT_CHOICE:
        choices = data.get("choices") or []
        try:
            index = int(str(params.get("choice")))
        except ValueError:
            raise RegradeRefused(NOT_A_WRONG_CHOICE) from None
        if is_numeric_data(data) or not 0 <= index < len(choices) or choices[index].get("correct"):
            raise RegradeRefused(NOT_A_WRONG_CHOICE)
        return {"choice": index}
    if kind == WIDEN_TOLERANCE:
        if not is_numeric_data(data):
            raise RegradeRefused(NOT_NUMERIC)
        tolerance = params.get("tolerance") or {}
        amount, tkind = _number(tolerance.get("amount")), tolerance.get("kind")
        own = (data.get("answer") or {}).get("tolerance") or {}
        if amount is None or amount <= 0 or tkind not in (RELATIVE, ABSOLUTE):
            raise RegradeRefused(BAD_TOLERANCE)
        if own.get("kind") == tkind and amount <= (_number(own.get("amount")) or 0):
            raise RegradeRefused(BAD_TOLERANCE)
        return {"tolerance": {"kind": tkind, "amount": amount}}
    return {}


def send_changed_grades_to_lms(attempt_ids: Sequence[int]) -> None:
    """Queue the new scores of the regraded attempts launched from an LMS (LTI) for its gradebook."""
    from ..lti.grades import post_attempt_grade
    from ..lti.models import LtiExamLaunch

    launched = LtiExamLaunch.objects.filter(user_id=OuterRef("user_id"), exam_id=OuterRef("exam_id"))
    for chunk in _chunks(sorted(attempt_ids)):
        for pk in ExamAttempt.objects.filter(pk__in=chunk).filter(Exists(launched)).values_list("pk", flat=True):
            post_attempt_grade(pk)


@transaction.atomic
def regrade_add(*, version: QuestionVersion, kind: str, params: dict, by, when: datetime,
                note: str = "") -> RegradeResult:
    """Add a regrading rule to ``version`` and regrade its answers; raise ``RegradeRefused``.

    If the same rule is already active nothing changes and that rule is returned.
    """
    version = QuestionVersion.objects.select_for_update().get(pk=version.pk)
    params = clean_params(version, kind, params)
    existing = next((rule for rule in Regrade.objects.filter(version=version, kind=kind, undone_at__isnull=True)
                     if rule.params == params), None)
    if existing is not None:
        return RegradeResult(existing, created=False, changed_responses=0, attempt_ids=[])
    before = score_counts(version)
    regrade = Regrade.objects.create(version=version, kind=kind, params=params, note=note[:2000],
                                     created_by=by, created_at=when, before=before)
    changed, attempt_ids = regrade_version(version)
    regrade.after = score_counts(version)
    regrade.affected_attempts = len(attempt_ids)
    regrade.save(update_fields=["after", "affected_attempts"])
    send_changed_grades_to_lms(attempt_ids)
    return RegradeResult(regrade, created=True, changed_responses=changed, attempt_ids=attempt_ids)


@transaction.atomic
def regrade_undo(*, regrade_id: int, by, when: datetime) -> RegradeResult:
    """Undo a rule and regrade its version's answers; undoing an undone rule changes nothing."""
    regrade = Regrade.objects.select_for_update().select_related("version").get(pk=regrade_id)
    if regrade.undone_at is not None:
        return RegradeResult(regrade, created=False, changed_responses=0, attempt_ids=[])
    regrade.undone_at, regrade.undone_by = when, by
    regrade.save(update_fields=["undone_at", "undone_by"])
    changed, attempt_ids = regrade_version(regrade.version)
    regrade.after_undo = score_counts(regrade.version)
    regrade.save(update_fields=["after_undo"])
    send_changed_grades_to_lms(attempt_ids)
    return RegradeResult(regrade, created=True, changed_responses=changed, attempt_ids=attempt_ids)
