"""Onboarding (a short sequence of screens) and the settings page: the learner's goals and pace, from
which their plan is built.

Onboarding keeps no state on the server until the last screen: each screen posts every answer so far
(the earlier ones as hidden fields), is checked, and the next screen is rendered; "Back" goes one
screen back with the answers kept. Nothing is written until "Build my plan" (and a form that posts
every answer at once, as before, is still taken in one go).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_safe

from accounts.http import AuthenticatedHttpRequest
from accounts.models import Profile
from catalog.models import Background, Track
from roadmap.choices import GroupRow, choice_groups
from roadmap.forms import GoalsForm
from roadmap.plan_inputs import plan_preview
from roadmap.services import goals_save


@dataclass(frozen=True)
class Screen:
    name: str
    title: str
    fields: tuple[str, ...]


SCREENS = (
    Screen("background", "Where you start", ("background",)),
    Screen("goal", "Where you are going", ("tracks",)),
    Screen("choices", "Your choices", ("options",)),
    Screen("known", "What you know already", ("known_skills",)),
    Screen("pace", "Your pace", ("hours_per_week", "target_date", "time_zone")),
)
SCREEN_NAMES = [screen.name for screen in SCREENS]
ANSWER_FIELDS = (
    "background",
    "tracks",
    "options",
    "known_skills",
    "hours_per_week",
    "target_date",
    "time_zone",
)


def learner_profile(request: AuthenticatedHttpRequest) -> Profile:
    """The learner's profile; a new one stays unsaved (refused input writes nothing)."""
    return Profile.objects.filter(user=request.user).first() or Profile(user=request.user)


def answers_of(data: QueryDict) -> QueryDict:
    """The posted answers, with a screen's per-group radio buttons ("option-<group>") as `options`."""
    answers = data.copy()
    picked = [str(value) for key, value in data.items() if key.startswith("option-")]
    if picked or data.get("screen") == "choices":
        answers.setlist("options", picked)
    return answers


def initial_answers(profile: Profile) -> QueryDict:
    """A new learner's starting answers: the core track, the profile's defaults."""
    answers = QueryDict(mutable=True)
    answers.setlist(
        "tracks", [str(pk) for pk in Track.objects.filter(is_core=True).values_list("pk", flat=True)]
    )
    answers["background"] = profile.background
    answers["hours_per_week"] = str(profile.hours_per_week)
    answers["time_zone"] = profile.time_zone
    return answers


@login_required
@require_http_methods(["GET", "POST"])
def onboarding(request: AuthenticatedHttpRequest) -> HttpResponse:
    profile = learner_profile(request)
    if profile.onboarded_at is not None and request.method == "GET":
        return redirect("roadmap:settings")
    if request.method == "GET":
        return render_screen(request, profile, SCREENS[0], initial_answers(profile))
    answers = answers_of(request.POST)
    form = GoalsForm(answers, instance=profile)
    screen_name = request.POST.get("screen")
    if screen_name not in SCREEN_NAMES:  # every answer at once
        if form.is_valid():
            return save_goals(request, form, "Your plan is ready. Start with “Next up”.")
        return render(request, "roadmap/onboarding_all.html", {"form": form, "onboarding": True})
    index = SCREEN_NAMES.index(screen_name)
    if request.POST.get("go") == "back":
        return render_screen(request, profile, SCREENS[max(index - 1, 0)], answers, going_back=True)
    valid = form.is_valid()
    if any(name in form.errors for name in SCREENS[index].fields) or (
        "__all__" in form.errors and index == 4
    ):
        return render_screen(request, profile, SCREENS[index], answers, form=form)
    if index == len(SCREENS) - 1:
        if valid:
            return save_goals(request, form, "Your plan is ready. Start with “Next up”.")
        first = next(s for s in SCREENS if any(name in form.errors for name in s.fields))
        return render_screen(request, profile, first, answers, form=form)
    answers.appendlist("seen", screen_name)
    return render_screen(request, profile, SCREENS[index + 1], answers)


