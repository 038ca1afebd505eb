"""Problems students report with a question they answered, and how instructors resolved them.

A report stores the version and the seed of what the student saw (and the response), so the
instructor sees exactly that question, even after the file changed.
"""

from django.conf import settings
from django.db import models

from .activity import Response
from .content import Question, QuestionVersion

TEXT_MAX_LENGTH = 2000


class QuestionReport(models.Model):
    """One student's report of a problem with a question they were shown."""

    class Kind(models.TextChoices):
        KEY = "key", "The key looks wrong"
        UNCLEAR = "unclear", "Unclear"
        TYPO = "typo", "Typo"
        OTHER = "other", "Something else"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="question_reports")
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="reports")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="reports")
    version = models.ForeignKey(QuestionVersion, on_delete=models.PROTECT, related_name="reports")
    seed = models.BigIntegerField()
    kind = models.CharField(max_length=10, choices=Kind.choices)
    text = models.TextField(blank=True, max_length=TEXT_MAX_LENGTH)
    created_at = models.DateTimeField()
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+")
    resolution_note = models.TextField(blank=True, max_length=TEXT_MAX_LENGTH)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["question", "resolved_at"]),
            models.Index(fields=["user", "created_at"]),
        ]

    def __str__(self) -> str:
        return f"report on {self.question_id} by {self.user_id} ({self.kind})"

    @property
    def is_open(self) -> bool:
        return self.resolved_at is None
