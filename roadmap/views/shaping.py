"""The learner's own changes to the plan: a choice, an optional step included, a step pinned or
moved, a stage hidden, the plan focused on the target date, the pace that makes it. Each is a POST
that re-plans and comes back to the plan page (PRG), with or without JavaScript."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_http_methods, require_POST

from accounts.http import AuthenticatedHttpRequest, safe_next
from accounts.models import Profile
from accounts.throttling import limit_reached
from catalog.models import ITEM_FIELDS, ChoiceOption, Stage
from roadmap.choices import plan_stages
from roadmap.forms import OwnStepForm
from roadmap.models import OwnStep, PlanItem, Progress
from roadmap.services import (
    PlanBuild,
    PlanError,
    own_step_add,
    own_step_remove,
    own_step_set_status,
    pace_set,
    plan_choose,
    plan_focus,
    stage_hide,
    step_include,
    step_move,
    step_pin,
)
from roadmap.views.plan import plan_url

OWN = "own-steps"  # the plan page's panel of the learner's own steps
LIMITED = "Too many changes to your plan in a short time. Wait a minute, then try again."


def _back(request: AuthenticatedHttpRequest, *, stage: int | None = None, anchor: str = "") -> HttpResponse:
    target = safe_next(request, "")
    return HttpResponseRedirect(target or plan_url(stage=stage, anchor=anchor))


def _apply(
    request: AuthenticatedHttpRequest,
    change: Callable[[], object],
    done: str,
    *,
    stage: int | None = None,
    anchor: str = "",
) -> HttpResponse:
    """Run one change of the plan (rate-limited); its message (or the refusal) and a re-plan's notes
    wait on the plan page."""
    if limit_reached(request, group="plan-change", rate=settings.PLAN_CHANGE_RATE, key="user"):
        return render(request, "roadmap/status_limited.html", {"message": LIMITED}, status=429)
    try:
        build = change()
    except PlanError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, done)
        for note in build.notes if isinstance(build, PlanBuild) else ():
            messages.info(request, note)
    return _back(request, stage=stage, anchor=anchor)


def _item(request: AuthenticatedHttpRequest, kind: str, slug: str) -> PlanItem:
    """The step of the requesting learner's plan, looked up through them."""
    if kind not in ITEM_FIELDS:
        raise Http404("No such kind of step.")
    item = (
        PlanItem.objects.filter(plan__learner=request.user, **{f"{kind}__slug": slug})
        .select_related(*ITEM_FIELDS)
        .first()
    )
    if item is None:
        raise Http404("This step is not in your plan.")
    return item


def _flag(request: AuthenticatedHttpRequest, name: str) -> bool:
    return request.POST.get(name, "1") not in ("0", "false", "")