def render_screen(
    request: AuthenticatedHttpRequest,
    profile: Profile,
    screen: Screen,
    answers: QueryDict,
    *,
    form: GoalsForm | None = None,
    going_back: bool = False,
) -> HttpResponse:
    """One screen: its own fields (with errors when `form` is the refused one), every other answer
    as hidden fields, and the plan as it would be built from the answers so far."""
    tracks = list(Track.objects.filter(pk__in=[t for t in answers.getlist("tracks") if t.isdigit()][:50]))
    groups = choice_groups(learner=request.user, tracks=tracks) if tracks else []
    if screen.name == "choices" and not groups:  # nothing to choose: on to the next screen (or back)
        step = -1 if going_back else 1
        return render_screen(request, profile, SCREENS[SCREEN_NAMES.index("choices") + step], answers)
    proposed: set[int] = set()
    if screen.name == "known":
        proposed = set(
            Background.objects.filter(slug=answers.get("background", "")).values_list(
                "proposed_skills", flat=True
            )
        ) - {None}
        if "known" not in answers.getlist("seen") and not answers.getlist("known_skills"):
            answers.setlist("known_skills", [str(pk) for pk in sorted(proposed)])
    if form is None:
        form = GoalsForm(
            initial={name: answers.getlist(name) for name in ("tracks", "known_skills")}
            | {
                name: answers.get(name)
                for name in ("background", "hours_per_week", "target_date", "time_zone")
            },
            instance=profile,
        )
    hidden = [
        (name, value)
        for name in (*ANSWER_FIELDS, "seen")
        if name not in screen.fields
        for value in answers.getlist(name)
    ]
    context = {
        "form": form,
        "screen": screen,
        "screens": SCREENS,
        "number": SCREEN_NAMES.index(screen.name) + 1,
        "hidden": hidden,
        "groups": [(group, followed_option(group, answers.getlist("options"))) for group in groups],
        "proposed": proposed,
        "preview": plan_preview(learner=request.user, answers=answers),
        "onboarding": True,
    }
    return render(request, "roadmap/onboarding.html", context)


def followed_option(group: GroupRow, picked: list[str]) -> int | None:
    """The option of `group` ticked on the choices screen: the one picked, else the one followed."""
    ids = {str(option.pk): option.pk for option in group.options}
    mine = next((ids[pk] for pk in picked if pk in ids), None)
    return mine if mine is not None else (group.followed.pk if group.followed else None)


@login_required
@require_safe
def onboarding_preview(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The plan's size and finish for the answers so far (htmx, as the learner answers)."""
    preview = plan_preview(learner=request.user, answers=answers_of(request.GET))
    return render(request, "roadmap/onboarding.html#preview", {"preview": preview})


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
    fields = ("background", "tracks", "known_skills", "hours_per_week", "target_date", "time_zone", "options")
    before = Profile.objects.filter(user=request.user).values_list("background", flat=True).first()
    build = goals_save(user=request.user, **{name: data[name] for name in fields})
    for note in build.notes:
        messages.info(request, note)
    messages.success(request, success)
    if before is not None and before != data["background"]:
        proposal = Background.objects.filter(slug=data["background"]).first()
        missing = (
            proposal.proposed_skills.exclude(pk__in=[s.pk for s in data["known_skills"]]).order_by("name")
            if proposal
            else []
        )
        if proposal is not None and missing:
            names = ", ".join(skill.name for skill in missing)
            messages.info(
                request,
                f"As a {proposal.name.lower()} you may know these already: {names}. "
                "Tick the ones you know under “Skills you already have” in your settings.",
            )
    target, finish = data["target_date"], build.summary.projected_finish
    if target and finish > target:
        messages.warning(
            request,
            f"At {data['hours_per_week']} hours a week you would finish around {finish:%-d %B %Y}, "
            f"after your target date ({target:%-d %B %Y}). Your plan shows two ways to make it.",
        )
    return redirect("roadmap:plan")
