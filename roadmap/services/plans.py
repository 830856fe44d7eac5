"""Writes that shape a learner's plan: goals and pace, choices, the learner's own changes, and the
rebuild that turns them (with the catalog) into plan items. Progress is never touched here."""

from __future__ import annotations

import contextlib
import datetime as dt
import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from redis.exceptions import RedisError

from accounts.models import Profile, User, time_zone_names, today_in
from catalog.models import (
    ITEM_FIELDS,
    Certification,
    ChoiceOption,
    Course,
    ProjectIdea,
    Skill,
    SkillPrerequisite,
    Stage,
    Step,
    Track,
)
from catalog.versioning import catalog_version
from roadmap.models import HiddenStage, Plan, PlanChoice, PlanItem, Progress, StepPreference
from roadmap.planning import (
    TIER_RANK,
    Choice,
    ItemKey,
    Lane,
    Node,
    PlannedItem,
    Wishes,
    plan_order,
    resolve_certification,
)
from roadmap.selectors import Pace, PlanSummary, plan_overview

Status = Progress.Status
CLOSED = (Status.DONE, Status.SKIPPED)


class PlanError(ValueError):
    """A change to the plan that cannot be made; the message says why, for the learner."""


# ---------------------------------------------------------------- goals and pace


@transaction.atomic
def goals_save(
    *,
    user: User,
    background: str,
    tracks: Iterable[Track],
    known_skills: Iterable[Skill],
    hours_per_week: int,
    target_date: dt.date | None,
    time_zone: str,
    options: Iterable[ChoiceOption] | None = None,
) -> PlanBuild:
    """Save the learner's goals and pace (onboarding, settings) and rebuild their plan from them:
    all of it happens, or none. Raises ValueError for answers the goals form refuses."""
    if background not in Profile.Background.values:
        raise ValueError(f"Unknown background {background!r}.")
    if not 1 <= hours_per_week <= 80:
        raise ValueError("Hours per week go from 1 to 80.")
    if time_zone not in time_zone_names():
        raise ValueError(f"Unknown time zone {time_zone!r}.")
    if target_date is not None and target_date < today_in(time_zone):
        raise ValueError("The target date is in the past.")
    tracks = list(tracks)
    if not tracks:
        raise ValueError("Choose at least one track.")
    # The lock serialises a double submit: both saves apply, one after the other.
    profile, _ = Profile.objects.select_for_update().get_or_create(user=user)
    profile.background = background
    profile.hours_per_week = hours_per_week
    profile.target_date = target_date
    profile.time_zone = time_zone
    profile.onboarded_at = profile.onboarded_at or timezone.now()
    profile.save(update_fields=["background", "hours_per_week", "target_date", "time_zone", "onboarded_at"])
    profile.tracks.set(tracks)
    profile.known_skills.set(known_skills)
    for option in options or ():
        _choice_save(learner=user, option=option)
    # The reminder slot follows the time zone through reminders' post_save receiver of Profile.
    return plan_rebuild(learner=user)


# ---------------------------------------------------------------- the learner's changes to the plan


def _choice_save(*, learner: User, option: ChoiceOption) -> None:
    PlanChoice.objects.update_or_create(
        learner=learner, group_id=option.group_id, defaults={"option": option, "chosen_at": timezone.now()}
    )


@transaction.atomic
def plan_choose(*, learner: User, option: ChoiceOption) -> PlanBuild:
    """Follow `option` in its choice group: its steps join the schedule, the other options' leave it
    (their progress stays)."""
    _choice_save(learner=learner, option=option)
    return plan_rebuild(learner=learner)


def _preference(learner: User, item: PlanItem) -> StepPreference:
    kind, item_id = item.item_key
    lookup: dict[str, Any] = {"learner": learner, f"{kind}_id": item_id}
    preference, _ = StepPreference.objects.get_or_create(**lookup)
    return preference


@transaction.atomic
def step_include(*, learner: User, item: PlanItem, included: bool) -> PlanBuild:
    """Schedule an optional step (its hours join the projected finish), or take it out again."""
    if included and not item.optional:
        raise PlanError("This step is in your plan already.")
    preference = _preference(learner, item)
    preference.included = included
    preference.save(update_fields=["included"])
    return plan_rebuild(learner=learner)


@transaction.atomic
def step_pin(*, learner: User, item: PlanItem, pinned: bool) -> PlanBuild:
    """Keep a step in the focused plan before anything the ranking would choose."""
    preference = _preference(learner, item)
    preference.pinned = pinned
    preference.save(update_fields=["pinned"])
    return plan_rebuild(learner=learner)


