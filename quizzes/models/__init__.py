"""The quizzes app's models, one module per area."""

from .activity import ExamAttempt, PracticeSession, Response, ReviewCard
from .cohorts import Cohort
from .content import Exam, Question, QuestionVersion, Topic
from .reports import QuestionReport

__all__ = [
    "Cohort", "Exam", "ExamAttempt", "PracticeSession", "Question", "QuestionVersion", "Response", "ReviewCard",
    "Topic",
]
__all__ += ["QuestionReport"]
