"""Lab page URLs: the index of scenarios, one page per scenario, one array's values."""

from django.urls import path

from ..views import lab, notebooks

urlpatterns = [
    path("", lab.lab_index, name="lab_index"),
    path("<str:name>/", lab.lab_scenario, name="lab_scenario"),
    path("<str:name>/values/<int:step>/<str:array>/", lab.lab_values, name="lab_values"),
    path("<str:name>/notebook.ipynb", notebooks.lab_notebook, name="lab_notebook"),
]
