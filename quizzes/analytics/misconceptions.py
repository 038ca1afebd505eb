"""Misconceptions across a class: which named mistakes the students make, and where they show.

A wrong answer *hits* a misconception when it names one:

- a wrong choice stands for the misconception its source file names (``misconception:`` under the
  choice; the version's data keeps it), found from the choice picked, ``choice_order[chosen_position]``;
- a response that records its own ``misconception`` (typed-number answers matched to a named
  wrong value) names it directly; that field wins when it is set.

Over the final answers in scope (``scope.answers``: a cohort or every student, first or all
attempts) each misconception gets: the students who hit it at least once (the ranking) and the
wrong answers naming it; per question where it showed, the students who hit it there of the
students who answered that question.

The database does the counting (4 queries in all, whatever the class size): the mapping
(version, source index) -> misconception is a small constant table (a ``VALUES`` list of the keys
version_id * ``KEY_BASE`` + source index) joined to the wrong answers, each matched once, grouped
by (misconception, question, student), then counted per question and per misconception in the
same query.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import CharField, Count, Exists, F, OuterRef, QuerySet, Value
from django.db.models.functions import NullIf

from ..models import Question, QuestionVersion, Response
from .scope import Scope, answers
from .sql import ChosenSource, aggregate_joined

KEY_BASE = 1000
"""More than any question's number of choices: version_id * KEY_BASE + source index is unique."""


@dataclass(frozen=True)
class QuestionHits:
    question_id: int
    qid: str
    topic: str
    students: int
    answers: int
    answered: int = 0
    """Students in scope who answered the question (the share's denominator)."""

    @property
    def share(self) -> float | None:
        """Of the students who answered the question, the share who hit the misconception on it."""
        return self.students / self.answered if self.answered else None


@dataclass
class MisconceptionRow:
    slug: str
    label: str
    students: int = 0
    answers: int = 0
    questions: list[QuestionHits] = field(default_factory=list)


@dataclass(frozen=True)
class ChoiceMap:
    """What the answered versions say: which choice keys name which misconception, and its label."""

    keys: dict[str, list[int]]
    labels: dict[str, str]
    offered_by: dict[str, set[int]]


def choice_map(versions) -> ChoiceMap:
    """Return the misconceptions named by the wrong choices of ``versions`` (QuestionVersion rows)."""
    keys: dict[str, list[int]] = {}
    labels: dict[str, str] = {}
    offered_by: dict[str, set[int]] = {}
    for version in versions:
        for index, choice in enumerate((version.data or {}).get("choices") or []):
            slug = choice.get("misconception") or ""
            if not slug or choice.get("correct") or index >= KEY_BASE:
                continue
            keys.setdefault(slug, []).append(version.pk * KEY_BASE + index)
            labels.setdefault(slug, choice.get("misconception_label") or slug)
            offered_by.setdefault(slug, set()).add(version.question_id)
    return ChoiceMap(keys, labels, offered_by)


def from_response_field():
    """Return the response's own ``misconception`` (typed-number answers), or None where it has no such field."""
    if not any(f.name == "misconception" for f in Response._meta.get_fields()):
        return None
    return NullIf(F("misconception"), Value(""))


def hit_rows(rows: QuerySet) -> tuple[QuerySet, bool]:
    """Return ``rows`` as (ukey, qkey, ckey, own) and whether ``own`` (a misconception on the response) exists.

    ``ckey`` is version_id * KEY_BASE + the source index of the choice picked (NULL when none was).
    """
    own = from_response_field()
    rows = rows.annotate(ukey=F("user_id"), qkey=F("question_id"), ckey=F("version_id") * KEY_BASE + ChosenSource(),
                         own=own if own is not None else Value(None, output_field=CharField()))
    return rows.values("ukey", "qkey", "ckey", "own"), own is not None


def hit_counts(rows: QuerySet, found: ChoiceMap) -> list[tuple]:
    """Return (misconception, question id or None, students, answers) over the wrong answers ``rows`` (1 query).

    Rows with a question id count the students who hit the misconception on that question; the
    row with None counts the students who hit it on any question (each once).
    """
    inner, has_own = hit_rows(rows)
    mapping = [(key, slug) for slug, keys in sorted(found.keys.items()) for key in keys]
    if has_own:  # the response's own misconception wins; a typed answer has no choice to map
        mapping = mapping or [(-1, "")]
        mis = "COALESCE(sub.own, map.column2)"
    else:
        mis = "map.column2"
    return aggregate_joined(
        inner, mapping=mapping, on="map.column1 = sub.ckey", left=has_own,
        select=f"{mis} AS slug, sub.qkey AS qkey, sub.ukey AS ukey, COUNT(*) AS n", where=f"{mis} IS NOT NULL",
        group_by=f"{mis}, sub.qkey, sub.ukey",
        then=("SELECT slug, qkey, COUNT(*), SUM(n) FROM t GROUP BY slug, qkey "
              "UNION ALL SELECT slug, NULL, COUNT(DISTINCT ukey), SUM(n) FROM t GROUP BY slug"))


def class_misconceptions(scope: Scope) -> list[MisconceptionRow]:
    """Return the misconceptions hit in ``scope``, most students first (4 queries)."""
    final = answers(scope).order_by()
    versions = QuestionVersion.objects.filter(Exists(Response.objects.filter(version=OuterRef("pk"))))
    found = choice_map(versions.only("pk", "question_id", "data"))
    totals: dict[str, tuple[int, int]] = {}
    per_question: dict[tuple[str, int], tuple[int, int]] = {}
    for slug, question_id, students, n in hit_counts(final.filter(is_correct=False), found):
        if question_id is None:
            totals[slug] = (students, int(n))
        else:
            per_question[(slug, question_id)] = (students, int(n))
    if not totals:
        return []
    question_ids = {question_id for _, question_id in per_question}
    questions = {q.pk: q for q in Question.objects.filter(pk__in=question_ids)
                 .select_related("topic").only("pk", "qid", "topic__title")}
    # Every question, not only those hit: an IN list here makes SQLite walk the question index instead.
    answered = dict(final.values("question_id").annotate(n=Count("user_id", distinct=True))
                    .values_list("question_id", "n"))
    rows = {slug: MisconceptionRow(slug, found.labels.get(slug, slug), students, n)
            for slug, (students, n) in totals.items()}
    for (slug, question_id), (hit_students, hit_answers) in per_question.items():
        question = questions[question_id]
        rows[slug].questions.append(QuestionHits(question.pk, question.qid, question.topic.title, hit_students,
                                                 hit_answers, answered.get(question_id, 0)))
    for row in rows.values():
        row.questions.sort(key=lambda hit: (-hit.students, -hit.answers, hit.qid))
    return sorted(rows.values(), key=lambda row: (-row.students, -row.answers, row.label.casefold()))


MISCONCEPTIONS_HEADER = ["misconception", "label", "students who hit it", "wrong answers naming it",
                         "questions revealing it (students who hit it / who answered it)"]


def misconception_csv_rows(rows: list[MisconceptionRow]):
    """Yield one CSV row per misconception (``exports.csv_response`` escapes the cells)."""
    for row in rows:
        yield [row.slug, row.label, row.students, row.answers,
               "; ".join(f"{hit.qid} ({hit.students}/{hit.answered})" for hit in row.questions)]
