"""``{% lab_notebook_url scenario trace as url %}``: the notebook of the run a lab page shows."""

from django import template
from django.urls import reverse

from ..lab.query import canonical_query
from ..notebooks.recipes import recipes

register = template.Library()


@register.simple_tag
def lab_notebook_url(scenario, trace) -> str:
    """Return ``/lab/<scenario>/notebook.ipynb?<query of the run>`` ("" without a run or a recipe)."""
    if trace is None or scenario.name not in recipes():
        return ""
    return reverse("lab_notebook", args=[scenario.name]) + "?" + canonical_query(trace.params, trace.seed)
