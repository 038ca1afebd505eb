"""The quizzes app's models, one module per area."""

from ..lti.models import LtiCourse, LtiExamLaunch, LtiGradePost, LtiStateEntry  # noqa: F401 (LTI, quizzes/lti/)
from .activity import ExamAttempt, PracticeSession, Response, ReviewCard
from .cohorts import Cohort
from .content import Exam, Question, QuestionVersion, Topic
from .exam_rules import Accommodation, ExamRules, ExamWindow
from .regrading import Regrade
from .reports import QuestionReport

__all__ = [
    "Cohort", "Exam", "ExamAttempt", "PracticeSession", "Question", "QuestionVersion", "Response", "ReviewCard",
    "Topic",
    "Accommodation", "ExamRules", "ExamWindow", "Regrade",
]
__all__ += ["QuestionReport"]