@login_required
@require_POST
def choose(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Follow one option of a choice group of the learner's tracks."""
    raw = request.POST.get("option", "")
    tracks = request.user.profile.tracks.all() if hasattr(request.user, "profile") else []
    option = (
        get_object_or_404(
            ChoiceOption.objects.select_related("group"), pk=int(raw), group__stage__track__in=tracks
        )
        if raw.isdigit() and len(raw) < 12
        else None
    )
    if option is None:
        messages.error(request, "Choose one of the options.")
        return _back(request)
    done = (
        f"{option.group.title}: your plan now follows {option.title}. Progress on the other options is kept."
    )
    return _apply(request, partial(plan_choose, learner=request.user, option=option), done)


FLAG_CHANGES: dict[str, tuple[Callable[..., PlanBuild], str, str]] = {
    # flag -> (the service taking it as a keyword, what the learner is told when on, when off)
    "included": (step_include, "in your schedule now", "optional again, out of your schedule"),
    "pinned": (step_pin, "pinned into your plan", "no longer pinned"),
}


def _flag_change(request: AuthenticatedHttpRequest, kind: str, slug: str, flag: str) -> HttpResponse:
    """Turn one of a step's flags on or off (POST `<flag>=1|0`) and re-plan."""
    item = _item(request, kind, slug)
    service, on, off = FLAG_CHANGES[flag]
    wanted = _flag(request, flag)
    change = partial(service, learner=request.user, item=item, **{flag: wanted})
    return _apply(request, change, f"{item.item} is {on if wanted else off}.", stage=item.stage_index)


@login_required
@require_POST
def include(request: AuthenticatedHttpRequest, kind: str, slug: str) -> HttpResponse:
    return _flag_change(request, kind, slug, "included")


@login_required
@require_POST
def pin(request: AuthenticatedHttpRequest, kind: str, slug: str) -> HttpResponse:
    return _flag_change(request, kind, slug, "pinned")


@login_required
@require_POST
def move(request: AuthenticatedHttpRequest, kind: str, slug: str) -> HttpResponse:
    item = _item(request, kind, slug)
    earlier = request.POST.get("direction") != "later"
    done = f"{item.item} moved {'earlier' if earlier else 'later'}."
    change = partial(step_move, learner=request.user, item=item, earlier=earlier)
    return _apply(request, change, done, stage=item.stage_index, anchor=f"item-{kind}-{slug}")


@login_required
@require_POST
def hide_stage(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Hide a stage of the learner's tracks, or show it again."""
    if pk >= 2**63:  # no row has such an id, and the database could not even compare it
        raise Http404("No such stage.")
    tracks = Profile.tracks.through.objects.filter(profile__user=request.user).values("track_id")
    stage = get_object_or_404(Stage, pk=pk, track_id__in=tracks)
    hidden = _flag(request, "hidden")
    done = (
        f"“{stage.title}” is hidden: its steps are out of your schedule, nothing is deleted."
        if hidden
        else f"“{stage.title}” is back in your plan."
    )
    return _apply(request, partial(stage_hide, learner=request.user, stage=stage, hidden=hidden), done)


@login_required
@require_POST
def focus(request: AuthenticatedHttpRequest) -> HttpResponse:
    focused = _flag(request, "focused")
    done = (
        "Your plan is focused on what fits by your target date; the rest is listed after it."
        if focused
        else "Your whole plan is scheduled again."
    )
    return _apply(request, partial(plan_focus, learner=request.user, focused=focused), done)


@login_required
@require_POST
def pace(request: AuthenticatedHttpRequest) -> HttpResponse:
    raw = request.POST.get("hours_per_week", "")
    if not (raw.isdigit() and len(raw) < 4):
        messages.error(request, "Hours per week go from 1 to 80.")
        return _back(request)
    hours = int(raw)
    done = f"You plan {hours} hours a week now."
    return _apply(request, partial(pace_set, learner=request.user, hours_per_week=hours), done)


# ---------------------------------------------------------------- the learner's own steps


def _own_step(request: AuthenticatedHttpRequest, pk: int) -> OwnStep:
    if pk >= 2**63:
        raise Http404("No such step.")
    return get_object_or_404(OwnStep, pk=pk, learner=request.user)


@login_required
@require_http_methods(["GET", "POST"])
def own_add(request: AuthenticatedHttpRequest) -> HttpResponse:
    """A step of the learner's own: its form on a page of its own (the plan page links to it rather
    than rendering five fields on every view), kept with its errors when something is wrong."""
    stages = [(row.pk, row.title) for row in plan_stages(learner=request.user)]
    form = OwnStepForm(request.POST or None, stages=stages)
    if request.method == "GET" or not form.is_valid():
        status = 400 if form.errors else 200
        return render(request, "roadmap/own_step_add.html", {"form": form}, status=status)
    data = form.cleaned_data
    stage = Stage.objects.filter(pk=data["stage"]).first() if data["stage"] else None
    change = partial(
        own_step_add,
        learner=request.user,
        title=data["title"],
        url=data["url"] or "",
        hours=data["hours"],
        stage=stage,
        private=not data["shared"],
    )
    return _apply(request, change, f"“{data['title']}” is in your plan.", anchor=OWN)


@login_required
@require_POST
def own_status(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    step = _own_step(request, pk)
    status = request.POST.get("status", "")
    change = partial(own_step_set_status, learner=request.user, step=step, status=status)
    return _apply(
        request,
        change,
        f"“{step.title}”: {dict(Progress.Status.choices).get(status, '').lower()}.",
        anchor=OWN,
    )


@login_required
@require_POST
def own_remove(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    step = _own_step(request, pk)
    return _apply(
        request,
        partial(own_step_remove, learner=request.user, step=step),
        f"“{step.title}” is removed.",
        anchor=OWN,
    )
