"""Writes that shape a learner's plan: goals and pace, choices, the learner's own changes, and the
rebuild that turns them (with the catalog) into plan items. Progress is never touched here."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import connections, transaction
from django.utils import timezone

from accounts.models import Profile, User, time_zone_names, today_in
from catalog.models import ITEM_FIELDS, ChoiceOption, Skill, Stage, Track
from roadmap.models import (
    OWN_STEP_HOURS_MAX,
    HiddenStage,
    OwnStep,
    Plan,
    PlanChoice,
    PlanItem,
    Progress,
    StepPreference,
)
from roadmap.plan_inputs import (
    catalog_nodes,
    followed_options,
    learner_side,
    plan_front,
    track_layout,
    track_steps,
)
from roadmap.planning import Choice, PlannedItem, Wishes, plan_order
from roadmap.selectors import Pace, PlanSummary, plan_overview

Status = Progress.Status


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
    return _rebuild(user)


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
    return _rebuild(learner)


def _preference(learner: User, item: PlanItem, **values: Any) -> StepPreference:
    """The learner's preference row for the item (made on first use), with `values` saved on it."""
    kind, item_id = item.item_key
    lookup: dict[str, Any] = {"learner": learner, f"{kind}_id": item_id}
    preference, _ = StepPreference.objects.get_or_create(**lookup)
    if values:
        for name, value in values.items():
            setattr(preference, name, value)
        preference.save(update_fields=list(values))
    return preference


@transaction.atomic
def step_include(*, learner: User, item: PlanItem, included: bool) -> PlanBuild:
    """Schedule an optional step (its hours join the projected finish), or take it out again."""
    if included and not item.optional:
        raise PlanError("This step is in your plan already.")
    _preference(learner, item, included=included)
    return _rebuild(learner)


@transaction.atomic
def step_pin(*, learner: User, item: PlanItem, pinned: bool) -> PlanBuild:
    """Keep a step in the focused plan before anything the ranking would choose."""
    _preference(learner, item, pinned=pinned)
    return _rebuild(learner)


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
        if _preference(learner, other).order != place:
            _preference(learner, other, order=place)
    return _rebuild(learner)


@transaction.atomic
def stage_hide(*, learner: User, stage: Stage, hidden: bool) -> PlanBuild:
    """Hide a stage of a chosen track (its steps leave the schedule, nothing is deleted), or show it."""
    if hidden:
        HiddenStage.objects.get_or_create(learner=learner, stage=stage)
    else:
        HiddenStage.objects.filter(learner=learner, stage=stage).delete()
    return _rebuild(learner)


def _require_plan(learner: User) -> Plan:
    """The learner's plan, locked, with their profile; a PlanError for someone without one."""
    plan = _locked_plan(learner)
    if plan is None or plan.learner.profile.onboarded_at is None:
        raise PlanError("Set up your plan first: answer a few questions and it is built for you.")
    return plan


@transaction.atomic
def plan_focus(*, learner: User, focused: bool) -> PlanBuild:
    """Cut the plan to what fits by the target date (the rest listed after it), or undo that."""
    plan = _require_plan(learner)
    if focused and plan.learner.profile.target_date is None:
        raise PlanError("Set a target date first: a focused plan is cut to what fits before it.")
    plan.focused = focused
    plan.save(update_fields=["focused"])
    return _rebuild(learner, plan)


@transaction.atomic
def pace_set(*, learner: User, hours_per_week: int) -> PlanBuild:
    """Change the hours a week (the plan page's "make it fit" button) and re-plan the weeks."""
    if not 1 <= hours_per_week <= 80:
        raise PlanError("Hours per week go from 1 to 80.")
    plan = _require_plan(learner)
    profile = plan.learner.profile
    profile.hours_per_week = hours_per_week
    profile.save(update_fields=["hours_per_week"])
    return _rebuild(learner, plan)


# ---------------------------------------------------------------- the learner's own steps

OWN_STEPS_LIMIT = 100
WEB_URL = URLValidator(schemes=["http", "https"])


