"""What a plan is built from, read for plan building and onboarding's preview: the catalog's graph and
the chosen tracks' layout (both cached under the catalog's version stamp, as they change only when
content is edited), and the learner's own wishes and progress."""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Value

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
from catalog.versioning import content_cached
from roadmap.models import HiddenStage, PlanChoice, Progress, StepPreference
from roadmap.planning import TIER_RANK, Choice, ItemKey, Node, Wishes, plan_totals, resolve_certification

Status = Progress.Status
CLOSED = (Status.DONE, Status.SKIPPED)


# ---------------------------------------------------------------- the catalog's graph


def _pairs(rows: Iterable[tuple[int, int]]) -> dict[int, set[int]]:
    grouped: dict[int, set[int]] = defaultdict(set)
    for a, b in rows:
        grouped[a].add(b)
    return grouped


def _best_tier(tiers: Iterable[str]) -> str:
    return min(tiers, key=lambda tier: TIER_RANK.get(tier, 99), default="")


def catalog_nodes() -> dict[ItemKey, Node]:
    """catalog_graph(), cached until content changes."""
    return content_cached("catalog-nodes", catalog_graph)


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
    for skill in Skill.objects.only(
        "pk",
        "slug",
        "estimated_hours",
        "tier",
        "share_low",
        "share_high",
        "entry_share_low",
        "entry_share_high",
    ):
        tier_of[skill.pk] = skill.tier
        nodes["skill", skill.pk] = Node(
            skill.slug,
            skill.estimated_hours,
            skill_keys(requires[skill.pk]),
            tier=skill.tier,
            share=skill.share_estimate,
            share_label=skill.share_label,
        )
    for pk, slug, hours in Course.objects.values_list("pk", "slug", "hours"):
        taught = course_skills[pk]
        tier = _best_tier(tier_of[s] for s in taught)
        nodes["course", pk] = Node(slug, hours, needs_of_taught(taught), covers=skill_keys(taught), tier=tier)
    for pk, slug, hours in ProjectIdea.objects.values_list("pk", "slug", "hours"):
        practised = project_skills[pk]
        tier = _best_tier(tier_of[s] for s in practised)
        nodes["project", pk] = Node(slug, hours, needs_of_taught(practised), tier=tier)
    for pk, slug, hours in Certification.objects.values_list("pk", "slug", "hours"):
        tier = _best_tier(tier_of[s] for s in validated[pk])
        nodes["certification", pk] = Node(slug, hours, skill_keys(recommended[pk] | validated[pk]), tier=tier)
    return nodes


# ---------------------------------------------------------------- the tracks' layout


@dataclass(frozen=True)
class LayoutStep:
    key: ItemKey
    stage_index: int
    order: int
    optional: bool
    track: str
    group_id: int | None = None
    option_id: int | None = None
    choice_words: str = ""  # "deep-learning framework: PyTorch"


@dataclass(frozen=True)
class Layout:
    """The chosen tracks' stages and steps, as content has them (nothing of any learner's)."""

    titles: dict[int, str]  # stage index -> title
    stage_index: dict[int, int]  # stage pk -> index
    steps: list[LayoutStep]
    options: dict[int, list[tuple[int, bool]]]  # group -> [(option, is default)] in order
    notes: list[str]  # retired exams replaced or left out


def track_layout(ids: Iterable[int]) -> Layout:
    """track_layout_read(), cached until content changes."""
    chosen = tuple(sorted(set(ids)))
    return content_cached(f"track-layout:{','.join(map(str, chosen))}", lambda: track_layout_read(chosen))


