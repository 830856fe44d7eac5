"""Forms for sign-up and the learner profile."""

from django import forms
from django.contrib.auth.forms import BaseUserCreationForm

from accounts.models import User


class SignupForm(BaseUserCreationForm[User]):
    class Meta:
        model = User
        fields = ("email", "display_name")

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError("An account with this e-mail address already exists. Log in instead.")
        return email
