"""Forms: input checks live here, in ``clean_<field>``."""

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import UserCreationForm

EMAIL_TAKEN = "An account with this e-mail address already exists."
USERNAME_TAKEN = "A user with that username already exists."


class SignupForm(UserCreationForm):
    """A new student account: username, e-mail (for password resets), password twice."""

    email = forms.EmailField(
        required=True, help_text="Used only to reset your password if you forget it."
    )

    class Meta(UserCreationForm.Meta):
        model = get_user_model()
        fields = ("username", "email")

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip()
        if get_user_model().objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(EMAIL_TAKEN, code="email_taken")
        return email


DIFFICULTY_CHOICES = [("", "Any difficulty"), ("1", "1: recall"), ("2", "2: apply"), ("3", "3: multi-step")]


class PracticeFilterForm(forms.Form):
    """Which questions to practise: topics (none ticked means any) and a difficulty."""

    topics = forms.MultipleChoiceField(required=False, widget=forms.CheckboxSelectMultiple,
                                       help_text="Leave all unticked to practise every topic.")
    difficulty = forms.TypedChoiceField(choices=DIFFICULTY_CHOICES, required=False, coerce=int,
                                        empty_value=None)

    def __init__(self, *args, topics=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topics"].choices = [
            (topic.slug, f"{topic.title} ({topic.question_count})") for topic in topics
        ]


ATTEMPT_CHOICES = [("first", "First attempts"), ("all", "All attempts")]


class InstructorFilterForm(forms.Form):
    """A dashboard's filter (GET): cohort, first or all attempts, one exam; ``fields`` picks which."""

    cohort = forms.ModelChoiceField(queryset=None, required=False, empty_label="All students")
    attempts = forms.ChoiceField(choices=ATTEMPT_CHOICES, required=False)
    exam = forms.ModelChoiceField(queryset=None, required=False, to_field_name="slug",
                                  empty_label="Practice and every exam")

    def __init__(self, *args, fields=("cohort",), **kwargs):
        from .models import Cohort, Exam

        super().__init__(*args, **kwargs)
        self.fields["cohort"].queryset = Cohort.objects.order_by("name")
        self.fields["exam"].queryset = Exam.objects.order_by("title")
        for name in list(self.fields):
            if name not in fields:
                del self.fields[name]


class CohortImportForm(forms.Form):
    """Add students to a cohort (an existing one, or a new one) from an uploaded list of usernames."""

    cohort = forms.ModelChoiceField(queryset=None, required=False, empty_label="(a new cohort)",
                                    label="Add to cohort")
    new_name = forms.CharField(max_length=120, required=False, label="or create a cohort named")
    file = forms.FileField(label="Usernames file",
                           help_text="A CSV with a 'username' column, or one username per line (UTF-8).")

    def __init__(self, *args, **kwargs):
        from .models import Cohort

        super().__init__(*args, **kwargs)
        self.fields["cohort"].queryset = Cohort.objects.order_by("name")

    def clean_file(self) -> list[str]:
        from .services.cohorts import MAX_FILE_BYTES, BadFile, parse_usernames

        upload = self.cleaned_data["file"]
        try:
            return parse_usernames(upload.read(MAX_FILE_BYTES + 1))
        except BadFile as bad:
            raise forms.ValidationError(bad.message, code="bad_file") from None

    def clean_new_name(self) -> str:
        from .models import Cohort
        from .services.cohorts import NAME_TAKEN

        name = self.cleaned_data["new_name"].strip()
        if name and Cohort.objects.filter(name__iexact=name).exists():
            raise forms.ValidationError(NAME_TAKEN, code="name_taken")
        return name

    def clean(self):
        from .services.cohorts import CHOOSE_ONE

        data = super().clean()
        if "new_name" in data and bool(data.get("cohort")) == bool(data.get("new_name")):
            raise forms.ValidationError(CHOOSE_ONE, code="choose_one")
        return data



REPORT_TEXT_NEEDED = "Say what the problem is (you chose “Something else”)."


class QuestionReportForm(forms.Form):
    """A student's report of a problem with a question: a kind and up to 2,000 characters of text."""

    kind = forms.ChoiceField(widget=forms.RadioSelect, label="What is wrong?")
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 5}), required=False, max_length=2000, strip=True,
                           label="Details (optional)", help_text="Up to 2,000 characters.")

    def __init__(self, *args, **kwargs):
        from .models import QuestionReport

        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = QuestionReport.Kind.choices

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("kind") == "other" and not cleaned.get("text"):
            self.add_error("text", forms.ValidationError(REPORT_TEXT_NEEDED, code="text_needed"))
        return cleaned


class ReportResolveForm(forms.Form):
    """An instructor's note when resolving a report."""

    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=2000, strip=True,
                           label="Note (what was done)")
