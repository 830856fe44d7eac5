"""Reads of what a learner can choose about their plan: the choice groups of their tracks with the option
they follow, and the stages of their tracks with those they hid (plan page, onboarding)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from accounts.models import Profile, User
from catalog.models import ChoiceOption, Stage, Track
from roadmap.models import HiddenStage, PlanChoice


@dataclass(frozen=True)
class OptionRow:
    pk: int
    title: str
    followed: bool


@dataclass(frozen=True)
class GroupRow:
    pk: int
    title: str
    description: str
    stage_title: str
    options: tuple[OptionRow, ...]

    @property
    def followed(self) -> OptionRow | None:
        return next((o for o in self.options if o.followed), None)


@dataclass(frozen=True)
class StageRow:
    index: int
    pk: int
    title: str
    track: str
    hidden: bool


def _track_ids(learner: User) -> QuerySet[Any]:
    """The ids of the learner's tracks, as a subquery."""
    return Profile.tracks.through.objects.filter(profile__user=learner).values("track_id")


def choice_groups(*, learner: User, tracks: list[Track] | None = None) -> list[GroupRow]:
    """The choice groups of the learner's tracks (or of `tracks`), each option marked when followed: the
    learner's pick, else the group's default, else its first option. One query."""
    track_filter = (
        Q(group__stage__track__in=tracks)
        if tracks is not None
        else Q(group__stage__track_id__in=_track_ids(learner))
    )
    options = (
        ChoiceOption.objects.filter(track_filter)
        .order_by(
            "-group__stage__track__is_core",
            "group__stage__track__order",
            "group__stage__order",
            "group__order",
            "group__pk",
            "order",
            "pk",
        )
        .values(
            "pk",
            "title",
            "is_default",
            "group_id",
            "group__title",
            "group__description",
            "group__stage__title",
            picked=Exists(PlanChoice.objects.filter(learner=learner, option=OuterRef("pk"))),
        )
    )
    grouped: dict[int, list[Mapping[str, Any]]] = {}
    for option in options:
        grouped.setdefault(option["group_id"], []).append(option)
    rows = []
    for members in grouped.values():
        first = members[0]
        picked = next((o["pk"] for o in members if o["picked"]), None)
        followed = picked or next((o["pk"] for o in members if o["is_default"]), first["pk"])
        rows.append(
            GroupRow(
                pk=first["group_id"],
                title=first["group__title"],
                description=first["group__description"],
                stage_title=first["group__stage__title"],
                options=tuple(OptionRow(o["pk"], o["title"], o["pk"] == followed) for o in members),
            )
        )
    return rows


def plan_stages(*, learner: User) -> list[StageRow]:
    """The stages of the learner's tracks in plan order (the index plan items carry), with those hidden."""
    stages = (
        Stage.objects.filter(track_id__in=_track_ids(learner))
        .annotate(hidden=Exists(HiddenStage.objects.filter(learner=learner, stage=OuterRef("pk"))))
        .order_by("-track__is_core", "track__order", "track__name", "order")
        .values_list("pk", "title", "track__name", "hidden")
    )
    return [StageRow(i, pk, title, track, hidden) for i, (pk, title, track, hidden) in enumerate(stages)]
