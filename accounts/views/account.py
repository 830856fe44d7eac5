"""Views for sign-up, log-in, the profile page, address verification and password resets."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.forms import DisplayNameForm, QueuedPasswordResetForm, SignupForm
from accounts.http import AuthenticatedHttpRequest, safe_next
from accounts.models import Profile, User
from accounts.services import (
    VerificationError,
    email_verification_request,
    email_verify,
    user_rename,
    user_signup,
)
from accounts.signals import login_landing
from accounts.throttling import limit_reached, login_failure_count, login_failures_exhausted, posted_email

TOO_MANY = "Too many attempts from here or for this address. Wait a while (up to an hour) and try again."


def too_many(request: HttpRequest, group: str, per_ip: str, per_address: str) -> bool:
    """Count this POST per client IP and per posted address; True when either is over its rate."""
    over_ip = limit_reached(request, group=f"{group}-ip", rate=per_ip)
    over_address = limit_reached(request, group=f"{group}-address", rate=per_address, key=posted_email)
    return over_ip or over_address


@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("roadmap:plan")
    # A mentor invitation's sign-up link names the invited address: the form starts with it.
    form = SignupForm(request.POST or None, initial={"email": request.GET.get("email", "")[:254]})
    if request.method == "POST" and too_many(
        request, "signup", settings.RATE_SIGNUP, settings.RATE_SIGNUP_PER_ADDRESS
    ):
        form.is_valid()
        form.add_error(None, TOO_MANY)
        return render(
            request, "accounts/signup.html", {"form": form, "next": safe_next(request, "")}, status=429
        )
    if request.method == "POST" and form.is_valid():
        user = user_signup(
            email=form.cleaned_data["email"],
            display_name=form.cleaned_data["display_name"],
            password=form.cleaned_data["password1"],
        )
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, "Welcome to Pathwise! A few questions, and your plan is ready.")
        messages.info(request, f"Check your inbox: we sent a link to {user.email} to confirm your address.")
        # A plain redirect: redirect() would take a `next` such as "0" for a view name (NoReverseMatch).
        return HttpResponseRedirect(safe_next(request, reverse("roadmap:onboarding")))
    return render(request, "accounts/signup.html", {"form": form, "next": safe_next(request, "")})


class LoginView(auth_views.LoginView):
    """Django's log-in, paused for an address that failed too often across accounts (axes pauses
    one account from one address), and landing a mentor without a plan on their dashboard."""

    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def post(self, request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        if login_failures_exhausted(request):
            return render(request, "accounts/lockout.html", {"per_address": True}, status=429)
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form: AuthenticationForm) -> HttpResponse:
        login_failure_count(self.request)
        return super().form_invalid(form)

    def get_default_redirect_url(self) -> str:
        for _receiver, landing in login_landing.send(sender=type(self), user=self.request.user):
            if landing:
                return str(landing)
        return super().get_default_redirect_url()


@login_required
@require_http_methods(["GET", "POST"])
def profile_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    form = DisplayNameForm(request.POST or None, instance=user)
    if request.method == "POST" and form.is_valid():
        user_rename(user=user, display_name=form.cleaned_data["display_name"])
        messages.success(request, "Your name is saved.")
        return redirect("accounts:profile")
    profile = Profile.objects.prefetch_related("tracks").filter(user=user).first()
    return render(request, "accounts/profile.html", {"form": form, "profile": profile})


# ---------------------------------------------------------------- e-mail address verification


@require_safe
def verify_email(request: HttpRequest, token: str) -> HttpResponse:
    """The signed link of the verification mail; it proves the address without a login."""
    try:
        user = email_verify(token=token)
    except VerificationError as exc:
        return render(request, "accounts/verify_status.html", {"error": str(exc)}, status=400)
    if isinstance(request.user, User) and request.user.pk == user.pk:
        request.user.email_verified_at = user.email_verified_at
    messages.success(request, f"Thank you: {user.email} is verified.")
    return redirect("accounts:verify_status")


@login_required
@require_safe
def verify_status(request: AuthenticatedHttpRequest) -> HttpResponse:
    """ "Check your inbox", with a resend button; or "verified" once the link was opened."""
    context = {"max_age_days": settings.EMAIL_VERIFY_MAX_AGE_DAYS}
    return render(request, "accounts/verify_status.html", context)


@login_required
@require_POST
def verify_resend(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    if user.email_verified:
        messages.info(request, "Your address is already verified.")
    elif limit_reached(request, group="verify-resend", rate=settings.RATE_VERIFY_RESEND, key="user"):
        messages.error(request, "We sent several links already. Wait an hour, and check your spam folder.")
    else:
        email_verification_request(user=user)
        messages.success(request, f"A new link is on its way to {user.email}. Check your inbox.")
    return HttpResponseRedirect(safe_next(request, reverse("accounts:verify_status")))


class PasswordResetView(auth_views.PasswordResetView):
    """Django's reset view: the mail goes through a Celery task and requests are rate-limited."""

    form_class = QueuedPasswordResetForm
    template_name = "accounts/password_reset_form.html"
    email_template_name = "accounts/password_reset_email.txt"
    subject_template_name = "accounts/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        limits = (settings.RATE_PASSWORD_RESET, settings.RATE_PASSWORD_RESET_PER_ADDRESS)
        if too_many(request, "password-reset", *limits):
            form = self.get_form()
            form.add_error(None, TOO_MANY)
            return self.render_to_response(self.get_context_data(form=form), status=429)
        return super().post(request, *args, **kwargs)
