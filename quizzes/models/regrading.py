"""Regrades: rules an instructor adds to a question version after the fact.

A ``Regrade`` is a rule, not a change of the answers: "accept this choice too", "full marks
for everyone", "drop it from scoring", "accept typed numbers within a wider tolerance". Every
grading of a response of that version (an answer, an exam being finished, a regrade or an undo)
applies the active rules through ``quizzes.regrade_rules.grade``; the rows of the
version are then rewritten in bulk so that scores, pass/fail, statistics and exports follow.
An undone rule stays in the table (the audit log) with ``undone_at`` set.
"""

from django.conf import settings
from django.db import models


class Regrade(models.Model):
    """One regrading rule of one question version, with who added it and what it changed."""

    class Kind(models.TextChoices):
        ACCEPT_CHOICE = "accept_choice", "Accept another choice as correct too"
        FULL_MARKS = "full_marks", "Give everyone full marks"
        DROP = "drop", "Drop from scoring"
        WIDEN_TOLERANCE = "widen_tolerance", "Widen the tolerance of a typed number"

    version = models.ForeignKey("quizzes.QuestionVersion", on_delete=models.PROTECT, related_name="regrades")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    params = models.JSONField(default=dict, blank=True,
                              help_text='accept_choice: {"choice": source index}; widen_tolerance: '
                                        '{"tolerance": {"kind": "relative"|"absolute", "amount": float}}.')
    note = models.TextField(blank=True, help_text="Why (shown in the audit log, not to students).")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    created_at = models.DateTimeField()
    before = models.JSONField(default=dict, blank=True, help_text="Score counts before the rule was added.")
    after = models.JSONField(default=dict, blank=True, help_text="Score counts after the rule was added.")
    affected_attempts = models.PositiveIntegerField(default=0, help_text="Finished exam attempts rescored.")
    undone_at = models.DateTimeField(null=True, blank=True)
    undone_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                  related_name="+")
    after_undo = models.JSONField(default=dict, blank=True, help_text="Score counts after the undo.")

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["version", "undone_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.version}"

    @property
    def is_active(self) -> bool:
        return self.undone_at is None
