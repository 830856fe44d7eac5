"""Helpers shared by the mentoring tests: plans for mentees, progress on their items, the URLs."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from mentoring.models import Mentorship
from mentoring.tokens import invite_path
from roadmap.models import PlanItem, Progress
from tests.factories import PlanFactory, PlanItemFactory, ProfileFactory, ProgressFactory, ProjectIdeaFactory


def plan_for(learner: Any, steps: int = 3, *, project: bool = False) -> list[PlanItem]:
    """A built plan for `learner` of `steps` skill items (plus one project item if asked)."""
    ProfileFactory(user=learner)
    plan = PlanFactory(learner=learner)
    items = PlanItemFactory.create_batch(steps, plan=plan)
    if project:
        items.append(PlanItemFactory(plan=plan, skill=None, project=ProjectIdeaFactory()))
    return items


def same_item(item: PlanItem) -> dict[str, Any]:
    """Factory arguments pointing a Progress at the catalog item of a plan item."""
    return {"skill": None, item.kind: item.item}


def done(learner: Any, item: PlanItem, *, days_ago: int = 0) -> Progress:
    at = timezone.now() - timedelta(days=days_ago)
    return ProgressFactory(
        learner=learner, status=Progress.Status.DONE, completed_at=at, updated_at=at, **same_item(item)
    )


def progress_on(learner: Any, item: PlanItem) -> Progress:
    return ProgressFactory(learner=learner, **same_item(item))


def invitation_url(mentorship: Mentorship) -> str:
    return invite_path(mentorship)


def step_url(mentorship: Mentorship, item: PlanItem, action: str = "mentee_step") -> str:
    return reverse(f"mentoring:{action}", args=[mentorship.key, item.kind, item.item.slug])


def dashboard_row(client: Any, mentor: Any) -> Any:
    client.force_login(mentor)
    response = client.get(reverse("mentoring:dashboard"))
    return response.context["rows"]


def render_learner_step(learner: Any, item: PlanItem) -> str:
    """The mentoring part of the learner's own step page, as the step template includes it."""
    request = RequestFactory().get("/")
    request.user = learner
    template = Template('{% include "mentoring/_step_mentoring.html" with kind=kind item=item %}')
    return template.render(Context({"request": request, "kind": item.kind, "item": item.item}))
