"""Forms of the instructor's regrading and exam-rule pages: input checks in ``clean_<field>``."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model

from .content.schema import ABSOLUTE, RELATIVE
from .models import Accommodation, Cohort, Exam, ExamRules, ExamWindow, QuestionVersion, Regrade

NO_SUCH_USER = "No account has this username."
WINDOW_ORDER = "The exam must close after it opens."
WINDOW_TAKEN = "This exam already has a window for {who}: delete it first."
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class ExamRulesForm(forms.ModelForm):
    class Meta:
        model = ExamRules
        fields = ["max_attempts", "one_way"]
        labels = {"max_attempts": "Maximum attempts", "one_way": "One way"}

    def clean_max_attempts(self):
        value = self.cleaned_data["max_attempts"]
        if value is not None and not 1 <= value <= 100:
            raise forms.ValidationError("Choose from 1 to 100 attempts, or leave it empty.", code="range")
        return value


class ExamWindowForm(forms.ModelForm):
    class Meta:
        model = ExamWindow
        fields = ["cohort", "opens_at", "closes_at"]
        widgets = {"opens_at": DATETIME, "closes_at": DATETIME}
        labels = {"cohort": "For cohort", "opens_at": "Opens", "closes_at": "Closes"}

    def __init__(self, *args, exam: Exam, **kwargs):
        super().__init__(*args, **kwargs)
        self.exam = exam
        self.fields["cohort"].queryset = Cohort.objects.order_by("name")
        self.fields["cohort"].empty_label = "Everyone else (no cohort)"
        self.fields["cohort"].help_text = "Empty: every student not in a cohort that has its own window."

    def clean(self):
        data = super().clean()
        opens, closes = data.get("opens_at"), data.get("closes_at")
        if opens and closes and closes <= opens:
            raise forms.ValidationError(WINDOW_ORDER, code="order")
        if "cohort" in data and ExamWindow.objects.filter(exam=self.exam, cohort=data.get("cohort")).exists():
            who = data["cohort"].name if data.get("cohort") else "everyone else"
            raise forms.ValidationError(WINDOW_TAKEN.format(who=who), code="taken")
        return data


class AccommodationForm(forms.ModelForm):
    username = forms.CharField(max_length=150)

    class Meta:
        model = Accommodation
        fields = ["exam", "time_multiplier", "extra_minutes", "note"]
        labels = {"exam": "Exam"}

    field_order = ["username", "exam", "time_multiplier", "extra_minutes", "note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["exam"].queryset = Exam.objects.active().order_by("title")
        self.fields["exam"].empty_label = "Every exam"

    def clean_username(self):
        try:
            return get_user_model().objects.get(username=self.cleaned_data["username"].strip())
        except get_user_model().DoesNotExist:
            raise forms.ValidationError(NO_SUCH_USER, code="unknown") from None

    def clean_time_multiplier(self):
        value = self.cleaned_data["time_multiplier"]
        if not 1 <= value <= 4:
            raise forms.ValidationError("The multiplier must be from 1.00 to 4.00.", code="range")
        return value

    def clean_extra_minutes(self):
        value = self.cleaned_data["extra_minutes"]
        if value > 600:
            raise forms.ValidationError("At most 600 extra minutes.", code="range")
        return value

    def validate_unique(self):  # the service updates an existing accommodation instead
        pass


class ExtendForm(forms.Form):
    minutes = forms.IntegerField(min_value=1, max_value=600, initial=10)


KIND_CHOICES = [(kind.value, kind.label) for kind in Regrade.Kind]
TOLERANCE_KINDS = [(RELATIVE, "relative (a share of the value)"), (ABSOLUTE, "absolute (± a number)")]


class RegradeForm(forms.Form):
    version = forms.ModelChoiceField(queryset=None, widget=forms.HiddenInput)
    kind = forms.ChoiceField(choices=KIND_CHOICES, widget=forms.HiddenInput)
    choice = forms.IntegerField(required=False, min_value=0)
    tolerance_kind = forms.ChoiceField(choices=TOLERANCE_KINDS, required=False)
    tolerance_amount = forms.FloatField(required=False)
    note = forms.CharField(max_length=2000, required=False)

    def __init__(self, *args, question, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"].queryset = QuestionVersion.objects.filter(question=question)

    def params(self) -> dict:
        data = self.cleaned_data
        if data["kind"] == Regrade.Kind.ACCEPT_CHOICE:
            return {"choice": data.get("choice")}
        if data["kind"] == Regrade.Kind.WIDEN_TOLERANCE:
            return {"tolerance": {"kind": data.get("tolerance_kind"), "amount": data.get("tolerance_amount")}}
        return {}
