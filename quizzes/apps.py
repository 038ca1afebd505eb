from django.apps import AppConfig


class QuizzesConfig(AppConfig):
    """Practice questions, exams, the lab and progress tracking."""

    name = "quizzes"
    verbose_name = "Backprop Lab"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_login_failed

        # The scenarios are imported (and registered) now, while only this thread runs: runserver
        # then starts two threads that would import the package and its submodules at once, which
        # on Python 3.11 can deadlock (tests/quizzes/test_app_start.py).
        import cnncore.scenarios  # noqa: F401

        from .throttle import count_failed_login

        user_login_failed.connect(count_failed_login, dispatch_uid="quizzes.throttle.count_failed_login")
