from django.apps import AppConfig


class QuizzesConfig(AppConfig):
    """Practice questions, exams, the lab and progress tracking."""

    name = "quizzes"
    verbose_name = "Backprop Lab"
