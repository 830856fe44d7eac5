"""Onboarding and the settings page: the learner's goals and pace, from which their plan is built."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from accounts.http import AuthenticatedHttpRequest
from accounts.models import Profile
from catalog.models import Track
from roadmap.forms import GoalsForm
from roadmap.services import goals_save


def learner_profile(request: AuthenticatedHttpRequest) -> Profile:
    """The learner's profile; a new one stays unsaved (refused input writes nothing)."""
    return Profile.objects.filter(user=request.user).first() or Profile(user=request.user)


@login_required
@require_http_methods(["GET", "POST"])
def onboarding(request: AuthenticatedHttpRequest) -> HttpResponse:
    profile = learner_profile(request)
    if profile.onboarded_at is not None and request.method == "GET":
        return redirect("roadmap:settings")
    initial = {"tracks": list(Track.objects.filter(is_core=True))}
    form = GoalsForm(request.POST or None, instance=profile, initial=initial)
    if request.method == "POST" and form.is_valid():
        return save_goals(request, form, "Your plan is ready. Start with “Next up”.")
    return render(request, "roadmap/onboarding.html", {"form": form, "onboarding": True})


@login_required
@require_http_methods(["GET", "POST"])
def settings_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    profile = learner_profile(request)
    if profile.onboarded_at is None:
        return redirect("roadmap:onboarding")
    form = GoalsForm(request.POST or None, instance=profile)
    if request.method == "POST" and form.is_valid():
        return save_goals(request, form, "Settings saved. Your plan was rebuilt; your progress is kept.")
    return render(request, "roadmap/settings.html", {"form": form, "onboarding": False})


def save_goals(request: AuthenticatedHttpRequest, form: GoalsForm, success: str) -> HttpResponse:
    """Save the answers and rebuild the plan (one transaction); tell the learner what came of it."""
    data = form.cleaned_data
    fields = ("background", "tracks", "known_skills", "hours_per_week", "target_date", "time_zone")
    build = goals_save(user=request.user, **{name: data[name] for name in fields})
    for note in build.notes:
        messages.info(request, note)
    messages.success(request, success)
    target, finish = data["target_date"], build.summary.projected_finish
    if target and finish > target:
        messages.warning(
            request,
            f"At {data['hours_per_week']} hours a week you would finish around {finish:%-d %B %Y}, "
            f"after your target date ({target:%-d %B %Y}).",
        )
    return redirect("roadmap:plan")
