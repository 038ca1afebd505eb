"""The item page's regrade panel, as an inclusion tag: ``{% load regrading %}{% regrade_panel question %}``."""

from django import template

from ..instructor_forms import TOLERANCE_KINDS
from ..selectors.regrading import regrade_panel as panel_versions
from ..selectors.regrading import regrade_summary

register = template.Library()


@register.inclusion_tag("quizzes/instructor/_regrade_panel.html", takes_context=True)
def regrade_panel(context, question):
    """Return the panel's context: each answered version's choices, rules and undo buttons (3 queries)."""
    request = context["request"]
    versions = panel_versions(question)
    for version in versions:
        for regrade in version.regrades:
            regrade.summary = regrade_summary(regrade)
    kept = [(key, request.GET[key]) for key in ("cohort", "attempts", "exam") if request.GET.get(key)]
    return {"question": question, "versions": versions, "kept": kept, "csrf_token": context.get("csrf_token"),
            "tolerance_kinds": TOLERANCE_KINDS}