def track_layout_read(ids: tuple[int, ...]) -> Layout:
    # Stages in the order of plan_stages (roadmap.choices): plan items carry these indexes.
    stages = list(
        Stage.objects.filter(track_id__in=ids)
        .order_by("-track__is_core", "track__order", "track__name", "order")
        .values_list("pk", "title")
    )
    index_of = {pk: i for i, (pk, _) in enumerate(stages)}
    options: dict[int, list[tuple[int, bool]]] = defaultdict(list)
    rows = (
        ChoiceOption.objects.filter(group__stage_id__in=index_of)
        .order_by("group_id", "order", "pk")
        .values_list("pk", "group_id", "is_default")
    )
    for pk, group_id, is_default in rows:
        options[group_id].append((pk, is_default))
    steps = list(
        Step.objects.filter(stage_id__in=index_of)
        .select_related("option__group", "stage__track", "certification")
        .order_by("pk")
    )
    certifications: dict[int, Certification] = {}
    if any(step.certification is not None and step.certification.is_retired for step in steps):
        certifications = {c.pk: c for c in Certification.objects.only("pk", "name", "status", "successor_id")}
    successor_of = {pk: c.successor_id for pk, c in certifications.items()}
    retired = {pk for pk, c in certifications.items() if c.is_retired}
    layout: list[LayoutStep] = []
    notes: list[str] = []
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
        option = step.option
        layout.append(
            LayoutStep(
                (kind, item_id),
                index_of[step.stage_id],
                step.order,
                step.optional,
                step.stage.track.name,
                option.group_id if option else None,
                option.pk if option else None,
                f"{option.group.title.lower()}: {option.title}" if option else "",
            )
        )
    return Layout(
        titles={i: title for i, (_, title) in enumerate(stages)},
        stage_index=index_of,
        steps=layout,
        options=dict(options),
        notes=sorted(set(notes)),
    )


# ---------------------------------------------------------------- the learner's side


def _keys(rows: Iterable[dict[str, Any]]) -> set[ItemKey]:
    found: set[ItemKey] = set()
    for row in rows:
        for kind in ITEM_FIELDS:
            if row[f"{kind}_id"] is not None:
                found.add((kind, row[f"{kind}_id"]))
    return found


def followed_options(layout: Layout, picked: dict[int, int]) -> dict[int, int]:
    """The option followed in each choice group: `picked` (group -> option), else the default, else the first."""
    followed: dict[int, int] = {}
    for group_id, members in layout.options.items():
        ids = {pk for pk, _ in members}
        default = next((pk for pk, is_default in members if is_default), members[0][0])
        followed[group_id] = picked[group_id] if picked.get(group_id) in ids else default
    return followed


@dataclass
class TrackSteps:
    """The chosen tracks' steps as plan choices, and what the learner is told about them."""

    choices: list[Choice]
    excluded: frozenset[ItemKey]  # the items of options the learner did not choose


def track_steps(layout: Layout, followed: dict[int, int], orders: dict[ItemKey, float]) -> TrackSteps:
    """The layout's steps for one learner: unchosen options out, their own orders in."""
    choices: list[Choice] = []
    unchosen: set[ItemKey] = set()
    for step in layout.steps:
        if step.group_id is not None and followed.get(step.group_id) != step.option_id:
            unchosen.add(step.key)
            continue
        source = f"your choice of {step.choice_words}" if step.choice_words else f"{step.track} track"
        order = orders.get(step.key, float(step.order))
        choices.append(Choice(step.key, step.stage_index, order, step.optional, source))
    return TrackSteps(choices, frozenset(unchosen - {choice.key for choice in choices}))


@dataclass(frozen=True)
class PlanFront:
    """What another app aims a learner's plan at (jobs: the focused job ad's skills), best first."""

    keys: tuple[ItemKey, ...]  # ranked first in the plan, in this order, with what each needs
    required: frozenset[ItemKey]  # scheduled even when optional, added when no track holds them
    source: str  # why extra steps are there: "your focus on ML Engineer"


# Callables (learner -> PlanFront | None) other apps register in their AppConfig.ready(): roadmap
# needs nothing of theirs, and every rebuild asks them (one query each).
FRONT_PROVIDERS: list[Callable[[User], PlanFront | None]] = []


def plan_front(learner: User) -> PlanFront | None:
    for provider in FRONT_PROVIDERS:
        front = provider(learner)
        if front is not None:
            return front
    return None


