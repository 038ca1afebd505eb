"""Item analysis: how each question performs.

For question i over the answers in scope (``scope.answers``):

- responses n; facility F = (number right) / n, the mean score (right 1, wrong 0), with its
  Wilson 95 % interval (``formulas.wilson_interval``).
- discrimination index (Moodle): DI = 100 * cov(x, r) / sqrt(var(x) var(r)), the corrected
  item-rest correlation, where x is the item's score and r the rest of the attempt: the
  attempt's score minus x. It needs an attempt total, so it is computed over the answers of
  finished exam attempts only (practice answers count for facility, not discrimination). Exams
  have different lengths, so r is taken as a fraction of the other questions,
  (score - x) / (total - 1): within one exam that only rescales r, which leaves the correlation
  (Moodle's number) unchanged; across exams it puts every attempt on one scale. It is tied to the
  question, never to the position the student saw it at, and also given per question version
  when more than one version was answered. Its 95 % interval is Fisher's
  (``formulas.fisher_interval``).
- median time: practice and review answers take answered_at - shown_at (one visit); an exam
  answer takes the sum of the student's visits to the question (``services.visits``), so coming
  back to a question never counts the questions seen in between.

Flags ("needs attention") are judged with their uncertainty. A statistic over fewer than
``MIN_RESPONSES_TO_JUDGE`` (5) answers is shown but not judged: its 95 % interval spans more than
half the scale. From 5 to ``MIN_RESPONSES_TO_FLAG`` - 1 (19) answers a flag is *provisional*: it
says n and the interval, and asks for more answers. The rules:

- too easy: F > 0.95.
- below chance (choice questions): the upper end of F's Wilson interval is below the chance level
  1/k of a blind guess among k choices: fewer pick the key than guessing would. Check the key.
- too hard: F below max(0.20, 1/k), i.e. no better than guessing among k choices, or below 0.20
  for a typed-number question (which has no chance level).
- negative discrimination: the upper end of the DI's Fisher interval is below 0 (with fewer than
  20 answers any negative DI is flagged, provisionally): weaker students do better. Check the key.
- low discrimination: DI below 10 (r < 0.1) and not flagged negative: a negative DI whose
  interval reaches 0 (e.g. -4.8 over 200 answers: -18.6 to 9.1) is low, not a wrong key.
- reported: students' reports about the question are open.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Case, Count, F, FloatField, IntegerField, Q, Sum, When
from django.db.models.functions import Cast

from ..models import Question, QuestionReport, QuestionVersion, Response
from . import formulas
from .scope import Scope, answers, exam_answers
from .sql import SCORE, SecondsBetween, as_float

MIN_RESPONSES_TO_FLAG = 20
"""From this many answers a flag is firm; below it (down to ``MIN_RESPONSES_TO_JUDGE``) provisional."""
MIN_RESPONSES_TO_JUDGE = 5
TOO_EASY = 0.95
TOO_HARD = 0.20
LOW_DISCRIMINATION = 10.0
"""On Moodle's scale (100 r): 10 is a correlation of 0.1."""

FLAG_TOO_EASY = "Facility above 0.95: almost everyone gets it right, so it tells you little."
FLAG_TOO_HARD = "Facility below 0.20: few get it right. Check the key and the wording."
FLAG_AT_CHANCE = ("Facility below {chance}, the chance level of a blind guess among {k} choices: no better than "
                  "guessing. Check the key and the wording.")
FLAG_BELOW_CHANCE = ("Below chance: even the top of the facility's 95% interval is under {chance} (a blind guess "
                     "among {k} choices). Students are drawn to a wrong choice. Check the key.")
FLAG_NEGATIVE = "Negative discrimination: students with lower totals do better on it. Check the key."
FLAG_LOW = "Discrimination below 10 (r < 0.1): it hardly separates strong from weak students."
FLAG_REPORTED = "Students reported a problem with it: {n} open report{s}."
PROVISIONAL = "Provisional: only {n} answers (firm from {firm}); 95% interval {low} to {high}."

SEVERITY = {"negative-discrimination": 0, "below-chance": 1, "reported": 2, "too-hard": 3,
            "low-discrimination": 4, "too-easy": 5}


