"""Grades back to the LMS (Assignment and Grade Services) through an outbox.

- ``post_attempt_grade(attempt)``: called when an attempt is graded (``exam_finish``) and
  after a regrade. For every LTI launch of that exam by that student it writes (or updates)
  one ``LtiGradePost`` row; a score already sent is not sent again; a changed score (a
  regrade) is sent again with a new timestamp. Only the student's *latest* finished attempt at
  an exam is the course grade: its rows are queued and older unsent rows are superseded.
- ``send_due()`` (management command ``send_lti_grades``, run by cron; also tried once right
  after the grading transaction commits): each due row is claimed with a short lease (so two
  senders never post it twice), posted with pylti1p3, then marked sent; a failure records the
  error and the next try, with exponential backoff capped at six hours. Rows never give up.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from lti_tool.models import LtiLineItem
from pylti1p3.assignments_grades import AssignmentsGradesService
from pylti1p3.exception import LtiException
from pylti1p3.grade import Grade
from pylti1p3.lineitem import LineItem
from pylti1p3.service_connector import ServiceConnector
from requests import RequestException

from ..models import ExamAttempt
from .models import LtiExamLaunch, LtiGradePost
from .tool import http_session

log = logging.getLogger(__name__)

Status = LtiGradePost.Status
LEASE = timedelta(minutes=2)
FIRST_RETRY = timedelta(seconds=30)
MAX_RETRY = timedelta(hours=6)
SCORE_SCOPE = "https://purl.imsglobal.org/spec/lti-ags/scope/score"
LINEITEM_SCOPE = "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem"
NO_COLUMN = "The platform gave this link no grade column and does not let the tool create one."


def backoff(tries: int) -> timedelta:
    """Return the wait before try ``tries + 1``: 30 s, 1 min, 2 min ... at most 6 h."""
    return min(FIRST_RETRY * (2 ** max(tries - 1, 0)), MAX_RETRY)


def _latest_finished(attempt: ExamAttempt) -> ExamAttempt | None:
    return (ExamAttempt.objects.filter(user_id=attempt.user_id, exam_id=attempt.exam_id, finished_at__isnull=False)
            .order_by("-finished_at", "-pk").first())


def post_attempt_grade(attempt: int | ExamAttempt, *, send_now: bool = True) -> list[LtiGradePost]:
    """Queue the score of a graded attempt for every LTI launch of its exam; return the rows.

    ``attempt``: its id, or the attempt as its grading just saved it (spares reading it again).
    Idempotent: the same score is queued once and sent once. Call it again after a regrade.
    With ``send_now`` the queued rows are also tried once after the transaction commits.
    """
    if not isinstance(attempt, ExamAttempt):
        attempt = ExamAttempt.objects.filter(pk=attempt).first()
    if attempt is None or attempt.finished_at is None or attempt.score is None:
        return []
    launches = list(LtiExamLaunch.objects.filter(user_id=attempt.user_id, exam_id=attempt.exam_id))
    if not launches:
        return []
    latest = _latest_finished(attempt)
    if latest is not None and latest.pk != attempt.pk:
        return []  # an older attempt: the course grade is the latest one's
    now = timezone.now()
    rows = []
    with transaction.atomic():
        for launch in launches:
            given, maximum = float(attempt.score), float(max(attempt.total, 1))
            row, created = LtiGradePost.objects.select_for_update().get_or_create(
                launch=launch, attempt=attempt,
                defaults={"score_given": given, "score_maximum": maximum, "graded_at": now, "next_try_at": now},
            )
            if not created and (row.score_given, row.score_maximum) != (given, maximum):
                row.score_given, row.score_maximum, row.graded_at = given, maximum, now
                row.status, row.next_try_at, row.tries, row.last_error = Status.PENDING, now, 0, ""
                row.save(update_fields=["score_given", "score_maximum", "graded_at", "status", "next_try_at",
                                        "tries", "last_error"])
            LtiGradePost.objects.filter(launch=launch, status__in=[Status.PENDING, Status.FAILED]).exclude(
                pk=row.pk).update(status=Status.SUPERSEDED, next_try_at=None)
            rows.append(row)
        if send_now:
            ids = [row.pk for row in rows if row.status != Status.SENT]
            transaction.on_commit(lambda: _send_quietly(ids))
    return rows


def _send_quietly(ids: list[int]) -> None:
    """Try the rows once now; a failure only schedules the retry (the student never sees it)."""
    for pk in ids:
        try:
            send_one(pk)
        except Exception:  # noqa: BLE001 - never break the page that graded the attempt
            log.exception("LTI grade post %s failed unexpectedly", pk)


def _claim(pk: int, now) -> bool:
    """Take the lease of a due, unsent row; return False if another sender holds it."""
    return bool(LtiGradePost.objects.filter(
        Q(lease_until__isnull=True) | Q(lease_until__lt=now),
        pk=pk, status__in=[Status.PENDING, Status.FAILED],
    ).update(lease_until=now + LEASE))


def _service(launch: LtiExamLaunch) -> AssignmentsGradesService:
    registration = launch.resource_link.context.deployment.registration.to_registration()
    claim = {"scope": launch.scopes, "lineitems": launch.lineitems_url}
    if launch.lineitem_url:
        claim["lineitem"] = launch.lineitem_url
    return AssignmentsGradesService(ServiceConnector(registration, http_session()), claim)


def _grade_column(launch: LtiExamLaunch, service: AssignmentsGradesService, maximum: float) -> str:
    """Return the URL of the launch's grade column, finding or creating it by tag if needed."""
    if launch.lineitem_url:
        return launch.lineitem_url
    if not launch.lineitems_url or LINEITEM_SCOPE not in launch.scopes:
        raise LtiException(NO_COLUMN)
    wanted = (LineItem().set_tag(f"exam:{launch.exam.slug}").set_label(launch.exam.title)
              .set_score_maximum(maximum).set_resource_id(launch.exam.slug)
              .set_resource_link_id(launch.resource_link.id_on_platform))
    column = service.find_or_create_lineitem(wanted, find_by="tag")
    launch.lineitem_url = column.get_id()
    launch.save(update_fields=["lineitem_url"])
    return launch.lineitem_url


