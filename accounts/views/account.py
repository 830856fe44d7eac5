"""Views for sign-up, the profile page, onboarding and settings."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods

from accounts.forms import DisplayNameForm, LearnerProfileForm, SignupForm
from accounts.models import Profile, User
from roadmap.models import Track
from roadmap.reminders import profile_schedule_update, reminder_schedule_label
from roadmap.services import plan_rebuild


def safe_next(request: HttpRequest, default: str) -> str:
    """The `next` parameter when it points back into this site, else `default`."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def learner_profile(user: User) -> Profile:
    """The user's profile; a new one stays unsaved until the form is valid (refused input writes nothing)."""
    return Profile.objects.filter(user=user).first() or Profile(user=user)


@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("roadmap:plan")
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            user = form.save()
            Profile.objects.create(user=user)
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, "Welcome to Pathwise! A few questions, and your plan is ready.")
        # A plain redirect: redirect() would take a `next` such as "0" for a view name (NoReverseMatch).
        return HttpResponseRedirect(safe_next(request, reverse("accounts:onboarding")))
    return render(request, "accounts/signup.html", {"form": form, "next": safe_next(request, "")})


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
    schedule = reminder_schedule_label(profile) if profile else ""
    return render(
        request, "accounts/profile.html", {"form": form, "profile": profile, "reminder_schedule": schedule}
    )


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
    context = {"form": form, "onboarding": True, "reminder_schedule": reminder_schedule_label(profile)}
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
    context = {"form": form, "onboarding": False, "reminder_schedule": reminder_schedule_label(profile)}
    return render(request, "accounts/settings.html", context)


def save_learner_profile(request: HttpRequest, form: LearnerProfileForm, success: str) -> HttpResponse:
    """Save the answers and rebuild the plan in one transaction: both happen, or neither."""
    with transaction.atomic():
        profile = form.save(commit=False)
        profile.onboarded_at = profile.onboarded_at or timezone.now()
        profile.save()
        form.save_m2m()
        profile_schedule_update(profile=profile)  # the reminder slot follows the new hour and zone
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
