"""Cohorts: groups of students that instructors follow together (a class, a term, a lab group).

Staff create them in the admin or by importing a CSV of usernames; every instructor dashboard
can be filtered to one cohort. A student may belong to several cohorts.
"""

from django.conf import settings
from django.db import models


class Cohort(models.Model):
    """A named group of students."""

    name = models.CharField(max_length=120, unique=True)
    description = models.TextField(blank=True)
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="cohorts", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
