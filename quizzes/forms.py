"""Forms: input checks live here, in ``clean_<field>``."""

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import UserCreationForm

EMAIL_TAKEN = "An account with this e-mail address already exists."


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
