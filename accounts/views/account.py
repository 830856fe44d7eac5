"""Views for sign-up, log-in, the profile page, onboarding and settings."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.forms import DisplayNameForm, LearnerProfileForm, SignupForm
from accounts.mail import QueuedPasswordResetForm
from accounts.models import Profile, User
from accounts.selectors import mentors_only
from accounts.services import VerificationError, email_verification_request, email_verify
from accounts.throttling import limit_reached, login_failure_count, login_failures_exhausted, posted_email
from roadmap.models import Track
from roadmap.services import plan_rebuild


def safe_next(request: HttpRequest, default: str) -> str:
    """The `next` parameter when it points back into this site, else `default`."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


TOO_MANY = "Too many attempts from here or for this address. Wait a while (up to an hour) and try again."


def too_many(request: HttpRequest, group: str, per_ip: str, per_address: str) -> bool:
    """Count this POST per client IP and per posted address; True when either is over its rate."""
    over_ip = limit_reached(request, group=f"{group}-ip", rate=per_ip)
    over_address = limit_reached(request, group=f"{group}-address", rate=per_address, key=posted_email)
    return over_ip or over_address


def learner_profile(user: User) -> Profile:
    """The user's profile; a new one stays unsaved until the form is valid (refused input writes nothing)."""
    return Profile.objects.filter(user=user).first() or Profile(user=user)


@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("roadmap:plan")
    form = SignupForm(request.POST or None)
    if request.method == "POST" and too_many(
        request, "signup", settings.RATE_SIGNUP, settings.RATE_SIGNUP_PER_ADDRESS
    ):
        form.is_valid()
        form.add_error(None, TOO_MANY)
        return render(
            request, "accounts/signup.html", {"form": form, "next": safe_next(request, "")}, status=429
        )
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            user = form.save()
            Profile.objects.create(user=user)
            email_verification_request(user=user)
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, "Welcome to Pathwise! A few questions, and your plan is ready.")
        messages.info(request, f"Check your inbox: we sent a link to {user.email} to confirm your address.")
        # A plain redirect: redirect() would take a `next` such as "0" for a view name (NoReverseMatch).
        return HttpResponseRedirect(safe_next(request, reverse("accounts:onboarding")))
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
        user = self.request.user
        if isinstance(user, User) and mentors_only(user=user):
            return reverse("mentoring:dashboard")
        return super().get_default_redirect_url()


@login_required
@require_http_methods(["GET", "POST"])
def profile_page(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    form = DisplayNameForm(request.POST or None, instance=user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Your name is saved.")
        return redirect("accounts:profile")
    profile = Profile.objects.prefetch_related("tracks").filter(user=user).first()
    return render(request, "accounts/profile.html", {"form": form, "profile": profile})


@login_required
@require_http_methods(["GET", "POST"])
def onboarding(request: HttpRequest) -> HttpResponse:
    profile = learner_profile(request.user)  # type: ignore[arg-type]
    if profile.onboarded_at is not None and request.method == "GET":
        return redirect("accounts:settings")
    initial = {"tracks": list(Track.objects.filter(is_core=True))}
    form = LearnerProfileForm(request.POST or None, instance=profile, initial=initial)
    if request.method == "POST" and form.is_valid():
        return save_learner_profile(request, form, "Your plan is ready. Start with “Next up”.")
    context = {"form": form, "onboarding": True}
    return render(request, "accounts/onboarding.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def settings_page(request: HttpRequest) -> HttpResponse:
    profile = learner_profile(request.user)  # type: ignore[arg-type]
    if profile.onboarded_at is None:
        return redirect("accounts:onboarding")
    form = LearnerProfileForm(request.POST or None, instance=profile)
    if request.method == "POST" and form.is_valid():
        return save_learner_profile(
            request, form, "Settings saved. Your plan was rebuilt; your progress is kept."
        )
    context = {"form": form, "onboarding": False}
    return render(request, "accounts/settings.html", context)


def save_learner_profile(request: HttpRequest, form: LearnerProfileForm, success: str) -> HttpResponse:
    """Save the answers and rebuild the plan in one transaction: both happen, or neither."""
    with transaction.atomic():
        profile = form.save(commit=False)
        profile.onboarded_at = profile.onboarded_at or timezone.now()
        profile.save()
        form.save_m2m()
        build = plan_rebuild(learner=profile.user)
    for note in build.notes:
        messages.info(request, note)
    messages.success(request, success)
    target, finish = profile.target_date, build.plan.projected_finish
    if target and finish and finish > target:
        messages.warning(
            request,
            f"At {profile.hours_per_week} hours a week you would finish around {finish:%-d %B %Y}, "
            f"after your target date ({target:%-d %B %Y}).",
        )
    return redirect("roadmap:plan")


# ---------------------------------------------------------------- e-mail address verification


@require_safe
def verify_email(request: HttpRequest, token: str) -> HttpResponse:
    """The signed link of the verification mail; it proves the address without a login."""
    try:
        user = email_verify(token=token)
    except VerificationError as exc:
        return render(request, "accounts/verify_status.html", {"error": str(exc)}, status=400)
    if request.user.is_authenticated and request.user.pk == user.pk:
        request.user.email_verified_at = user.email_verified_at  # type: ignore[union-attr]
    messages.success(request, f"Thank you: {user.email} is verified.")
    return redirect("accounts:verify_status")


@login_required
@require_safe
def verify_status(request: HttpRequest) -> HttpResponse:
    """ "Check your inbox", with a resend button; or "verified" once the link was opened."""
    context = {"max_age_days": settings.EMAIL_VERIFY_MAX_AGE_DAYS}
    return render(request, "accounts/verify_status.html", context)


@login_required
@require_POST
def verify_resend(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
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
