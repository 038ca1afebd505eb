"""Instructor dashboard URLs, under ``/instructor/`` (staff only)."""

from django.urls import path

from ..views import instructor
from ..views import misconceptions as misconception_views
from ..views import reports as report_views

urlpatterns = [
    path("", instructor.overview_page, name="instructor_overview"),
    path("students/", instructor.students_page, name="instructor_students"),
    path("students/<int:user_id>/", instructor.student_page, name="instructor_student"),
    path("items/", instructor.items_page, name="instructor_items"),
    path("items/<slug:qid>/", instructor.item_page, name="instructor_item"),
    path("exams/", instructor.exams_page, name="instructor_exams"),
    path("exams/<slug:slug>/", instructor.exam_page, name="instructor_exam"),
    path("cohorts/", instructor.cohorts_page, name="instructor_cohorts"),
    path("export/exam-results.csv", instructor.export_exam_results, name="instructor_export_exam_results"),
    path("export/student-progress.csv", instructor.export_progress, name="instructor_export_progress"),
    path("export/item-statistics.csv", instructor.export_items, name="instructor_export_items"),
    path("reports/", report_views.reports_page, name="instructor_reports"),
    path("reports/<int:report_id>/", report_views.report_page, name="instructor_report"),
    path("reports/<int:report_id>/resolve/", report_views.report_resolve, name="instructor_report_resolve"),
    path("reports/<int:report_id>/reopen/", report_views.report_reopen, name="instructor_report_reopen"),
    path("misconceptions/", misconception_views.misconceptions_page, name="instructor_misconceptions"),
    path("export/misconceptions.csv", misconception_views.export_misconceptions,
         name="instructor_export_misconceptions"),
]

# Regrading and exam rules (quizzes.views.regrading, quizzes.views.exam_rules).
from ..views import exam_rules, regrading  # noqa: E402

urlpatterns += [
    path("items/<slug:qid>/regrade/", regrading.regrade_question, name="instructor_regrade"),
    path("regrades/", regrading.regrades_page, name="instructor_regrades"),
    path("regrades/<int:regrade_id>/undo/", regrading.regrade_undo_view, name="instructor_regrade_undo"),
    path("exams/<slug:slug>/rules/", exam_rules.exam_rules_page, name="instructor_exam_rules"),
    path("exams/<slug:slug>/rules/windows/", exam_rules.window_add, name="instructor_exam_window_add"),
    path("exams/<slug:slug>/rules/windows/<int:window_id>/delete/", exam_rules.window_delete,
         name="instructor_exam_window_delete"),
    path("attempts/<int:attempt_id>/extend/", exam_rules.attempt_extend_view, name="instructor_attempt_extend"),
    path("attempts/<int:attempt_id>/end/", exam_rules.attempt_end_view, name="instructor_attempt_end"),
    path("accommodations/", exam_rules.accommodations_page, name="instructor_accommodations"),
    path("accommodations/<int:accommodation_id>/delete/", exam_rules.accommodation_delete,
         name="instructor_accommodation_delete"),
]
