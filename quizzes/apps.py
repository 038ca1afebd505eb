from django.apps import AppConfig


class QuizzesConfig(AppConfig):
    """Practice questions, exams, the lab and progress tracking."""

    name = "quizzes"
    verbose_name = "Backprop Lab"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_login_failed

        from .throttle import count_failed_login

        user_login_failed.connect(count_failed_login, dispatch_uid="quizzes.throttle.count_failed_login")