@dataclass(frozen=True)
class Flag:
    code: str
    message: str
    provisional: bool = False
    detail: str = ""


@dataclass(frozen=True)
class VersionDiscrimination:
    """The discrimination index of one version of a question (shown when versions differ)."""

    number: int
    exam_responses: int
    discrimination: float | None


@dataclass
class ItemStats:
    """One question's statistics in a scope; ``None`` where a statistic is undefined.

    ``choice_count`` is k for a choice question (chance level 1/k), None for a typed number.
    """

    question_id: int
    qid: str
    topic: str
    difficulty: int
    is_parameterised: bool
    responses: int = 0
    correct: int = 0
    exam_responses: int = 0
    discrimination: float | None = None
    timed: int = 0
    median_seconds: float | None = None
    choice_count: int | None = None
    open_reports: int = 0
    versions: list[VersionDiscrimination] = field(default_factory=list)
    flags: list[Flag] = field(default_factory=list)

    @property
    def facility(self) -> float | None:
        return formulas.mean(self.correct, self.responses)

    @property
    def facility_interval(self) -> tuple[float, float] | None:
        return formulas.wilson_interval(self.correct, self.responses)

    @property
    def discrimination_interval(self) -> tuple[float, float] | None:
        """The DI's 95% interval on Moodle's scale (100 r)."""
        if self.discrimination is None:
            return None
        found = formulas.fisher_interval(self.discrimination / 100, self.exam_responses)
        return None if found is None else (100 * found[0], 100 * found[1])

    @property
    def chance(self) -> float | None:
        return 1 / self.choice_count if self.choice_count and self.choice_count > 1 else None

    @property
    def needs_attention(self) -> bool:
        return bool(self.flags)

    @property
    def is_provisional(self) -> bool:
        return bool(self.flags) and all(flag.provisional for flag in self.flags)


def choice_count(version: QuestionVersion | None) -> int | None:
    """Return how many choices ``version`` offers; None for a typed-number question (no chance level)."""
    if version is None:
        return None
    data = version.data or {}
    if data.get("kind") == "numeric":
        return None
    return len(data.get("choices") or []) or None


def facility_counts(scope: Scope, question_ids: list[int] | None = None) -> dict[int, tuple[int, int]]:
    """Return {question id: (responses, right)} over the answers in ``scope`` (1 query)."""
    rows = answers(scope)
    if question_ids is not None:
        rows = rows.filter(question_id__in=question_ids)
    rows = (rows.order_by().values("question_id")
            .annotate(n=Count("pk"), right=Count("pk", filter=Q(is_correct=True))))
    return {row["question_id"]: (row["n"], row["right"]) for row in rows}


SUM_NAMES = ("n", "sx", "sy", "sxx", "syy", "sxy")


def discrimination_sums_by_version(scope: Scope, question_ids: list[int] | None = None) -> dict[tuple[int, int], tuple]:
    """Return {(question id, version id): (n, sum x, sum r, sum x^2, sum r^2, sum xr)} over exam answers (1 query)."""
    rows = exam_answers(scope).filter(exam_attempt__total__gt=1)
    if question_ids is not None:
        rows = rows.filter(question_id__in=question_ids)
    rows = (rows.order_by()
            .alias(x=SCORE, rest=Cast(F("exam_attempt__score") - SCORE, FloatField())
                   / Cast(F("exam_attempt__total") - 1, FloatField()))
            .values("question_id", "version_id")
            .annotate(n=Count("pk"), sx=Sum("x"), sy=Sum("rest"), sxx=Sum(F("x") * F("x")),
                      syy=Sum(F("rest") * F("rest")), sxy=Sum(F("x") * F("rest"))))
    return {(row["question_id"], row["version_id"]): tuple(as_float(row[k]) for k in SUM_NAMES) for row in rows}


def pooled(sums: list[tuple]) -> tuple:
    """Return the element-wise total of several ``discrimination_sums`` tuples."""
    return tuple(sum(values) for values in zip(*sums, strict=True))