def _remember_column(launch: LtiExamLaunch, url: str, maximum: float) -> None:
    LtiLineItem.objects.update_or_create(url=url, defaults={
        "context": launch.resource_link.context, "maximum_score": maximum, "label": launch.exam.title[:255],
        "tag": f"exam:{launch.exam.slug}", "resource_id": launch.exam.slug, "resource_link": launch.resource_link,
    })


def send_one(pk: int) -> str:
    """Post one outbox row if it is unsent and not leased; return its status afterwards."""
    now = timezone.now()
    if not _claim(pk, now):
        return LtiGradePost.objects.filter(pk=pk).values_list("status", flat=True).first() or ""
    row = LtiGradePost.objects.select_related(
        "launch__exam", "launch__lti_user", "launch__resource_link__context__deployment__registration").get(pk=pk)
    launch = row.launch
    try:
        if SCORE_SCOPE not in launch.scopes:
            raise LtiException("The platform did not grant the score scope for this link.")
        service = _service(launch)
        column = _grade_column(launch, service, row.score_maximum)
        grade = (Grade().set_score_given(row.score_given).set_score_maximum(row.score_maximum)
                 .set_timestamp(row.graded_at.isoformat()).set_activity_progress("Completed")
                 .set_grading_progress("FullyGraded").set_user_id(launch.lti_user.sub))
        service.put_grade(grade, LineItem().set_id(column))
    except (LtiException, RequestException, ValueError, KeyError) as error:
        row.tries += 1
        row.status, row.last_error = Status.FAILED, str(error)[:2000]
        row.next_try_at, row.lease_until = timezone.now() + backoff(row.tries), None
        row.save(update_fields=["tries", "status", "last_error", "next_try_at", "lease_until"])
        log.warning("LTI grade post %s failed (try %s): %s", pk, row.tries, error)
        return row.status
    _remember_column(launch, column, row.score_maximum)
    row.tries += 1
    row.status, row.sent_at, row.last_error, row.next_try_at, row.lease_until = (
        Status.SENT, timezone.now(), "", None, None)
    row.save(update_fields=["tries", "status", "sent_at", "last_error", "next_try_at", "lease_until"])
    return row.status


def due_posts(*, now=None, include_waiting: bool = False):
    """Return the unsent rows whose next try is due (all unsent ones with ``include_waiting``)."""
    rows = LtiGradePost.objects.filter(status__in=[Status.PENDING, Status.FAILED])
    if not include_waiting:
        rows = rows.filter(Q(next_try_at__isnull=True) | Q(next_try_at__lte=now or timezone.now()))
    return rows.order_by("graded_at", "pk")


def send_due(*, include_waiting: bool = False, limit: int = 500) -> dict[str, int]:
    """Send the due rows (oldest first); return how many ended sent and failed."""
    counts = {"sent": 0, "failed": 0, "skipped": 0}
    for pk in list(due_posts(include_waiting=include_waiting).values_list("pk", flat=True)[:limit]):
        status = send_one(pk)
        counts["sent" if status == Status.SENT else "failed" if status == Status.FAILED else "skipped"] += 1
    return counts
