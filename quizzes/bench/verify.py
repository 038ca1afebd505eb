"""Check the database against what a load test's students were told: nothing acknowledged is lost.

The locustfile records, in order, every autosave it sent, every answer acknowledged with a
2xx and every acknowledged submission. A student's requests are sequential, so the answer
stored for a question must be the last acknowledged one, or one sent after it whose answer
the end of the run cut off. Each attempt is graded once: its score is the number of correct
answers, and each graded answer moved its review card exactly once (``cards_record``), so a
student's cards count as many reviews as the student has graded answers.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from django.db.models import Count, Q, Sum

from quizzes.models import ExamAttempt, Response, ReviewCard


@dataclass
class Report:
    exam_answers: int = 0
    practice_answers: int = 0
    submissions: int = 0
    resent: int = 0
    """Requests sent again after the server closed their idle kept-alive connection unanswered."""
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def read_record(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def verify(entries: list[dict]) -> Report:
    """Return what was checked and every discrepancy between ``entries`` and the database."""
    report = Report()
    possible: dict[tuple[int, int], set[int]] = {}
    last_ack: dict[tuple[int, int], int] = {}
    users: set[str] = set()
    for entry in entries:
        if entry["kind"] == "resent":
            report.resent += 1
            continue
        users.add(entry["user"])
        if entry["kind"] == "exam-sent":
            possible.setdefault((entry["attempt"], entry["position"]), set()).add(entry["choice"])
        elif entry["kind"] == "exam":
            key = (entry["attempt"], entry["position"])
            last_ack[key] = entry["choice"]
            possible[key] = {entry["choice"]}  # what was sent before this acknowledgement is superseded
            report.exam_answers += 1
        elif entry["kind"] == "practice":
            report.practice_answers += 1
            stored = Response.objects.filter(pk=entry["response"]).values_list("chosen_position", flat=True).first()
            if stored != entry["choice"]:
                report.problems.append(f"practice response {entry['response']}: acknowledged {entry['choice']}, "
                                       f"stored {stored}")
        elif entry["kind"] == "submit":
            report.submissions += 1
            if not ExamAttempt.objects.filter(pk=entry["attempt"], finished_at__isnull=False).exists():
                report.problems.append(f"attempt {entry['attempt']}: submission acknowledged, attempt not finished")
    attempts = {attempt for attempt, _ in last_ack}
    stored = {(r.exam_attempt_id, r.position): r.chosen_position
              for r in Response.objects.filter(exam_attempt_id__in=attempts).only("exam_attempt_id", "position",
                                                                                    "chosen_position")}
    for key, acked in last_ack.items():
        value = stored.get(key)
        if value not in possible[key]:
            report.problems.append(f"attempt {key[0]} question {key[1]}: last acknowledged {acked}, stored {value}")
    _check_grading(report, users)
    return report


def _check_grading(report: Report, usernames: set[str]) -> None:
    finished = (ExamAttempt.objects.filter(user__username__in=usernames, finished_at__isnull=False)
                .annotate(right=Count("responses", filter=Q(responses__is_correct=True))))
    for attempt in finished:
        if attempt.score != attempt.right:
            report.problems.append(f"attempt {attempt.pk}: score {attempt.score}, correct answers {attempt.right}")
    graded = dict(Response.objects.filter(user__username__in=usernames)
                  .filter(Q(mode__in=[Response.Mode.PRACTICE, Response.Mode.REVIEW], answered_at__isnull=False)
                          | Q(mode=Response.Mode.EXAM, exam_attempt__finished_at__isnull=False))
                  .values_list("user__username").annotate(n=Count("pk")))
    reviews = dict(ReviewCard.objects.filter(user__username__in=usernames)
                   .values_list("user__username").annotate(n=Sum("reviews")))
    for username in sorted(usernames):
        if graded.get(username, 0) != reviews.get(username, 0):
            report.problems.append(f"{username}: {graded.get(username, 0)} graded answers but "
                                   f"{reviews.get(username, 0)} review-card updates (graded twice?)")
