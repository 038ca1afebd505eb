"""Exam rules that instructors set (not authors): windows, attempts, one-way, accommodations.

The time limit and the pass mark come from ``content/exams/*.md``; these rows are instructor
data kept in the database, so ``sync_content`` (which updates ``Exam`` rows in place) leaves
them alone. They are enforced by ``quizzes.services.exam_rules``.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q


class ExamRules(models.Model):
    """An exam's attempt limit and navigation mode (no row: unlimited attempts, free navigation)."""

    exam = models.OneToOneField("quizzes.Exam", on_delete=models.CASCADE, related_name="rules")
    max_attempts = models.PositiveSmallIntegerField(null=True, blank=True,
                                                    help_text="Empty means unlimited.")
    one_way = models.BooleanField(default=False, help_text="Students cannot go back to an earlier question.")
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "exam rules"
        verbose_name_plural = "exam rules"

    def __str__(self) -> str:
        return f"rules of {self.exam}"


class ExamWindow(models.Model):
    """When an exam may be started: for one cohort, or (no cohort) for everyone else."""

    exam = models.ForeignKey("quizzes.Exam", on_delete=models.CASCADE, related_name="windows")
    cohort = models.ForeignKey("quizzes.Cohort", on_delete=models.CASCADE, null=True, blank=True,
                               related_name="exam_windows", help_text="Empty: students of no cohort with a window.")
    opens_at = models.DateTimeField(null=True, blank=True, help_text="Empty: open now.")
    closes_at = models.DateTimeField(null=True, blank=True,
                                     help_text="Empty: never closes. Attempts end at the latest when it closes.")

    class Meta:
        ordering = ["exam", "cohort__name", "opens_at"]
        constraints = [
            models.UniqueConstraint(fields=["exam", "cohort"], name="one_window_per_exam_and_cohort"),
            models.UniqueConstraint(fields=["exam"], condition=Q(cohort__isnull=True),
                                    name="one_default_window_per_exam"),
            models.CheckConstraint(condition=Q(opens_at__isnull=True) | Q(closes_at__isnull=True)
                                   | Q(closes_at__gt=models.F("opens_at")), name="window_closes_after_it_opens"),
        ]

    def __str__(self) -> str:
        return f"{self.exam} for {self.cohort or 'everyone'}"


class Accommodation(models.Model):
    """Extra time for one student: on one exam, or (no exam) on every exam."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="accommodations")
    exam = models.ForeignKey("quizzes.Exam", on_delete=models.CASCADE, null=True, blank=True,
                             related_name="accommodations", help_text="Empty: every exam.")
    time_multiplier = models.DecimalField(max_digits=3, decimal_places=2, default=1,
                                          help_text="The time limit is multiplied by this (1.00 to 4.00).")
    extra_minutes = models.PositiveSmallIntegerField(default=0, help_text="Added after the multiplier.")
    note = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["user__username", "exam__title"]
        constraints = [
            models.UniqueConstraint(fields=["user", "exam"], name="one_accommodation_per_exam"),
            models.UniqueConstraint(fields=["user"], condition=Q(exam__isnull=True),
                                    name="one_general_accommodation"),
            models.CheckConstraint(condition=Q(time_multiplier__gte=1) & Q(time_multiplier__lte=4),
                                   name="time_multiplier_between_1_and_4"),
        ]

    def __str__(self) -> str:
        return f"extra time for {self.user} on {self.exam or 'every exam'}"
