"""What authors publish: topics, questions (with immutable versions) and practice exams.

These rows are written only by ``quizzes.content.sync``; attempts point at a
``QuestionVersion`` so that a review shows exactly what a student saw.
"""

from django.db import models


class Topic(models.Model):
    """A subject area of the bank, e.g. "Padding, stride and output size"."""

    slug = models.SlugField(max_length=80, unique=True)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["order", "slug"]

    def __str__(self) -> str:
        return self.title


class QuestionQuerySet(models.QuerySet):
    def published(self):
        """The questions students can be shown: not retired, with a version."""
        return self.filter(retired_at__isnull=True, current_version__isnull=False)


class Question(models.Model):
    """A question's stable identity; its content lives in versions.

    ``retired_at`` is set when its file disappears from ``content/``; past attempts keep it.
    """

    qid = models.SlugField("id", max_length=120, unique=True)
    topic = models.ForeignKey(Topic, on_delete=models.PROTECT, related_name="questions")
    difficulty = models.PositiveSmallIntegerField()
    tags = models.JSONField(default=list, blank=True)
    is_parameterised = models.BooleanField(default=False)
    source_path = models.CharField(max_length=500)
    misconceptions = models.JSONField(default=list, blank=True,
                                      help_text="Slugs of the misconceptions its current version can name.")
    current_version = models.ForeignKey(
        "QuestionVersion", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    retired_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = QuestionQuerySet.as_manager()

    class Meta:
        ordering = ["topic__order", "difficulty", "qid"]
        indexes = [models.Index(fields=["topic", "difficulty"])]

    def __str__(self) -> str:
        return self.qid

    @property
    def is_active(self) -> bool:
        return self.retired_at is None


class QuestionVersion(models.Model):
    """One immutable snapshot of a question file, made by each sync that changed it.

    ``data`` is the parsed source (``quizzes.content.schema.QuestionSource.to_data()``): the
    stem, choices and explanation as markdown templates, the scenario and its parameter spec.
    """

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    content_hash = models.CharField(max_length=64)
    data = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["question", "number"]
        constraints = [
            models.UniqueConstraint(fields=["question", "number"], name="unique_version_number")
        ]

    def __str__(self) -> str:
        return f"{self.question_id} v{self.number}"


class ExamQuerySet(models.QuerySet):
    def active(self):
        """The exams students can start: not retired (their file is still in content/)."""
        return self.filter(retired_at__isnull=True)


class Exam(models.Model):
    """A practice exam: which questions to draw, the time limit and the pass mark."""

    slug = models.SlugField(max_length=120, unique=True)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    time_limit_minutes = models.PositiveIntegerField()
    pass_mark = models.PositiveSmallIntegerField(help_text="Percentage needed to pass.")
    sections = models.JSONField(default=list)
    content_hash = models.CharField(max_length=64)
    source_path = models.CharField(max_length=500)
    retired_at = models.DateTimeField(null=True, blank=True)

    objects = ExamQuerySet.as_manager()

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    @property
    def question_count(self) -> int:
        return sum(section["count"] for section in self.sections)
