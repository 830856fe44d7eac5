"""A role's page: what the role asks beyond the core, and which of its skills the learner has."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from accounts.models import Profile, User
from catalog.models import Role, Skill
from config.http import HtmxHttpRequest
from roadmap.models import PlanItem, Progress
from roadmap.planning import item_state

HAVE = {"known", Progress.Status.DONE}


@dataclass(frozen=True)
class RoleSkill:
    skill: Skill
    state: str  # the learner's state of the skill ("known", "done", "in_progress", ...) or ""

    @property
    def have(self) -> bool:
        return self.state in HAVE


def skill_states(learner: User, skill_ids: list[int]) -> dict[int, str]:
    """The learner's state of each skill by the plan's status rule, in three queries whatever the count:
    known in their profile, else their plan item's state (known or their progress), else their progress."""
    states: dict[int, str] = {}
    # Any: the stubs do not see the annotations with_status() adds.
    rows: Any = PlanItem.objects.filter(plan__learner=learner, skill_id__in=skill_ids).with_status()
    for skill_id, status, known in rows.values_list("skill_id", "status", "known"):
        states[skill_id] = item_state(status=status, known=known)
    progress = Progress.objects.filter(learner=learner, skill_id__in=skill_ids).exclude(
        skill_id__in=list(states)
    )
    states.update(progress.values_list("skill_id", "status"))
    known = Profile.known_skills.through.objects.filter(profile__user=learner, skill_id__in=skill_ids)
    states.update((skill_id, "known") for skill_id in known.values_list("skill_id", flat=True))
    return states


@require_safe
def role_page(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    role = get_object_or_404(
        Role.objects.prefetch_related(Prefetch("skills", Skill.objects.order_by("name"))), slug=slug
    )
    skills = list(role.skills.all())
    states = skill_states(request.user, [s.pk for s in skills]) if request.user.is_authenticated else {}
    rows = [RoleSkill(skill, states.get(skill.pk, "")) for skill in skills]
    context = {"role": role, "rows": rows, "have": sum(row.have for row in rows)}
    return render(request, "roadmap/role.html", context)
