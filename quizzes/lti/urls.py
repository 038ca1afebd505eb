"""LTI URLs, under ``/lti/``: the tool's endpoints for the LMS and the course pages."""

from django.urls import path

from . import views

urlpatterns = [
    path("login/", views.login, name="lti_login"),
    path("launch/", views.launch, name="lti_launch"),
    path("jwks/", views.jwks, name="lti_jwks"),
    path("deep-link/", views.deep_link, name="lti_deep_link"),
    path("courses/", views.courses, name="lti_courses"),
    path("courses/<int:course_id>/", views.course, name="lti_course"),
    path("courses/<int:course_id>/sync-roster/", views.course_sync_roster, name="lti_course_sync_roster"),
    path("courses/<int:course_id>/retry-grades/", views.course_retry_grades, name="lti_course_retry_grades"),
]
