"""The plan's focus on one saved job ad: what the re-plan ranks first, and the plan page's line about it."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass

from django.core.cache import cache
from django.db import transaction
from redis.exceptions import RedisError

from accounts.models import User
from config.caching import cached
from jobs.models import AdSkill, JobFocus, SavedAd
from jobs.selectors import HAVE, skill_standing
from roadmap.plan_inputs import PlanFront


def _key(learner_id: int) -> str:
    return f"jobs:focused-ad:{learner_id}"


def focused_ad_id(learner: User) -> int | None:
    """The learner's focused ad, remembered in the cache (0 for none): most learners have no focus, and
    the plan page and every re-plan ask, so asking costs no query once remembered."""

    def read() -> int:
        return JobFocus.objects.filter(learner=learner).values_list("ad_id", flat=True).first() or 0

    return int(cached(_key(learner.pk), read, 24 * 3600)) or None


def focus_forget(learner_id: int) -> None:
    """Called by every write to a learner's focus: the cache is asked afresh once the write commits."""

    def forget() -> None:
        with contextlib.suppress(RedisError):
            cache.delete(_key(learner_id))

    forget()
    transaction.on_commit(forget)


def focus_front(learner: User) -> PlanFront | None:
    """The focused ad's skills, required before nice-to-have (roadmap.plan_inputs.FRONT_PROVIDERS): one
    query. Skills already done or known are closed for the planner, so ranking them costs nothing."""
    ad_id = focused_ad_id(learner)
    if ad_id is None:
        return None
    rows = list(
        AdSkill.objects.filter(ad_id=ad_id, ad__learner=learner)
        .order_by("-required", "skill__name")
        .values_list("skill_id", "required", "ad__title")
    )
    if not rows:
        return None
    keys = tuple(("skill", skill_id) for skill_id, _, _ in rows)
    required = frozenset(("skill", skill_id) for skill_id, needed, _ in rows if needed)
    return PlanFront(keys=keys, required=required, source=f"your focus on the job {rows[0][2]}"[:200])


@dataclass(frozen=True)
class FocusLine:
    """ "Focused on: ML Engineer, Recommendations — 9 of 17 skills to go"."""

    ad: SavedAd
    to_go: int
    total: int


def focus_line(learner: User) -> FocusLine | None:
    """For the plan page: no query without a focus (once remembered), five with one."""
    ad_id = focused_ad_id(learner)
    ad = SavedAd.objects.filter(pk=ad_id, learner=learner).first() if ad_id else None
    if ad is None:
        return None
    skill_ids = list(AdSkill.objects.filter(ad=ad).values_list("skill_id", flat=True))
    standing = skill_standing(learner=learner, skill_ids=skill_ids)
    to_go = sum(1 for value in standing.values() if value != HAVE)
    return FocusLine(ad, to_go, len(skill_ids))
