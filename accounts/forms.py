"""Forms for sign-up, the display name, the password-reset request and deleting the account."""

from typing import Any

from django import forms
from django.contrib.auth.forms import BaseUserCreationForm, PasswordResetForm

from accounts.mail import enqueue
from accounts.models import User
from accounts.tasks import password_reset_send


class SignupForm(BaseUserCreationForm[User]):
    class Meta:
        model = User
        fields = ("email", "display_name")

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError("An account with this e-mail address already exists. Log in instead.")
        return email


# ---------------------------------------------------------------- the profile page


class DisplayNameForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ("display_name",)
        labels = {"display_name": "Your name"}
        help_texts = {"display_name": "Shown to your mentors. Leave empty to show your e-mail address."}


# ---------------------------------------------------------------- password reset


class QueuedPasswordResetForm(PasswordResetForm):
    """Django's reset form whose mail is a Celery task: the request takes as long whether or not
    the address has an account, and a slow or failing mail server never holds it up."""

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        user = context["user"]
        plain = {key: value for key, value in context.items() if key != "user"}
        enqueue(password_reset_send, user.pk, plain, subject_template_name, email_template_name, to_email)


# ---------------------------------------------------------------- deleting the account


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        label="Your password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text="To be sure it is you: deleting cannot be undone.",
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self) -> str:
        password = str(self.cleaned_data["password"])
        if not self.user.check_password(password):
            raise forms.ValidationError("That is not your password. Your account was not deleted.")
        return password