@transaction.atomic
def own_step_add(
    *,
    learner: User,
    title: str,
    url: str = "",
    hours: int = 0,
    stage: Stage | None = None,
    private: bool = True,
) -> OwnStep:
    """Add a step of the learner's own to their plan (private unless they share it)."""
    title, url = title.strip(), url.strip()
    if not title:
        raise PlanError("Give your step a title.")
    if len(title) > 160 or len(url) > 500:
        raise PlanError("A title can have at most 160 characters and a link 500.")
    if url:
        try:
            WEB_URL(url)
        except ValidationError as exc:
            raise PlanError("Enter a web address starting with http:// or https://.") from exc
    if not 0 <= hours <= OWN_STEP_HOURS_MAX:
        raise PlanError(f"Hours go from 0 to {OWN_STEP_HOURS_MAX}.")
    tracks = Profile.tracks.through.objects.filter(profile__user=learner).values("track_id")
    if stage is not None and not Stage.objects.filter(pk=stage.pk, track_id__in=tracks).exists():
        raise PlanError("Choose a stage of your plan.")
    if OwnStep.objects.filter(learner=learner).count() >= OWN_STEPS_LIMIT:
        raise PlanError(f"A plan can hold at most {OWN_STEPS_LIMIT} steps of your own: remove one first.")
    return OwnStep.objects.create(
        learner=learner, title=title, url=url, hours=hours, stage=stage, private=private
    )


@transaction.atomic
def own_step_set_status(*, learner: User, step: OwnStep, status: str) -> OwnStep:
    if status not in Progress.Status.values:
        raise PlanError("Choose a status: not started, in progress, done or skipped.")
    if step.learner_id != learner.pk:
        raise PlanError("This step is not yours.")
    step.status = status
    step.completed_at = timezone.now() if status == Progress.Status.DONE else None
    step.save(update_fields=["status", "completed_at"])
    return step


@transaction.atomic
def own_step_remove(*, learner: User, step: OwnStep) -> None:
    OwnStep.objects.filter(pk=step.pk, learner=learner).delete()


# ---------------------------------------------------------------- plan building


@dataclass
class PlanBuild:
    """The rebuilt plan and what the learner should be told about it."""

    plan: Plan
    profile: Profile
    notes: list[str] = field(default_factory=list)

    @functools.cached_property
    def summary(self) -> PlanSummary:
        """Hours left and the projected finish as the plan page shows them (read when asked for:
        never stored, they would go stale)."""
        return plan_overview(self.plan, Pace.of(self.profile))


def _locked_plan(learner: User) -> Plan | None:
    """The learner's plan with their profile, locked: a double submit waits here instead of clashing
    on positions. One query."""
    plans = Plan.objects.select_for_update(of=("self",)).select_related("learner__profile")
    return plans.filter(learner=learner).first()


# The items of a rebuilt plan go in with COPY on PostgreSQL and one INSERT run with executemany on
# SQLite: building and compiling a thousand model instances for bulk_create took half the rebuild
# (make bench BENCH=replan). Constant statements, PlanItem's columns; the test suite runs both.
INSERT_PLAN_ITEM = (
    "INSERT INTO roadmap_planitem (plan_id, position, week, stage_title, stage_index, optional, known,"
    " from_prerequisites, hours, needs, lane, covered_by, needed_by, unlocks, source, cut_reason,"
    " skill_id, course_id, certification_id, project_id)"
    " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)"
)
COPY_PLAN_ITEMS = (
    "COPY roadmap_planitem (plan_id, position, week, stage_title, stage_index, optional, known,"
    " from_prerequisites, hours, needs, lane, covered_by, needed_by, unlocks, source, cut_reason,"
    " skill_id, course_id, certification_id, project_id) FROM STDIN"
)


