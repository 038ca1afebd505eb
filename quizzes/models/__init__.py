"""The quizzes app's models, one module per area."""

from .activity import ExamAttempt, PracticeSession, Response, ReviewCard
from .content import Exam, Question, QuestionVersion, Topic

__all__ = [
    "Exam", "ExamAttempt", "PracticeSession", "Question", "QuestionVersion", "Response", "ReviewCard",
    "Topic",
]
