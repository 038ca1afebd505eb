"""What students do: practice sessions, exam attempts, the responses in both, review cards.

A ``Response`` is one question shown to one student: the version, the seed and the exact
choices shown (display order and text) are stored when it is shown, so a review months later
renders what the student saw even after the question file changed. It is answered at most once:
the first answer (a chosen position, or a typed number) is what statistics read; in practice the
later tries on the same variant are kept in ``tries`` and never change it.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from .content import Exam, Question, QuestionVersion, Topic


class PracticeSession(models.Model):
    """A run of practice questions with a filter and a running score."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="practice_sessions")
    topics = models.ManyToManyField(Topic, blank=True, help_text="Empty means any topic.")
    difficulty = models.PositiveSmallIntegerField(null=True, blank=True, help_text="Empty means any.")
    focus_question_ids = models.JSONField(
        default=list, blank=True,
        help_text="Only these questions (e.g. the student's recent mistakes); empty means the filter decides. "
                  "Answers here do not reschedule spaced review.")
    started_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"practice by {self.user_id} at {self.started_at:%Y-%m-%d %H:%M}"


class ExamAttempt(models.Model):
    """One student's sitting of an exam; its questions are drawn once, at the start."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="exam_attempts")
    exam = models.ForeignKey(Exam, on_delete=models.PROTECT, related_name="attempts")
    started_at = models.DateTimeField()
    deadline = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    timed_out = models.BooleanField(default=False)
    score = models.PositiveIntegerField(null=True, blank=True, help_text="Correct answers.")
    total = models.PositiveIntegerField(default=0)
    passed = models.BooleanField(null=True, blank=True)
    one_way = models.BooleanField(default=False, help_text="No going back (the exam's rule when it started).")
    furthest_position = models.PositiveSmallIntegerField(default=0, help_text="The furthest question opened.")
    extended_minutes = models.PositiveIntegerField(default=0, help_text="Minutes an instructor added.")
    ended_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="+", help_text="The instructor who ended it early.")

    class Meta:
        ordering = ["-started_at"]
        constraints = [
            models.UniqueConstraint(fields=["user", "exam"], condition=Q(finished_at__isnull=True),
                                    name="one_open_attempt_per_exam"),
        ]
        indexes = [models.Index(fields=["exam", "finished_at"])]

    def __str__(self) -> str:
        return f"{self.exam_id} attempt by {self.user_id}"

    @property
    def is_open(self) -> bool:
        return self.finished_at is None

    @property
    def percent(self) -> int | None:
        if self.score is None or not self.total:
            return None
        return round(100 * self.score / self.total)


class Response(models.Model):
    """One question shown to a student (practice, exam or spaced review) and their answer."""

    class Mode(models.TextChoices):
        PRACTICE = "practice", "Practice"
        EXAM = "exam", "Exam"
        REVIEW = "review", "Spaced review"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="responses")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="responses")
    version = models.ForeignKey(QuestionVersion, on_delete=models.PROTECT, related_name="responses")
    mode = models.CharField(max_length=10, choices=Mode.choices)
    seed = models.BigIntegerField()
    params = models.JSONField(default=dict, blank=True, help_text="The variant's scenario parameters.")
    choice_order = models.JSONField(help_text="Source indices of the choices, in display order.")
    choice_texts = models.JSONField(help_text="The choice texts as displayed, in display order.")
    correct_position = models.PositiveSmallIntegerField()
    chosen_position = models.PositiveSmallIntegerField(null=True, blank=True)
    is_correct = models.BooleanField(null=True, blank=True)
    is_first_attempt = models.BooleanField(default=False, help_text="The student's first answer to this question.")
    shown_at = models.DateTimeField()
    answered_at = models.DateTimeField(null=True, blank=True)
    viewed_at = models.DateTimeField(null=True, blank=True,
                                     help_text="Exams: when the student first opened this question.")
    seconds_spent = models.FloatField(null=True, blank=True,
                                      help_text="Exams: seconds over the student's finished visits to this question.")
    visit_started_at = models.DateTimeField(null=True, blank=True,
                                            help_text="Exams: when the visit under way to this question started.")
    practice_session = models.ForeignKey(PracticeSession, on_delete=models.CASCADE, null=True, blank=True,
                                         related_name="responses")
    exam_attempt = models.ForeignKey(ExamAttempt, on_delete=models.CASCADE, null=True, blank=True,
                                     related_name="responses")
    position = models.PositiveSmallIntegerField(default=0, help_text="1-based place in an exam.")
    flagged = models.BooleanField(default=False)
    answer_text = models.CharField(max_length=40, blank=True,
                                   help_text="Numeric questions: the (first) answer as typed.")
    answer_value = models.FloatField(null=True, blank=True, help_text="Numeric questions: the typed number.")
    misconception = models.CharField(max_length=120, blank=True,
                                     help_text="The named mistake the (first) answer looks like, choice or number.")
    tries = models.JSONField(default=list, blank=True,
                             help_text="Practice: the later tries on the same variant (they do not count).")
    revealed_at = models.DateTimeField(null=True, blank=True,
                                       help_text="Practice and review: when the answer was shown.")
    scored = models.BooleanField(default=True, help_text="False when a regrade dropped it from scoring.")

    class Meta:
        ordering = ["shown_at", "position"]
        constraints = [
            models.UniqueConstraint(fields=["exam_attempt", "position"], condition=Q(exam_attempt__isnull=False),
                                    name="one_response_per_exam_position"),
        ]
        indexes = [
            models.Index(fields=["user", "answered_at"]),
            models.Index(fields=["question", "is_first_attempt"]),
            models.Index(fields=["user", "misconception"]),
            # a student's answers to given questions: variants seen, first attempts (grows with a term's use)
            models.Index(fields=["user", "question"]),
        ]

    def __str__(self) -> str:
        return f"{self.mode} response to {self.question_id} by {self.user_id}"

    @property
    def seconds_taken(self) -> float | None:
        """Seconds from showing (in an exam: first opening) to the answer; None if unanswered."""
        if self.answered_at is None:
            return None
        return (self.answered_at - (self.viewed_at or self.shown_at)).total_seconds()


class ReviewCard(models.Model):
    """A question's spaced-review schedule for one student (FSRS state)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="review_cards")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="review_cards")
    due = models.DateTimeField(db_index=True)
    state = models.JSONField(help_text="fsrs.Card.to_dict()")
    reviews = models.PositiveIntegerField(default=0)
    last_rating = models.CharField(max_length=10, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "question"], name="one_card_per_question")]

    def __str__(self) -> str:
        return f"review of {self.question_id} for {self.user_id}, due {self.due:%Y-%m-%d %H:%M}"