def _insert_items(plan: Plan, planned: list[PlannedItem], titles: dict[int, str]) -> None:
    json_field = PlanItem._meta.get_field("needs")
    connection = connections[PlanItem.objects.db]

    def as_json(values: tuple[int, ...]) -> Any:
        return json_field.get_db_prep_save(list(values), connection)

    rows = [
        (
            plan.pk,
            item.position,
            item.week,
            titles.get(item.stage_index, "")[:160],
            item.stage_index,
            item.optional,
            item.known,
            item.from_prerequisites,
            item.hours,
            as_json(item.needs),
            item.lane,
            item.covered_by,
            as_json(item.needed_by),
            item.unlocks,
            item.source[:200],
            item.cut_reason[:300],
            *(item.key[1] if item.key[0] == kind else None for kind in ITEM_FIELDS),
        )
        for item in planned
    ]
    if not rows:
        return
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # COPY streams the rows in one statement: 1,000 items in ~10 ms where executemany's
            # thousand INSERTs took ~110 ms, half of a re-plan (make bench BENCH=replan).
            with cursor.copy(COPY_PLAN_ITEMS) as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            cursor.executemany(INSERT_PLAN_ITEM, rows)


def _budget(plan: Plan, profile: Profile) -> int | None:
    """A focused plan's hours: the learner's hours a week until the target date."""
    if not plan.focused or profile.target_date is None:
        return None
    weeks = max(0, (profile.target_date - today_in(profile.time_zone)).days // 7)
    return weeks * profile.hours_per_week


@transaction.atomic
def plan_rebuild(*, learner: User) -> PlanBuild:
    """Build the learner's plan afresh from their profile, choices and changes; progress, notes and
    history stay untouched."""
    return _rebuild(learner)


def _rebuild(learner: User, plan: Plan | None = None) -> PlanBuild:
    """plan_rebuild inside the caller's transaction; `plan` when the caller holds it locked already.
    About ten queries whatever the plan's size (the catalog's graph and the tracks' layout come from
    the cache)."""
    plan = plan or _locked_plan(learner)
    if plan is None:
        Profile.objects.get_or_create(user=learner)
        Plan.objects.get_or_create(learner=learner)
        plan = _locked_plan(learner)
        assert plan is not None
    profile = plan.learner.profile
    side = learner_side(learner)
    layout = track_layout(side.track_ids)
    steps = track_steps(layout, followed_options(layout, side.picked), side.orders)
    nodes = catalog_nodes()
    choices, included, front = steps.choices, side.included, plan_front(learner)
    if front is not None:
        # The focus's skills no track holds join as steps of their own (never an unchosen option).
        held = {choice.key for choice in choices} | steps.excluded | side.known | side.closed
        first = min((choice.stage_index for choice in choices), default=0)
        extra = [key for key in front.keys if key in nodes and key not in held]
        choices = [*choices, *(Choice(k, first, -1.0, k not in front.required, front.source) for k in extra)]
        included = included | front.required
    wishes = Wishes(
        included=included,
        excluded=steps.excluded,
        hidden_stages=frozenset(
            layout.stage_index[pk] for pk in side.hidden_stage_ids if pk in layout.stage_index
        ),
        pinned=side.pinned,
        budget_hours=_budget(plan, profile),
        front=front.keys if front is not None else (),
    )
    planned = plan_order(
        choices,
        nodes,
        hours_per_week=profile.hours_per_week,
        known=side.known,
        closed=side.closed,
        skipped=side.skipped,
        wishes=wishes,
    )
    PlanItem.objects.filter(plan=plan).delete()
    _insert_items(plan, planned, layout.titles)
    # Every item gets its (empty) progress row now, so a status change later only locks and updates.
    missing = [item.key for item in planned if item.key not in side.progress]
    if missing:
        Progress.objects.bulk_create(
            [Progress(learner=learner, **{f"{kind}_id": item_id}) for kind, item_id in missing],
            ignore_conflicts=True,
        )
    plan.built_at = timezone.now()
    plan.save(update_fields=["built_at"])
    return PlanBuild(plan=plan, profile=profile, notes=layout.notes)
