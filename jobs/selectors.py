"""Reads the job-ad pages share: where the learner stands on each skill an ad asks for, the market view."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, Q

from accounts.models import Profile, User
from catalog.models import Skill
from jobs.matching import SkillMatch
from jobs.models import AdSkill, JobFocus, SavedAd
from roadmap.models import PlanItem, Progress
from roadmap.planning import Lane

HAVE, LEARNING, IN_PLAN, MISSING = "have", "learning", "in_plan", "missing"
STANDING_LABELS = {HAVE: "Have", LEARNING: "Learning", IN_PLAN: "In my plan", MISSING: "Missing"}


def skill_standing(*, learner: User, skill_ids: Iterable[int]) -> dict[int, str]:
    """have (done or known), learning (in progress), in_plan (a step of the plan) or missing: three queries."""
    ids = set(skill_ids)
    statuses = dict(
        Progress.objects.filter(learner=learner, skill_id__in=ids).values_list("skill_id", "status")
    )
    known = set(
        Profile.known_skills.through.objects.filter(profile__user=learner, skill_id__in=ids).values_list(
            "skill_id", flat=True
        )
    )
    planned = set(
        PlanItem.objects.filter(plan__learner=learner, skill_id__in=ids)
        .exclude(lane=Lane.HIDDEN)
        .values_list("skill_id", flat=True)
    )
    standing = {}
    for skill_id in ids:
        if skill_id in known or statuses.get(skill_id) == Progress.Status.DONE:
            standing[skill_id] = HAVE
        elif statuses.get(skill_id) == Progress.Status.IN_PROGRESS:
            standing[skill_id] = LEARNING
        elif skill_id in planned:
            standing[skill_id] = IN_PLAN
        else:
            standing[skill_id] = MISSING
    return standing


@dataclass(frozen=True)
class SkillRow:
    """One skill an ad asks for, with where the learner stands on it."""

    match: SkillMatch
    standing: str

    @property
    def standing_label(self) -> str:
        return STANDING_LABELS[self.standing]


@dataclass(frozen=True)
class AdReport:
    rows: tuple[SkillRow, ...]

    @property
    def have(self) -> int:
        return sum(1 for row in self.rows if row.standing == HAVE)

    @property
    def to_go(self) -> int:
        return len(self.rows) - self.have

    @property
    def share_had(self) -> int:
        """Per cent of the ad's skills the learner already has."""
        return round(100 * self.have / len(self.rows)) if self.rows else 0


def ad_report(*, learner: User, matches: Iterable[SkillMatch]) -> AdReport:
    matches = list(matches)
    standing = skill_standing(learner=learner, skill_ids=[m.skill_id for m in matches])
    rows = [SkillRow(m, standing[m.skill_id]) for m in matches]
    rows.sort(key=lambda row: (not row.match.required, row.standing == HAVE, row.match.name.lower()))
    return AdReport(tuple(rows))


@dataclass(frozen=True)
class MarketRow:
    """A skill asked for across ads: "Docker: 4 of your 5 ads; you have it"."""

    skill: Skill
    ads: int
    total: int
    standing: str = ""
    learners: int = 0

    @property
    def standing_label(self) -> str:
        return STANDING_LABELS.get(self.standing, "")


def market_view(*, learner: User) -> list[MarketRow]:
    """The skills the learner's saved ads ask for, most asked first, with where they stand."""
    total = SavedAd.objects.filter(learner=learner).count()
    counts = Counter(
        dict(
            AdSkill.objects.filter(ad__learner=learner)
            .values("skill_id")
            .annotate(n=Count("ad_id"))
            .values_list("skill_id", "n")
        )
    )
    skills = Skill.objects.in_bulk(list(counts))
    standing = skill_standing(learner=learner, skill_ids=counts)
    rows = [MarketRow(skills[i], n, total, standing[i]) for i, n in counts.items()]
    return sorted(rows, key=lambda row: (-row.ads, row.skill.name.lower()))


def market_view_all() -> tuple[int, list[MarketRow]]:
    """Every learner's saved ads at once, for the admin: counts only, never an ad's text or owner."""
    total = SavedAd.objects.count()
    rows = (
        AdSkill.objects.values("skill_id")
        .annotate(n=Count("ad_id"), learners=Count("ad__learner_id", distinct=True))
        .annotate(required=Count("ad_id", filter=Q(required=True)))
        .order_by("-n")
    )
    data = list(rows)
    skills = Skill.objects.in_bulk([row["skill_id"] for row in data])
    return total, [
        MarketRow(skills[row["skill_id"]], row["n"], total, learners=row["learners"]) for row in data
    ]


def jobs_export(*, user: User) -> dict[str, object]:
    """The learner's saved ads with their skills, and the plan's focus, for the JSON export (two queries)."""
    ads = SavedAd.objects.filter(learner=user).prefetch_related("ad_skills__skill")
    focus = JobFocus.objects.filter(learner=user).values_list("ad_id", flat=True).first()
    return {
        "focused_ad_id": focus,
        "saved_ads": [
            {
                "id": ad.pk,
                "title": ad.title,
                "company": ad.company,
                "saved_at": ad.created_at,
                "text": ad.text,
                "skills": [{"slug": s.skill.slug, "required": s.required} for s in ad.ad_skills.all()],
            }
            for ad in ads
        ],
    }
