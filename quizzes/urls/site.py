"""Site URLs: pages and JSON endpoints."""

from django.urls import include, path

from ..views import author, exams, health, pages, practice, progress, review
from ..views import reports as report_views

urlpatterns = [
    path("", pages.home, name="home"),
    path("favicon.ico", pages.favicon, name="favicon"),
    path("healthz", health.healthz, name="healthz"),
    path("lab/", include("quizzes.urls.lab")),
    path("api/lab/", include("quizzes.urls.lab_api")),
    path("practice/", practice.practice_home, name="practice"),
    path("practice/mistakes/", practice.practice_mistakes, name="practice_mistakes"),
    path("practice/question/", practice.practice_question, name="practice_question"),
    path("practice/answer/", practice.practice_answer, name="practice_answer"),
    path("practice/variant/", practice.practice_variant, name="practice_variant"),
    path("practice/result/", practice.practice_anonymous_result, name="practice_anonymous_result"),
    path("practice/result/<int:response_id>/", practice.practice_result, name="practice_result"),
    path("practice/retry/", practice.practice_retry, name="practice_retry"),
    path("practice/reveal/", practice.practice_reveal, name="practice_reveal"),
    path("practice/q/<slug:qid>/", practice.practice_permalink, name="practice_permalink"),
    path("exams/", exams.exam_list, name="exam_list"),
    path("exams/<slug:slug>/", exams.exam_detail, name="exam_detail"),
    path("exams/<slug:slug>/start/", exams.exam_start, name="exam_start"),
    path("attempts/<int:attempt_id>/q/<int:position>/", exams.attempt_question, name="attempt_question"),
    path("attempts/<int:attempt_id>/q/<int:position>/answer/", exams.attempt_answer, name="attempt_answer"),
    path("attempts/<int:attempt_id>/q/<int:position>/flag/", exams.attempt_flag, name="attempt_flag"),
    path("attempts/<int:attempt_id>/submit/", exams.attempt_submit, name="attempt_submit"),
    path("attempts/<int:attempt_id>/result/", exams.attempt_result, name="attempt_result"),
    path("review/", review.review_question, name="review"),
    path("review/answer/", review.review_answer, name="review_answer"),
    path("review/result/<int:response_id>/", review.review_result, name="review_result"),
    path("progress/", progress.progress_page, name="progress"),
    path("instructor/", include("quizzes.urls.instructor")),
    path("author/preview/", author.preview_index, name="preview_index"),
    path("author/preview/<path:relpath>", author.preview_file, name="preview_file"),
    path("answers/<int:response_id>/report/", report_views.report_problem, name="question_report"),
    path("lti/", include("quizzes.lti.urls")),
]
