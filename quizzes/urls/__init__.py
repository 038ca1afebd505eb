"""URL maps of the quizzes app: ``site`` (pages and APIs) and ``accounts``."""