@transaction.atomic
def step_move(*, learner: User, item: PlanItem, earlier: bool) -> PlanBuild:
    """Move a step one place earlier or later within its stage, as far as prerequisites allow: it
    swaps with its neighbour unless one needs the other."""
    neighbours = PlanItem.objects.filter(
        plan_id=item.plan_id, stage_index=item.stage_index, lane=item.lane
    ).order_by("position" if not earlier else "-position")
    neighbour = neighbours.filter(
        **({"position__lt": item.position} if earlier else {"position__gt": item.position})
    ).first()
    if neighbour is None:
        raise PlanError(f"This step is already the {'first' if earlier else 'last'} of its stage.")
    first, second = (neighbour, item) if earlier else (item, neighbour)
    if first.position in (second.needs or []):
        raise PlanError(f"{second.item} needs {first.item} first, so it cannot move before it.")
    # Orders of the stage as the plan has them, the two swapped: a later rebuild keeps them.
    stage_items = list(
        PlanItem.objects.filter(plan_id=item.plan_id, stage_index=item.stage_index).order_by("position")
    )
    for index, other in enumerate(stage_items):
        place = float(index)
        if other.pk == first.pk:
            place = float(stage_items.index(second))
        elif other.pk == second.pk:
            place = float(stage_items.index(first))
        preference = _preference(learner, other)
        if preference.order != place:
            preference.order = place
            preference.save(update_fields=["order"])
    return plan_rebuild(learner=learner)


@transaction.atomic
def stage_hide(*, learner: User, stage: Stage, hidden: bool) -> PlanBuild:
    """Hide a stage of a chosen track (its steps leave the schedule, nothing is deleted), or show it."""
    if hidden:
        HiddenStage.objects.get_or_create(learner=learner, stage=stage)
    else:
        HiddenStage.objects.filter(learner=learner, stage=stage).delete()
    return plan_rebuild(learner=learner)


def _require_plan(learner: User) -> Profile:
    """The learner's profile; a PlanError for someone who has not set up a plan."""
    profile = Profile.objects.filter(user=learner, onboarded_at__isnull=False).first()
    if profile is None or not Plan.objects.filter(learner=learner).exists():
        raise PlanError("Set up your plan first: answer a few questions and it is built for you.")
    return profile


@transaction.atomic
def plan_focus(*, learner: User, focused: bool) -> PlanBuild:
    """Cut the plan to what fits by the target date (the rest listed after it), or undo that."""
    profile = _require_plan(learner)
    if focused and profile.target_date is None:
        raise PlanError("Set a target date first: a focused plan is cut to what fits before it.")
    Plan.objects.update_or_create(learner=learner, defaults={"focused": focused})
    return plan_rebuild(learner=learner)


def hours_to_fit(*, hours_left: int, today: dt.date, target: dt.date) -> int | None:
    """The hours a week that finish `hours_left` by `target`; None when even 80 would not."""
    weeks = (target - today).days // 7
    if weeks < 1:
        return None
    needed = max(1, math.ceil(hours_left / weeks))
    return needed if needed <= 80 else None


@transaction.atomic
def pace_set(*, learner: User, hours_per_week: int) -> PlanBuild:
    """Change the hours a week (the plan page's "make it fit" button) and re-plan the weeks."""
    if not 1 <= hours_per_week <= 80:
        raise PlanError("Hours per week go from 1 to 80.")
    _require_plan(learner)
    Profile.objects.filter(user=learner).update(hours_per_week=hours_per_week)
    return plan_rebuild(learner=learner)


# ---------------------------------------------------------------- plan building


@dataclass
class PlanBuild:
    """The rebuilt plan and what the learner should be told about it."""

    plan: Plan
    # Hours left and the projected finish as the plan page shows them (never stored: they would go stale).
    summary: PlanSummary
    notes: list[str] = field(default_factory=list)


def _pairs(rows: Iterable[tuple[int, int]]) -> dict[int, set[int]]:
    grouped: dict[int, set[int]] = defaultdict(set)
    for a, b in rows:
        grouped[a].add(b)
    return grouped


def _best_tier(tiers: Iterable[str]) -> str:
    return min(tiers, key=lambda tier: TIER_RANK.get(tier, 99), default="")


NODES_CACHE_SECONDS = 300


