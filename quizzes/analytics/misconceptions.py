"""Misconceptions across a class: which named mistakes the students make, and where they show.

A wrong answer *hits* a misconception when it names one:

- a wrong choice stands for the misconception its source file names (``misconception:`` under the
  choice; the version's data keeps it), found from the choice picked, ``choice_order[chosen_position]``;
- a response that records its own ``misconception`` (typed-number answers matched to a named
  wrong value) names it directly; that field wins when it is set.

Over the final answers in scope (``scope.answers``: a cohort or every student, first or all
attempts) each misconception gets: the students who hit it at least once (the ranking), the
wrong answers naming it, the students who met a question able to reveal it (one offering it as a
choice, or where it was hit) and, per question, the students and answers that hit it there.

The database does the counting (5 queries in all, whatever the class size): the mapping
(version, source index) -> misconception is a small constant table (a ``VALUES`` list of the keys
version_id * ``KEY_BASE`` + source index) joined to the answers, so each answer is matched once.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import CharField, F, QuerySet, Value
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


@dataclass
class MisconceptionRow:
    slug: str
    label: str
    students: int = 0
    answers: int = 0
    exposed: int = 0
    questions: list[QuestionHits] = field(default_factory=list)

    @property
    def share(self) -> float | None:
        """Students who hit it, of those who met a question that can reveal it."""
        return self.students / self.exposed if self.exposed else None


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


def _hits(rows: QuerySet, found: ChoiceMap, *, per_question: bool) -> list[tuple]:
    """Return (misconception, [question id,] students, answers) over the wrong answers ``rows`` (1 query)."""
    inner, has_own = hit_rows(rows)
    mapping = [(key, slug) for slug, keys in sorted(found.keys.items()) for key in keys]
    if has_own:  # the response's own misconception wins; a typed answer has no choice to map
        mapping = mapping or [(-1, "")]
        mis = "COALESCE(sub.own, map.column2)"
    else:
        mis = "map.column2"
    by = f"{mis}, sub.qkey" if per_question else mis
    return aggregate_joined(inner, mapping=mapping, on="map.column1 = sub.ckey", left=has_own,
                            select=f"{by}, COUNT(DISTINCT sub.ukey), COUNT(*)", where=f"{mis} IS NOT NULL",
                            group_by=by)


def class_misconceptions(scope: Scope) -> list[MisconceptionRow]:
    """Return the misconceptions hit in ``scope``, most students first (5 queries)."""
    final = answers(scope).order_by()
    versions = QuestionVersion.objects.filter(pk__in=final.values("version_id").distinct())
    found = choice_map(versions.only("pk", "question_id", "data"))
    wrong = final.filter(is_correct=False)
    rows = {slug: MisconceptionRow(slug, found.labels.get(slug, slug), students, n)
            for slug, students, n in _hits(wrong, found, per_question=False)}
    if not rows:
        return []
    per_question = _hits(wrong, found, per_question=True)
    questions = {q.pk: q for q in Question.objects.filter(pk__in={qid for _, qid, _, _ in per_question})
                 .select_related("topic").only("pk", "qid", "topic__title")}
    revealing: dict[str, set[int]] = {slug: set(found.offered_by.get(slug, ())) for slug in rows}
    for slug, question_id, students, n in per_question:
        question = questions[question_id]
        rows[slug].questions.append(QuestionHits(question.pk, question.qid, question.topic.title, students, n))
        revealing[slug].add(question.pk)
    met = final.annotate(ukey=F("user_id"), qkey=F("question_id")).values("ukey", "qkey")
    exposure = aggregate_joined(met, mapping=[(qid, slug) for slug, qids in sorted(revealing.items())
                                              for qid in sorted(qids)],
                                on="map.column1 = sub.qkey", select="map.column2, COUNT(DISTINCT sub.ukey)",
                                group_by="map.column2")
    for slug, students in exposure:
        rows[slug].exposed = students
    for row in rows.values():
        row.questions.sort(key=lambda hit: (-hit.students, -hit.answers, hit.qid))
    return sorted(rows.values(), key=lambda row: (-row.students, -row.answers, row.label.casefold()))


MISCONCEPTIONS_HEADER = ["misconception", "label", "students who hit it", "students who met it", "share",
                         "wrong answers naming it", "questions revealing it (students)"]


def misconception_csv_rows(rows: list[MisconceptionRow]):
    """Yield one CSV row per misconception (``exports.csv_response`` escapes the cells)."""
    for row in rows:
        share = None if row.share is None else round(row.share, 4)
        yield [row.slug, row.label, row.students, row.exposed, share, row.answers,
               "; ".join(f"{hit.qid} ({hit.students})" for hit in row.questions)]
