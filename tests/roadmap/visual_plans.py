"""Plans and activity for the map and activity tests: a chain of skills with every status, steps done at a moment."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from accounts.models import Profile, User
from catalog.models import Skill, Tier
from roadmap.models import Plan, PlanItem, Progress, ProgressEvent
from tests.factories import UserFactory

MAP = "/plan/map/"
ACTIVITY = "/plan/activity/"

STATUSES = ["done", "in_progress", "not_started", "skipped"]


def plan_of(user: User, size: int) -> Plan:
    """A plan of `size` skills, each needing the one before, with statuses cycling through all four."""
    plan = Plan.objects.create(learner=user)
    skills = Skill.objects.bulk_create(
        Skill(
            name=f"Skill {user.pk}-{i}",
            slug=f"s{user.pk}-{i}",
            category="programming",
            tier=Tier.FOUNDATION,
            description="x",
        )
        for i in range(size)
    )
    PlanItem.objects.bulk_create(
        PlanItem(
            plan=plan,
            position=i + 1,
            skill=skill,
            stage_title=f"Stage {i // 10}",
            stage_index=i // 10,
            needs=[i] if i else [],
            known=i == 3,
        )
        for i, skill in enumerate(skills)
    )
    Progress.objects.bulk_create(
        Progress(learner=user, skill=skill, status=STATUSES[i % 4] if i != 3 else "not_started")
        for i, skill in enumerate(skills)
    )
    return plan


@pytest.fixture
def learner(db: None, client: Client) -> User:
    user = UserFactory()
    Profile.objects.create(user=user, time_zone="UTC")
    client.force_login(user)
    return user


def done_at(user: User, moment: dt.datetime, status: str = "done") -> None:
    skill = Skill.objects.create(
        name=f"S {moment.isoformat()} {status}",
        slug=f"s-{moment:%Y%m%d%H%M%S}-{status}",
        category="programming",
        tier=Tier.FOUNDATION,
        description="x",
    )
    progress = Progress.objects.create(learner=user, skill=skill, status=status)
    ProgressEvent.objects.create(
        progress=progress, from_status="not_started", to_status=status, at=moment, by=user
    )