def catalog_nodes() -> dict[ItemKey, Node]:
    """catalog_graph(), cached under the catalog's version stamp: plan building and onboarding's
    preview read the whole catalog's graph, which changes only when content is edited."""
    version = catalog_version()
    if not version:
        return catalog_graph()
    key = f"catalog-nodes:{version}"
    try:
        nodes = cache.get(key)
    except RedisError:
        return catalog_graph()
    if nodes is None:
        nodes = catalog_graph()
        with contextlib.suppress(RedisError):
            cache.set(key, nodes, NODES_CACHE_SECONDS)
    return nodes


def catalog_graph() -> dict[ItemKey, Node]:
    """Every catalog item with its hours, what it needs first, and what the focused plan ranks it by.

    A skill needs its prerequisite skills; a course or project idea needs the prerequisites of
    the skills it teaches or practises (not those skills themselves); a certification needs the
    skills recommended before it and the skills it validates. A course covers the skills it teaches:
    with the course in the plan, their hours are the course's. A course, project or exam ranks by
    the best tier among its skills.
    """
    requires = _pairs(SkillPrerequisite.objects.values_list("skill_id", "requires_id"))
    course_skills = _pairs(Course.skills.through.objects.values_list("course_id", "skill_id"))
    project_skills = _pairs(ProjectIdea.skills.through.objects.values_list("projectidea_id", "skill_id"))
    recommended = _pairs(
        Certification.skills_recommended.through.objects.values_list("certification_id", "skill_id")
    )
    validated = _pairs(
        Certification.skills_validated.through.objects.values_list("certification_id", "skill_id")
    )

    def skill_keys(ids: Iterable[int]) -> tuple[ItemKey, ...]:
        return tuple(("skill", i) for i in sorted(ids))

    def needs_of_taught(taught: set[int]) -> tuple[ItemKey, ...]:
        return skill_keys(set().union(*(requires[s] for s in taught)) - taught if taught else set())

    nodes: dict[ItemKey, Node] = {}
    tier_of: dict[int, str] = {}
    for pk, slug, hours, tier, share in Skill.objects.values_list(
        "pk", "slug", "estimated_hours", "tier", "market_share"
    ):
        tier_of[pk] = tier
        share_value = float(share) if share is not None else None
        nodes["skill", pk] = Node(slug, hours, skill_keys(requires[pk]), tier=tier, share=share_value)
    for pk, slug, hours in Course.objects.values_list("pk", "slug", "hours"):
        taught = course_skills[pk]
        nodes["course", pk] = Node(
            slug,
            hours,
            needs_of_taught(taught),
            covers=skill_keys(taught),
            tier=_best_tier(tier_of[s] for s in taught),
        )
    for pk, slug, hours in ProjectIdea.objects.values_list("pk", "slug", "hours"):
        practised = project_skills[pk]
        nodes["project", pk] = Node(
            slug, hours, needs_of_taught(practised), tier=_best_tier(tier_of[s] for s in practised)
        )
    for pk, slug, hours in Certification.objects.values_list("pk", "slug", "hours"):
        skills = recommended[pk] | validated[pk]
        nodes["certification", pk] = Node(
            slug, hours, skill_keys(skills), tier=_best_tier(tier_of[s] for s in validated[pk])
        )
    return nodes


@dataclass
class TrackSteps:
    """The chosen tracks' steps as plan choices, and what the learner is told about them."""

    choices: list[Choice]
    titles: dict[int, str]  # stage index -> title
    stage_index: dict[int, int]  # stage pk -> index
    excluded: frozenset[ItemKey]  # the items of options the learner did not choose
    notes: list[str]


def _chosen_options(learner: User, stages: list[Stage], picks: Iterable[int] = ()) -> dict[int, int]:
    """The option followed in each choice group of these stages: `picks` (option ids being chosen),
    else the learner's saved choice, else the default, else the first."""
    options = ChoiceOption.objects.filter(group__stage__in=stages).order_by("group_id", "order", "pk")
    by_group: dict[int, list[tuple[int, bool]]] = defaultdict(list)
    for pk, group_id, is_default in options.values_list("pk", "group_id", "is_default"):
        by_group[group_id].append((pk, is_default))
    picked = dict(PlanChoice.objects.filter(learner=learner).values_list("group_id", "option_id"))
    picks = set(picks)
    for group_id, members in by_group.items():
        mine = [pk for pk, _ in members if pk in picks]
        if mine:
            picked[group_id] = mine[0]
    followed: dict[int, int] = {}
    for group_id, members in by_group.items():
        ids = {pk for pk, _ in members}
        default = next((pk for pk, is_default in members if is_default), members[0][0])
        followed[group_id] = picked[group_id] if picked.get(group_id) in ids else default
    return followed