@dataclass(frozen=True)
class LearnerSide:
    """What the learner brings to a rebuild: choices, step preferences, hidden stages, known skills, progress."""

    picked: dict[int, int]
    included: frozenset[ItemKey]
    pinned: frozenset[ItemKey]
    orders: dict[ItemKey, float]
    hidden_stage_ids: frozenset[int]
    known: frozenset[ItemKey]
    track_ids: tuple[int, ...]
    closed: frozenset[ItemKey]
    skipped: frozenset[ItemKey]
    progress: frozenset[ItemKey]  # items with a Progress row


def learner_side(learner: User) -> LearnerSide:
    """Five queries, whatever the plan's size (the profile's tracks and known skills in one)."""
    columns = [f"{k}_id" for k in ITEM_FIELDS]
    included, pinned, orders = set(), set(), {}
    for row in StepPreference.objects.filter(learner=learner).values(*columns, "included", "pinned", "order"):
        for key in _keys([row]):
            if row["included"]:
                included.add(key)
            if row["pinned"]:
                pinned.add(key)
            if row["order"] is not None:
                orders[key] = row["order"]
    closed, skipped, progress = set(), set(), set()
    for row in Progress.objects.filter(learner=learner).values(*columns, "status"):
        for key in _keys([row]):
            progress.add(key)
            if row["status"] in CLOSED:
                closed.add(key)
            if row["status"] == Status.SKIPPED:
                skipped.add(key)
    # The profile's two lists of answers, tracks and known skills, in one read.
    tracks = Profile.tracks.through.objects.filter(profile__user=learner)
    known_skills = Profile.known_skills.through.objects.filter(profile__user=learner)
    answers = tracks.values_list(Value("track"), "track_id").union(
        known_skills.values_list(Value("known"), "skill_id"), all=True
    )
    track_ids: list[int] = []
    known: list[int] = []
    for name, pk in answers:
        (track_ids if name == "track" else known).append(pk)
    return LearnerSide(
        track_ids=tuple(sorted(track_ids)),
        picked=dict(PlanChoice.objects.filter(learner=learner).values_list("group_id", "option_id")),
        included=frozenset(included),
        pinned=frozenset(pinned),
        orders=orders,
        hidden_stage_ids=frozenset(
            HiddenStage.objects.filter(learner=learner).values_list("stage_id", flat=True)
        ),
        known=frozenset(("skill", pk) for pk in known),
        closed=frozenset(closed),
        skipped=frozenset(skipped),
        progress=frozenset(progress),
    )


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
    tracks = list(
        Track.objects.filter(pk__in=_ids(answers.getlist("tracks"), 50)).values_list("pk", flat=True)
    )
    if not tracks:
        return None
    raw_hours = answers.get("hours_per_week", "")
    hours = int(raw_hours) if raw_hours.isdigit() and 1 <= int(raw_hours) <= 80 else 6
    zone = answers.get("time_zone", "")
    today = today_in(zone if zone in time_zone_names() else "UTC")
    try:
        target: dt.date | None = dt.date.fromisoformat(answers.get("target_date", ""))
    except ValueError:
        target = None
    layout = track_layout(tracks)
    picks = set(_ids(answers.getlist("options"), 100))
    picked = {group: pk for group, members in layout.options.items() for pk, _ in members if pk in picks}
    steps = track_steps(layout, followed_options(layout, picked), {})
    known = frozenset(("skill", pk) for pk in _ids(answers.getlist("known_skills"), 2000))
    columns = [f"{k}_id" for k in ITEM_FIELDS]
    closed = frozenset(_keys(Progress.objects.filter(learner=learner, status__in=CLOSED).values(*columns)))
    totals = plan_totals(
        steps.choices, catalog_nodes(), known=known, closed=closed, wishes=Wishes(excluded=steps.excluded)
    )
    return Preview(
        steps=totals.steps,
        required_hours=totals.required_hours,
        optional_hours=totals.optional_hours,
        hours_per_week=hours,
        today=today,
        target_date=target if target and target >= today else None,
    )