def discrimination_sums(scope: Scope, question_ids: list[int] | None = None) -> dict[int, tuple]:
    """Return {question id: (n, sum x, sum r, sum x^2, sum r^2, sum xr)} over exam answers (1 query)."""
    per_question: dict[int, list[tuple]] = {}
    for (question_id, _), sums in discrimination_sums_by_version(scope, question_ids).items():
        per_question.setdefault(question_id, []).append(sums)
    return {question_id: pooled(sums) for question_id, sums in per_question.items()}


def discrimination_index(sums: tuple | None) -> float | None:
    """Return Moodle's DI = 100 r(item, rest) from ``discrimination_sums`` of one question."""
    if sums is None:
        return None
    n, sx, sy, sxx, syy, sxy = sums
    r = formulas.correlation(int(n), sx, sy, sxx, syy, sxy)
    return None if r is None else 100 * r


def median_seconds(scope: Scope, question_ids: list[int] | None = None) -> dict[int, tuple[float, int]]:
    """Return {question id: (median seconds, timed answers)} over every timed answer (1 query).

    Practice and review: answered - shown; exams: the sum of the visits (``seconds_spent``). The
    database counts each question's answers per whole second (rounded); the median is then read
    off those counts (``formulas.median_of_counts``), to the second, without sorting every row.
    """
    one_visit = [Response.Mode.PRACTICE, Response.Mode.REVIEW]
    rows = answers(scope).filter(Q(mode__in=one_visit) | Q(seconds_spent__isnull=False), answered_at__isnull=False)
    if question_ids is not None:
        rows = rows.filter(question_id__in=question_ids)
    spent = Case(When(mode__in=one_visit, then=SecondsBetween(F("shown_at"), F("answered_at"))),
                 default=F("seconds_spent"), output_field=FloatField())
    seconds = Cast(spent + 0.5, IntegerField())
    counts: dict[int, list[tuple[int, int]]] = {}
    for row in rows.order_by().annotate(sec=seconds).values("question_id", "sec").annotate(n=Count("pk")):
        counts.setdefault(row["question_id"], []).append((row["sec"], row["n"]))
    return {qid: (formulas.median_of_counts(pairs), sum(n for _, n in pairs)) for qid, pairs in counts.items()}


def open_report_counts(question_ids: list[int] | None = None) -> dict[int, int]:
    """Return {question id: open reports} (1 query)."""
    rows = QuestionReport.objects.filter(resolved_at__isnull=True)
    if question_ids is not None:
        rows = rows.filter(question_id__in=question_ids)
    return {row["question_id"]: row["n"] for row in rows.order_by().values("question_id").annotate(n=Count("pk"))}


def _provisional(n: int, interval: tuple[float, float] | None, *, scale: float, digits: int, firm: int) -> str:
    low, high = interval or (None, None)
    text = (lambda v: "n/a" if v is None else f"{scale * v:.{digits}f}".replace("-", "−"))  # noqa: E731
    return PROVISIONAL.format(n=n, firm=firm, low=text(low), high=text(high))


def facility_flags(item: ItemStats, *, min_responses: int = MIN_RESPONSES_TO_FLAG) -> list[Flag]:
    """Return the facility flags of ``item`` (module docstring), provisional below ``min_responses``."""
    facility, n = item.facility, item.responses
    if facility is None or n < min(MIN_RESPONSES_TO_JUDGE, min_responses):
        return []
    interval = item.facility_interval
    provisional = n < min_responses
    detail = _provisional(n, interval, scale=1, digits=2, firm=min_responses) if provisional else ""
    chance, k = item.chance, item.choice_count
    if facility > TOO_EASY:
        return [Flag("too-easy", FLAG_TOO_EASY, provisional, detail)]
    if chance is not None and interval is not None and interval[1] < chance:
        return [Flag("below-chance", FLAG_BELOW_CHANCE.format(chance=f"{chance:.2f}", k=k), provisional, detail)]
    if chance is not None and facility < chance and chance >= TOO_HARD:
        return [Flag("too-hard", FLAG_AT_CHANCE.format(chance=f"{chance:.2f}", k=k), provisional, detail)]
    if facility < TOO_HARD:
        return [Flag("too-hard", FLAG_TOO_HARD, provisional, detail)]
    return []


