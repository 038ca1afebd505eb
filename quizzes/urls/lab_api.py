"""Lab JSON API URLs: ``/api/lab/`` lists the scenarios, ``/api/lab/<name>`` runs one."""

from django.urls import path, re_path

from ..views import lab

urlpatterns = [
    path("", lab.lab_api_index, name="lab_api_index"),
    re_path(r"^(?P<name>[^/]+)/?$", lab.lab_api_scenario, name="lab_api_scenario"),
]