def _track_steps(
    *, learner: User, tracks: Iterable[Track] | None = None, picks: Iterable[int] = ()
) -> TrackSteps:
    """The steps of `tracks` (else the learner's), with the learner's own orders and choices (or `picks`)."""
    chosen_tracks = (
        Track.objects.filter(pk__in=[t.pk for t in tracks])
        if tracks is not None
        else learner.profile.tracks.all()
    )
    stages = list(
        Stage.objects.filter(track__in=chosen_tracks)
        .select_related("track")
        .order_by("-track__is_core", "track__order", "track__name", "order")
    )
    index_of = {stage.pk: i for i, stage in enumerate(stages)}
    track_of = {stage.pk: stage.track.name for stage in stages}
    followed = _chosen_options(learner, stages, picks)
    orders: dict[ItemKey, float] = {}
    for row in StepPreference.objects.filter(learner=learner, order__isnull=False).values(
        *(f"{k}_id" for k in ITEM_FIELDS), "order"
    ):
        for key in _keys([row]):
            orders[key] = row["order"]
    choices: list[Choice] = []
    unchosen: set[ItemKey] = set()
    notes: list[str] = []
    steps = list(
        Step.objects.filter(stage__in=stages)
        .select_related("option__group")
        .annotate(certification_status=F("certification__status"))
        .order_by("pk")
    )
    certifications: dict[int, Certification] = {}
    if any(step.certification_status == Certification.Status.RETIRED for step in steps):  # type: ignore[attr-defined]
        certifications = {c.pk: c for c in Certification.objects.only("pk", "name", "status", "successor_id")}
    successor_of = {pk: c.successor_id for pk, c in certifications.items()}
    retired = {pk for pk, c in certifications.items() if c.is_retired}
    for step in steps:
        kind, item_id = step.item_key
        if kind == "certification" and item_id in retired:
            replacement = resolve_certification(item_id, successor_of, retired)
            old = certifications[item_id].name
            if replacement is None:
                notes.append(f"{old} has been retired and has no successor, so it is not in your plan.")
                continue
            notes.append(f"{old} has been retired: your plan has {certifications[replacement].name} instead.")
            item_id = replacement
        source = f"{track_of[step.stage_id]} track"
        option = step.option
        if option is not None and followed.get(option.group_id) not in (None, option.pk):
            unchosen.add((kind, item_id))
            continue
        if option is not None:
            source = f"your choice of {option.group.title.lower()}: {option.title}"
        order = orders.get((kind, item_id), float(step.order))
        choices.append(Choice((kind, item_id), index_of[step.stage_id], order, step.optional, source))
    chosen = {choice.key for choice in choices}
    return TrackSteps(
        choices=choices,
        titles={i: stage.title for i, stage in enumerate(stages)},
        stage_index=index_of,
        excluded=frozenset(unchosen - chosen),
        notes=sorted(set(notes)),
    )


def _keys(rows: Iterable[dict[str, Any]]) -> set[ItemKey]:
    found: set[ItemKey] = set()
    for row in rows:
        for kind in ITEM_FIELDS:
            if row[f"{kind}_id"] is not None:
                found.add((kind, row[f"{kind}_id"]))
    return found