def discrimination_flags(item: ItemStats, *, min_responses: int = MIN_RESPONSES_TO_FLAG) -> list[Flag]:
    """Return the discrimination flags of ``item`` (module docstring), provisional below ``min_responses``."""
    di, n = item.discrimination, item.exam_responses
    if di is None or n < min(MIN_RESPONSES_TO_JUDGE, min_responses):
        return []
    interval = item.discrimination_interval
    provisional = n < min_responses
    detail = _provisional(n, interval, scale=1, digits=1, firm=min_responses) if provisional else ""
    if di < 0 and (provisional or (interval is not None and interval[1] < 0)):
        return [Flag("negative-discrimination", FLAG_NEGATIVE, provisional, detail)]
    if di < LOW_DISCRIMINATION:
        return [Flag("low-discrimination", FLAG_LOW, provisional, detail)]
    return []


def flags_for(item: ItemStats, *, min_responses: int = MIN_RESPONSES_TO_FLAG) -> list[Flag]:
    """Return why ``item`` needs attention (empty if it does not, or cannot be judged yet)."""
    flags = facility_flags(item, min_responses=min_responses) + discrimination_flags(item, min_responses=min_responses)
    if item.open_reports:
        plural = "" if item.open_reports == 1 else "s"
        flags.append(Flag("reported", FLAG_REPORTED.format(n=item.open_reports, s=plural)))
    return flags


def version_discriminations(sums: dict[tuple[int, int], tuple], question_id: int) -> list[VersionDiscrimination]:
    """Return the DI of each answered version of one question, newest first (1 query); [] for one version."""
    found = {version_id: value for (qid, version_id), value in sums.items() if qid == question_id}
    if len(found) < 2:
        return []
    numbers = dict(QuestionVersion.objects.filter(pk__in=found).values_list("pk", "number"))
    return sorted((VersionDiscrimination(numbers[pk], int(value[0]), discrimination_index(value))
                   for pk, value in found.items()), key=lambda v: -v.number)


def item_stats(scope: Scope, *, questions=None, min_responses: int = MIN_RESPONSES_TO_FLAG) -> list[ItemStats]:
    """Return the statistics of every question (or of ``questions``), in teaching order (5 queries).

    Listing every question leaves out retired ones nobody answered in scope. For a chosen list of
    questions each also gets its per-version discrimination when versions differ (1 more query).
    """
    listing_all = questions is None
    if listing_all:
        questions = Question.objects.all()
    questions = list(questions.select_related("topic", "current_version")
                     .order_by("topic__order", "difficulty", "qid"))
    ids = None if listing_all else [q.pk for q in questions]
    counts = facility_counts(scope, ids)
    by_version = discrimination_sums_by_version(scope, ids)
    per_question: dict[int, list[tuple]] = {}
    for (question_id, _), value in by_version.items():
        per_question.setdefault(question_id, []).append(value)
    sums = {question_id: pooled(values) for question_id, values in per_question.items()}
    times = median_seconds(scope, ids)
    reports = open_report_counts(ids)
    stats = []
    for question in questions:
        responses, right = counts.get(question.pk, (0, 0))
        if listing_all and question.retired_at is not None and not responses:
            continue
        item = ItemStats(
            question_id=question.pk, qid=question.qid, topic=question.topic.title, difficulty=question.difficulty,
            is_parameterised=question.is_parameterised, responses=responses, correct=right,
            exam_responses=int(sums[question.pk][0]) if question.pk in sums else 0,
            discrimination=discrimination_index(sums.get(question.pk)),
            median_seconds=times.get(question.pk, (None, 0))[0], timed=times.get(question.pk, (None, 0))[1],
            choice_count=choice_count(question.current_version), open_reports=reports.get(question.pk, 0),
        )
        if not listing_all:
            item.versions = version_discriminations(by_version, question.pk)
        item.flags = flags_for(item, min_responses=min_responses)
        stats.append(item)
    return stats


def needs_attention(stats: list[ItemStats]) -> list[ItemStats]:
    """Return the flagged items: firm flags before provisional ones, the most serious first."""
    flagged = [item for item in stats if item.flags]
    return sorted(flagged, key=lambda item: (item.is_provisional, min(SEVERITY[f.code] for f in item.flags), item.qid))
