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
(version, source index) -> misconception becomes one ``CASE`` expression with one branch per
misconception, each an ``IN`` list of the keys version_id * ``KEY_BASE`` + source index.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Case, CharField, Count, F, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce, NullIf

from ..models import Question, QuestionVersion, Response
from .scope import Scope, answers
from .sql import ChosenSource

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


def from_chosen_choice(found: ChoiceMap):
    """Return the misconception of the choice picked, as an expression over the ``choice_key`` alias."""
    if not found.keys:
        return Value(None, output_field=CharField())
    return Case(*[When(choice_key__in=keys, then=Value(slug)) for slug, keys in sorted(found.keys.items())],
                default=None, output_field=CharField())


def from_response_field(found: ChoiceMap):
    """Return the response's own ``misconception`` (typed-number answers), or None where it has no such field."""
    if not any(f.name == "misconception" for f in Response._meta.get_fields()):
        return None
    return NullIf(F("misconception"), Value(""))


SOURCES = (from_response_field, from_chosen_choice)
"""Where a wrong answer's misconception is read, first found wins (a new kind of answer: one more entry)."""


def misconception_hits(rows: QuerySet, found: ChoiceMap) -> QuerySet:
    """Return ``rows`` (wrong answers) with the alias ``mis``, the misconception each names (None: none)."""
    expressions = [e for e in (source(found) for source in SOURCES) if e is not None]
    rows = rows.alias(choice_key=F("version_id") * KEY_BASE + ChosenSource())
    mis = expressions[0] if len(expressions) == 1 else Coalesce(*expressions, output_field=CharField())
    return rows.annotate(mis=mis)


def class_misconceptions(scope: Scope) -> list[MisconceptionRow]:
    """Return the misconceptions hit in ``scope``, most students first (5 queries)."""
    final = answers(scope)
    versions = QuestionVersion.objects.filter(pk__in=final.order_by().values("version_id").distinct())
    found = choice_map(versions.only("pk", "question_id", "data"))
    wrong = misconception_hits(final.filter(is_correct=False).order_by(), found).exclude(mis=None)
    rows: dict[str, MisconceptionRow] = {}
    for group in wrong.values("mis").annotate(students=Count("user_id", distinct=True), n=Count("pk")):
        slug = group["mis"]
        rows[slug] = MisconceptionRow(slug, found.labels.get(slug, slug), group["students"], group["n"])
    if not rows:
        return []
    per_question = list(wrong.values("mis", "question_id")
                        .annotate(students=Count("user_id", distinct=True), n=Count("pk")))
    questions = {q.pk: q for q in Question.objects.filter(pk__in={g["question_id"] for g in per_question})
                 .select_related("topic").only("pk", "qid", "topic__title")}
    revealing: dict[str, set[int]] = {slug: set(found.offered_by.get(slug, ())) for slug in rows}
    for group in per_question:
        question = questions[group["question_id"]]
        rows[group["mis"]].questions.append(QuestionHits(question.pk, question.qid, question.topic.title,
                                                         group["students"], group["n"]))
        revealing[group["mis"]].add(question.pk)
    exposure = final.order_by().aggregate(**{
        f"m{n}": Count("user_id", distinct=True, filter=Q(question_id__in=sorted(revealing[slug])))
        for n, slug in enumerate(sorted(rows))})
    for n, slug in enumerate(sorted(rows)):
        rows[slug].exposed = exposure[f"m{n}"]
        rows[slug].questions.sort(key=lambda hit: (-hit.students, -hit.answers, hit.qid))
    return sorted(rows.values(), key=lambda row: (-row.students, -row.answers, row.label.casefold()))


MISCONCEPTIONS_HEADER = ["misconception", "label", "students who hit it", "students who met it", "share",
                         "wrong answers naming it", "questions revealing it (students)"]


def misconception_csv_rows(rows: list[MisconceptionRow]):
    """Yield one CSV row per misconception (``exports.csv_response`` escapes the cells)."""
    for row in rows:
        share = None if row.share is None else round(row.share, 4)
        yield [row.slug, row.label, row.students, row.exposed, share, row.answers,
               "; ".join(f"{hit.qid} ({hit.students})" for hit in row.questions)]