def _wishes(*, learner: User, plan: Plan, profile: Profile, steps: TrackSteps) -> Wishes:
    columns = [f"{k}_id" for k in ITEM_FIELDS]
    preferences = StepPreference.objects.filter(learner=learner)
    hidden = HiddenStage.objects.filter(learner=learner).values_list("stage_id", flat=True)
    budget = None
    if plan.focused and profile.target_date is not None:
        weeks = max(0, (profile.target_date - today_in(profile.time_zone)).days // 7)
        budget = weeks * profile.hours_per_week
    return Wishes(
        included=frozenset(_keys(preferences.filter(included=True).values(*columns))),
        excluded=steps.excluded,
        hidden_stages=frozenset(steps.stage_index[pk] for pk in hidden if pk in steps.stage_index),
        pinned=frozenset(_keys(preferences.filter(pinned=True).values(*columns))),
        budget_hours=budget,
    )


def _plan_item(plan: Plan, item: PlannedItem, titles: dict[int, str]) -> PlanItem:
    kind, item_id = item.key
    return PlanItem(
        plan=plan,
        position=item.position,
        week=item.week,
        stage_title=titles.get(item.stage_index, "")[:160],
        stage_index=item.stage_index,
        optional=item.optional,
        known=item.known,
        from_prerequisites=item.from_prerequisites,
        hours=item.hours,
        needs=list(item.needs),
        lane=item.lane,
        covered_by=item.covered_by,
        needed_by=list(item.needed_by),
        unlocks=item.unlocks,
        source=item.source[:200],
        cut_reason=item.cut_reason[:300],
        **{f"{kind}_id": item_id},
    )


@transaction.atomic
def plan_rebuild(*, learner: User) -> PlanBuild:
    """Build the learner's plan afresh from their profile, choices and changes; progress, notes and
    history stay untouched."""
    profile, _ = Profile.objects.get_or_create(user=learner)
    plan, _ = Plan.objects.get_or_create(learner=learner)
    # Serialise rebuilds of one plan: a double submit waits here instead of clashing on positions.
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    steps = _track_steps(learner=learner)
    known = frozenset(("skill", pk) for pk in profile.known_skills.values_list("pk", flat=True))
    progress = Progress.objects.filter(learner=learner, status__in=CLOSED)
    columns = [f"{k}_id" for k in ITEM_FIELDS]
    closed = frozenset(_keys(progress.values(*columns)))
    skipped = frozenset(_keys(progress.filter(status=Status.SKIPPED).values(*columns)))
    planned = plan_order(
        steps.choices,
        catalog_nodes(),
        hours_per_week=profile.hours_per_week,
        known=known,
        closed=closed,
        skipped=skipped,
        wishes=_wishes(learner=learner, plan=plan, profile=profile, steps=steps),
    )
    plan.items.all().delete()
    PlanItem.objects.bulk_create([_plan_item(plan, item, steps.titles) for item in planned], batch_size=500)
    # Every item gets its (empty) progress row now, so a status change later only locks and updates.
    Progress.objects.bulk_create(
        [Progress(learner=learner, **{f"{item.key[0]}_id": item.key[1]}) for item in planned],
        ignore_conflicts=True,
        batch_size=500,
    )
    plan.built_at = timezone.now()
    plan.save(update_fields=["built_at"])
    return PlanBuild(plan=plan, notes=steps.notes, summary=plan_overview(plan, Pace.of(profile)))


# ---------------------------------------------------------------- the plan as onboarding answers would build it


@dataclass(frozen=True)
class Preview:
    """What a plan built from onboarding's answers so far would hold."""

    steps: int
    required_hours: int
    optional_hours: int
    hours_per_week: int
    today: dt.date
    target_date: dt.date | None

    @property
    def weeks(self) -> int:
        return math.ceil(self.required_hours / self.hours_per_week)

    @property
    def finish(self) -> dt.date:
        return self.today + dt.timedelta(weeks=self.weeks)

    @property
    def fits(self) -> bool:
        return self.target_date is None or self.finish <= self.target_date


def _ids(values: Iterable[str], limit: int) -> list[int]:
    return [int(v) for v in values if v.isdigit() and len(v) < 12][:limit]


def plan_preview(*, learner: User, answers: Any) -> Preview | None:
    """The size and finish of the plan the answers (a QueryDict of onboarding's fields) would build;
    None before a track is chosen. Reads only: nothing is saved."""
    tracks = list(Track.objects.filter(pk__in=_ids(answers.getlist("tracks"), 50)))
    if not tracks:
        return None
    raw_hours = answers.get("hours_per_week", "")
    hours = int(raw_hours) if raw_hours.isdigit() and 1 <= int(raw_hours) <= 80 else 6
    zone = answers.get("time_zone", "")
    today = today_in(zone if zone in time_zone_names() else "UTC")
    try:
        target = dt.date.fromisoformat(answers.get("target_date", ""))
    except ValueError:
        target = None
    steps = _track_steps(learner=learner, tracks=tracks, picks=_ids(answers.getlist("options"), 100))
    known = frozenset(("skill", pk) for pk in _ids(answers.getlist("known_skills"), 2000))
    columns = [f"{k}_id" for k in ITEM_FIELDS]
    closed = frozenset(_keys(Progress.objects.filter(learner=learner, status__in=CLOSED).values(*columns)))
    planned = plan_order(
        steps.choices,
        catalog_nodes(),
        hours_per_week=hours,
        known=known,
        closed=closed,
        wishes=Wishes(excluded=steps.excluded),
    )
    open_items = [i for i in planned if not i.known and i.key not in closed]
    return Preview(
        steps=len(planned),
        required_hours=sum(i.hours for i in open_items if i.lane == Lane.SCHEDULED),
        optional_hours=sum(i.hours for i in open_items if i.lane == Lane.OPTIONAL),
        hours_per_week=hours,
        today=today,
        target_date=target if target and target >= today else None,
    )
