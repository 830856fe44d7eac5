"""Focus my plan on this job: the ad's missing skills (and what they need) lead the plan until removed."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from catalog.models import Skill, Step
from jobs.models import JobFocus, SavedAd
from roadmap.models import PlanItem, Progress
from roadmap.planning import Lane
from tests.factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("shipped")]


def untracked_skill(user: Any) -> Skill:
    """A catalog skill none of the learner's tracks (the core track) holds and their plan lacks."""
    core = Step.objects.filter(stage__track__is_core=True, skill__isnull=False).values("skill_id")
    planned = PlanItem.objects.filter(plan__learner=user, skill__isnull=False).values("skill_id")
    return Skill.objects.exclude(pk__in=core).exclude(pk__in=planned).order_by("slug")[0]


def save(client: Client, text: str, title: str = "ML Engineer, Recommendations") -> SavedAd:
    client.post(reverse("jobs:save"), {"text": text, "title": title})
    return SavedAd.objects.latest("pk")


def scheduled_slugs(user: Any) -> list[str]:
    items = PlanItem.objects.filter(plan__learner=user, lane=Lane.SCHEDULED, known=False, skill__isnull=False)
    return list(items.order_by("position").values_list("skill__slug", flat=True))


def test_focusing_puts_the_missing_skills_and_their_prerequisites_first(client: Client, learner: Any) -> None:
    before = scheduled_slugs(learner)
    target = before[-1]  # the last skill of the plan
    name = Skill.objects.get(slug=target).name
    ad = save(client, f"Requirements:\n- {name}\n- Python")

    response = client.post(reverse("jobs:focus", args=[ad.pk]))

    assert response.status_code == 302
    after = scheduled_slugs(learner)
    assert sorted(after) == sorted(before)
    assert after.index(target) < before.index(target)
    # Only what the skill needs (at any depth) comes before it now.
    items = {item.position: item for item in PlanItem.objects.filter(plan__learner=learner)}
    by_slug = {item.skill.slug: item for item in items.values() if item.skill_id}
    closure, stack = set(), list(by_slug[target].needs)
    while stack:
        position = stack.pop()
        if position not in closure:
            closure.add(position)
            stack.extend(items[position].needs)
    assert {by_slug[slug].position for slug in after[: after.index(target)]} <= closure


def test_a_missing_skill_no_track_holds_joins_the_plan_as_a_step(client: Client, learner: Any) -> None:
    extra = untracked_skill(learner)
    assert not PlanItem.objects.filter(plan__learner=learner, skill=extra).exists()
    ad = save(client, f"Requirements:\n- {extra.name}")
    client.post(reverse("jobs:focus", args=[ad.pk]))

    item = PlanItem.objects.get(plan__learner=learner, skill=extra)
    assert item.lane == Lane.SCHEDULED
    assert "your focus on the job" in item.source

    client.post(reverse("jobs:unfocus"))
    assert not PlanItem.objects.filter(plan__learner=learner, skill=extra).exists()


def test_the_plan_page_shows_the_focus_and_it_can_be_removed(client: Client, learner: Any) -> None:
    ad = save(client, "Requirements:\n- Python\n- Docker\n- Kubernetes\n- SQL")
    client.post(reverse("jobs:focus", args=[ad.pk]))

    html = client.get(reverse("roadmap:plan")).content.decode()
    assert "Focused on: " in html
    assert "ML Engineer, Recommendations</a> — 3 of 4 skills to go" in html

    client.post(reverse("jobs:unfocus"))
    assert not JobFocus.objects.filter(learner=learner).exists()
    assert "Focused on: " not in client.get(reverse("roadmap:plan")).content.decode()
    assert SavedAd.objects.filter(pk=ad.pk).exists()


def test_focus_and_removal_keep_every_status_and_note(client: Client, learner: Any) -> None:
    row = Progress.objects.filter(learner=learner, skill__isnull=False).order_by("pk").first()
    Progress.objects.filter(pk=row.pk).update(status=Progress.Status.IN_PROGRESS, notes="my notes")
    ad = save(client, "Docker and Kubernetes.")
    client.post(reverse("jobs:focus", args=[ad.pk]))
    client.post(reverse("jobs:unfocus"))
    row.refresh_from_db()
    assert (row.status, row.notes) == (Progress.Status.IN_PROGRESS, "my notes")


def test_one_focus_at_a_time_and_deleting_the_ad_removes_it(client: Client, learner: Any) -> None:
    first, second = save(client, "Docker.", "First"), save(client, "Kubernetes.", "Second")
    client.post(reverse("jobs:focus", args=[first.pk]))
    client.post(reverse("jobs:focus", args=[second.pk]))
    assert JobFocus.objects.get(learner=learner).ad == second
    client.post(reverse("jobs:delete", args=[second.pk]))
    assert not JobFocus.objects.filter(learner=learner).exists()


def test_another_learners_ad_cannot_be_focused(client: Client, learner: Any) -> None:
    theirs = SavedAd.objects.create(learner=UserFactory(), title="Theirs", text="Docker.")
    assert client.post(reverse("jobs:focus", args=[theirs.pk])).status_code == 404
    assert not JobFocus.objects.exists()


def test_the_focus_and_saved_ads_are_in_the_json_export(client: Client, learner: Any) -> None:
    ad = save(client, "Docker and Kubernetes.")
    client.post(reverse("jobs:focus", args=[ad.pk]))
    response = client.get(reverse("accounts:data_download"))
    body = b"".join(response.streaming_content) if response.streaming else response.content
    data = json.loads(body)
    assert data["job_ads"]["focused_ad_id"] == ad.pk
    (saved,) = data["job_ads"]["saved_ads"]
    assert saved["title"] == "ML Engineer, Recommendations"
    assert {s["slug"] for s in saved["skills"]} == {"docker", "kubernetes"}
