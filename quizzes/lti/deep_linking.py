"""Deep linking: an instructor places exams or practice topics in a course.

Each placed item is an LTI resource link to ``/lti/launch/`` whose custom parameter says what
it opens (``exam=<slug>`` or ``topic=<slug>``); an exam also asks the LMS for a grade column
(``lineItem``: maximum = its number of questions, tag ``exam:<slug>``). The answer is a JWT
signed by pylti1p3 with the tool's key, posted back to the platform's return URL.
"""

from __future__ import annotations

from django import forms
from pylti1p3.deep_link_resource import DeepLinkResource
from pylti1p3.lineitem import LineItem

from ..models import Exam, Topic
from .accounts import is_staff_role

ROLES_CLAIM = "https://purl.imsglobal.org/spec/lti/claim/roles"
SETTINGS_CLAIM = "https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings"
NOTHING_CHOSEN = "Pick at least one exam or topic."
ONE_ONLY = "This LMS accepts one item at a time: pick one."


def may_place(message_launch) -> bool:
    """Return True if the launching user teaches the course (instructor, admin, designer, TA)."""
    return is_staff_role(message_launch.get_launch_data().get(ROLES_CLAIM) or [])


def settings_of(message_launch) -> dict:
    raw = dict(message_launch.get_launch_data().get(SETTINGS_CLAIM) or {})
    raw["accept_multiple"] = str(raw.get("accept_multiple", True)).lower() != "false"
    return raw


def choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """Return the form's grouped choices: exams, then practice topics."""
    exams = [(f"exam:{e.slug}", f"{e.title} ({e.question_count} questions, {e.time_limit_minutes} min)")
             for e in Exam.objects.active().order_by("title")]
    topics = [(f"topic:{t.slug}", f"Practice: {t.title}") for t in Topic.objects.order_by("order", "slug")]
    return [("Exams (graded in the LMS)", exams), ("Practice topics (not graded)", topics)]


class PlacementForm(forms.Form):
    """What to place: one or more exams or topics."""

    items = forms.MultipleChoiceField(widget=forms.CheckboxSelectMultiple, required=True,
                                      error_messages={"required": NOTHING_CHOSEN})

    def __init__(self, *args, multiple: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.multiple = multiple
        self.fields["items"].choices = choices()
        if not multiple:
            self.fields["items"].widget = forms.RadioSelect(choices=self.fields["items"].choices)

    def clean_items(self) -> list[str]:
        items = self.cleaned_data["items"]
        if not self.multiple and len(items) > 1:
            raise forms.ValidationError(ONE_ONLY, code="one_only")
        return items


def resource_for(value: str, *, launch_url: str) -> DeepLinkResource:
    """Return the deep-link content item for ``exam:<slug>`` or ``topic:<slug>``."""
    kind, _, slug = value.partition(":")
    resource = DeepLinkResource().set_url(launch_url).set_custom_params({kind: slug})
    if kind == "exam":
        exam = Exam.objects.get(slug=slug)
        resource.set_title(exam.title)
        resource.set_lineitem(LineItem().set_score_maximum(exam.question_count).set_label(exam.title)
                              .set_resource_id(exam.slug).set_tag(f"exam:{exam.slug}"))
    else:
        topic = Topic.objects.get(slug=slug)
        resource.set_title(f"Practice: {topic.title}")
    return resource


def response_for(message_launch, values: list[str], *, launch_url: str) -> dict:
    """Return the signed deep-linking response: the platform's return URL and the JWT to post."""
    deep_link = message_launch.get_deep_link()
    resources = [resource_for(value, launch_url=launch_url) for value in values]
    return {"return_url": settings_of(message_launch)["deep_link_return_url"],
            "jwt": deep_link.get_response_jwt(resources), "resources": resources}
