"""LTI 1.3 records of our own, beside django-lti's (registrations, deployments, contexts, users).

- ``LtiCourse``: an LMS context (a course) and the ``Cohort`` its students are put in.
- ``LtiExamLaunch``: a platform user reached an exam through a resource link that carries a
  grade column (the AGS claim); graded attempts at that exam are sent to that column.
- ``LtiGradePost``: the outbox. One row per (launch, attempt); a sender claims it, posts the
  score and marks it sent, or records the error and when to try again. Nothing is lost while
  the platform is down: the row waits.
- ``LtiStateEntry``: the OIDC state, nonces and launch data of pylti1p3, in the database so
  every worker process sees them and a nonce can be used exactly once.
"""

from django.conf import settings
from django.db import models


class LtiCourse(models.Model):
    """An LMS course (django-lti's ``LtiContext``) and the cohort of its students."""

    context = models.OneToOneField("lti_tool.LtiContext", on_delete=models.CASCADE, related_name="course")
    cohort = models.OneToOneField("quizzes.Cohort", on_delete=models.CASCADE, related_name="lti_course")
    roster_synced_at = models.DateTimeField(null=True, blank=True)
    roster_sync_note = models.CharField(max_length=500, blank=True)

    class Meta:
        verbose_name = "LTI course"

    def __str__(self) -> str:
        return str(self.context)


class LtiExamLaunch(models.Model):
    """A platform user's launch of an exam placed in a course with a grade column."""

    lti_user = models.ForeignKey("lti_tool.LtiUser", on_delete=models.CASCADE, related_name="exam_launches")
    resource_link = models.ForeignKey("lti_tool.LtiResourceLink", on_delete=models.CASCADE,
                                      related_name="exam_launches")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="lti_exam_launches")
    exam = models.ForeignKey("quizzes.Exam", on_delete=models.CASCADE, related_name="lti_launches")
    scopes = models.JSONField(default=list, help_text="The AGS scopes the platform granted.")
    lineitem_url = models.URLField(max_length=1000, blank=True, help_text="The grade column of this link.")
    lineitems_url = models.URLField(max_length=1000, blank=True, help_text="The course's grade columns.")
    last_launched_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["lti_user", "resource_link"], name="one_exam_launch_per_link")]
        indexes = [models.Index(fields=["user", "exam"])]

    def __str__(self) -> str:
        return f"{self.lti_user} -> {self.exam_id} via {self.resource_link}"


class LtiGradePost(models.Model):
    """One score to send to a platform's grade column (the outbox)."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        FAILED = "failed", "Failed (will retry)"
        SENT = "sent", "Sent"
        SUPERSEDED = "superseded", "Superseded by a later attempt"

    launch = models.ForeignKey(LtiExamLaunch, on_delete=models.CASCADE, related_name="grade_posts")
    attempt = models.ForeignKey("quizzes.ExamAttempt", on_delete=models.CASCADE, related_name="lti_grade_posts")
    score_given = models.FloatField()
    score_maximum = models.FloatField()
    graded_at = models.DateTimeField(help_text="The score's timestamp for the platform (changes on a regrade).")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PENDING)
    tries = models.PositiveIntegerField(default=0)
    next_try_at = models.DateTimeField(null=True, blank=True)
    lease_until = models.DateTimeField(null=True, blank=True, help_text="A sender is posting it until then.")
    last_error = models.TextField(blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["graded_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["launch", "attempt"], name="one_grade_post_per_attempt")]
        indexes = [models.Index(fields=["status", "next_try_at"])]

    def __str__(self) -> str:
        return f"{self.score_given}/{self.score_maximum} for attempt {self.attempt_id} ({self.status})"


class LtiStateEntry(models.Model):
    """A key of pylti1p3's launch data storage (state, nonce, launch data) with its expiry."""

    key = models.CharField(max_length=255, unique=True)
    value = models.JSONField(null=True)
    expires_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return self.key
