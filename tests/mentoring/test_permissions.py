"""Every mentoring URL and action against every role: who gets a page, a 403, a 404 or the login page."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import User
from mentoring.models import Mentorship, ProjectReview, StepComment
from mentoring.tokens import invite_path
from roadmap.models import PlanItem, Progress
from tests.factories import (
    ActiveMentorshipFactory,
    MentorshipFactory,
    PlanFactory,
    PlanItemFactory,
    ProfileFactory,
    ProgressFactory,
    ProjectIdeaFactory,
    ProjectReviewFactory,
    StaffUserFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "learner",
    "other_learner",
    "active_mentor",
    "pending_mentor",
    "declined_mentor",
    "revoked_mentor",
    "unrelated",
    "staff",
]


@dataclass
class MentoringWorld:
    users: dict[str, User]
    active: Mentorship
    own: dict[str, Mentorship]  # each mentor role's own mentorship with the learner
    link: Mentorship
    skill_item: PlanItem
    project_item: PlanItem


@pytest.fixture
def mentoring_world() -> MentoringWorld:
    """The learner with a plan and a mentor in each mentorship state (active, pending, declined,
    revoked), an invite link, another learner, an unrelated user and staff."""
    learner = UserFactory(display_name="Learner")
    ProfileFactory(user=learner)
    plan = PlanFactory(learner=learner)
    skill_item = PlanItemFactory(plan=plan)
    project_item = PlanItemFactory(plan=plan, skill=None, project=ProjectIdeaFactory())
    other = UserFactory()
    PlanItemFactory(plan=PlanFactory(learner=other))
    active = ActiveMentorshipFactory(learner=learner)
    pending_user = UserFactory()
    declined = ActiveMentorshipFactory(learner=learner, status=Mentorship.Status.DECLINED)
    revoked = ActiveMentorshipFactory(learner=learner, status=Mentorship.Status.REVOKED)
    pending = MentorshipFactory(learner=learner, invited_email=pending_user.email)
    link = MentorshipFactory(learner=learner, channel=Mentorship.Channel.LINK, invited_email="")
    progress = ProgressFactory(learner=learner, skill=None, project=project_item.project)
    ProjectReviewFactory(progress=progress)
    users = {
        "learner": learner,
        "other_learner": other,
        "active_mentor": active.mentor,
        "pending_mentor": pending_user,
        "declined_mentor": declined.mentor,
        "revoked_mentor": revoked.mentor,
        "unrelated": UserFactory(),
        "staff": StaffUserFactory(),
    }
    own = {
        "active_mentor": active,
        "pending_mentor": pending,
        "declined_mentor": declined,
        "revoked_mentor": revoked,
    }
    return MentoringWorld(users, active, own, link, skill_item, project_item)


def mentee_key(mentoring_world: MentoringWorld, role: str) -> str:
    """The mentee handle a role would try: its own mentorship's key, else the active one's."""
    return mentoring_world.own.get(role, mentoring_world.active).key


def snapshot() -> tuple[Any, ...]:
    """Everything a mentoring action can change."""
    return (
        StepComment.objects.count(),
        sorted(ProjectReview.objects.values_list("pk", "status")),
        sorted(Mentorship.objects.values_list("pk", "status", "mentor_id")),
        Progress.objects.count(),
    )


def step_args(item: PlanItem) -> list[str]:
    return [item.kind, item.item.slug]


# Each case: (method, url builder, POST data, expected answer per role). "login" is the login redirect;
# 302 is the success redirect of a POST (the write is checked below by comparing snapshots).
MENTOR_SIDE = {
    "learner": 403,  # it is their own mentorship: they may know it exists
    "other_learner": 404,
    "active_mentor": 200,
    "pending_mentor": 404,  # not accepted: nothing exists for them yet
    "declined_mentor": 403,
    "revoked_mentor": 403,
    "unrelated": 404,
    "staff": 404,
}


def mentor_post(success: int) -> dict[str, int]:
    return {**MENTOR_SIDE, "active_mentor": success}


ALL_OK = dict.fromkeys(ROLES[1:], 200)
OWN_WRITE = {role: 302 for role in ROLES[1:]}
LEARNER_ONLY = {**dict.fromkeys(ROLES[1:], 404), "learner": 302}

CASES: dict[str, tuple[str, Any, dict[str, str], dict[str, int]]] = {
    "dashboard": ("get", lambda w, r: reverse("mentoring:dashboard"), {}, ALL_OK),
    "mentee page": (
        "get",
        lambda w, r: reverse("mentoring:mentee", args=[mentee_key(w, r)]),
        {},
        MENTOR_SIDE,
    ),
    "mentee step": (
        "get",
        lambda w, r: reverse("mentoring:mentee_step", args=[mentee_key(w, r), *step_args(w.skill_item)]),
        {},
        MENTOR_SIDE,
    ),
    "mentor comments": (
        "post",
        lambda w, r: reverse("mentoring:mentee_comment", args=[mentee_key(w, r), *step_args(w.skill_item)]),
        {"body": "A comment"},
        mentor_post(302),
    ),
    "mentor reviews": (
        "post",
        lambda w, r: reverse("mentoring:mentee_review", args=[mentee_key(w, r), *step_args(w.project_item)]),
        {"decision": "approve", "response": "Good"},
        mentor_post(302),
    ),
    "mentor steps down": (
        "post",
        lambda w, r: reverse("mentoring:step_down", args=[mentee_key(w, r)]),
        {},
        mentor_post(302),
    ),
    "mentors page": ("get", lambda w, r: reverse("mentoring:mentors"), {}, ALL_OK),
    "invite by e-mail": (
        "post",
        lambda w, r: reverse("mentoring:mentor_invite"),
        {"email": "someone.new@example.com"},
        OWN_WRITE,
    ),
    "invite link": ("post", lambda w, r: reverse("mentoring:mentor_invite_link"), {}, OWN_WRITE),
    "revoke": (
        "post",
        lambda w, r: reverse("mentoring:mentor_revoke", args=[w.active.key]),
        {},
        LEARNER_ONLY,
    ),
    "e-mail invitation page": (
        "get",
        lambda w, r: invite_path(w.own["pending_mentor"]),
        {},
        {**dict.fromkeys(ROLES[1:], 403), "pending_mentor": 200},
    ),
    "accept e-mail invitation": (
        "post",
        lambda w, r: invite_path(w.own["pending_mentor"]),
        {"decision": "accept"},
        {**dict.fromkeys(ROLES[1:], 403), "pending_mentor": 302},
    ),
    "invite link page": (
        "get",
        lambda w, r: invite_path(w.link),
        {},
        {**ALL_OK, "learner": 403, "active_mentor": 403},  # no self-mentoring; already mentors
    ),
    "learner replies": (
        "post",
        lambda w, r: reverse("mentoring:step_comment", args=step_args(w.skill_item)),
        {"body": "A reply"},
        LEARNER_ONLY,
    ),
    "learner requests a review": (
        "post",
        lambda w, r: reverse("mentoring:step_review", args=step_args(w.project_item)),
        {"evidence_url": "https://github.com/a/b"},
        LEARNER_ONLY,
    ),
}

MATRIX = [(case, role) for case in CASES for role in ROLES]


@pytest.mark.parametrize(("case", "role"), MATRIX, ids=[f"{c} / {r}" for c, r in MATRIX])
def test_permission_matrix(client: Client, mentoring_world: MentoringWorld, case: str, role: str) -> None:
    method, url_for, data, expected = CASES[case]
    if case == "learner requests a review":
        ProjectReview.objects.update(status=ProjectReview.Status.CHANGES_REQUESTED)
    url = url_for(mentoring_world, role)
    if role != "anonymous":
        client.force_login(mentoring_world.users[role])
    before = snapshot()
    response = getattr(client, method)(url, data)
    if role == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login") + "?next=")
    else:
        assert response.status_code == expected[role]
    writes = method == "post" and role != "anonymous" and expected[role] == 302
    if not writes:
        assert snapshot() == before, "a refused request changed something"
    else:
        assert snapshot() != before, "an allowed request wrote nothing"


@pytest.mark.parametrize("role", [r for r in ROLES if r != "active_mentor"])
def test_nobody_but_the_active_mentor_sees_the_learner_on_a_dashboard(client, mentoring_world, role):
    if role != "anonymous":
        client.force_login(mentoring_world.users[role])
    response = client.get(reverse("mentoring:dashboard"), follow=True)
    assert mentoring_world.active.key not in response.content.decode()


def test_the_active_mentor_sees_the_learner_on_the_dashboard(client, mentoring_world):
    client.force_login(mentoring_world.active.mentor)
    assert (
        reverse("mentoring:mentee", args=[mentoring_world.active.key])
        in client.get(reverse("mentoring:dashboard")).content.decode()
    )


def test_an_unknown_mentee_handle_is_not_found(client, mentoring_world):
    client.force_login(mentoring_world.active.mentor)
    assert client.get(reverse("mentoring:mentee", args=["no-such-key"])).status_code == 404


def test_a_mentor_cannot_reach_another_learners_step_through_their_mentee_handle(client, mentoring_world):
    stranger_item = PlanItem.objects.exclude(plan__learner=mentoring_world.active.learner).first()
    client.force_login(mentoring_world.active.mentor)
    url = reverse("mentoring:mentee_step", args=[mentoring_world.active.key, *step_args(stranger_item)])
    assert client.get(url).status_code == 404


def test_a_learner_cannot_revoke_a_mentorship_of_someone_else(client, mentoring_world):
    client.force_login(mentoring_world.users["other_learner"])
    assert (
        client.post(reverse("mentoring:mentor_revoke", args=[mentoring_world.active.key])).status_code == 404
    )
    mentoring_world.active.refresh_from_db()
    assert mentoring_world.active.status == Mentorship.Status.ACTIVE


def test_get_on_an_action_is_not_allowed(client, mentoring_world):
    client.force_login(mentoring_world.active.learner)
    assert client.get(reverse("mentoring:mentor_invite_link")).status_code == 405
