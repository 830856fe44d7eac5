"""A small world of users in every role, shared by the permission and fuzzing tests."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.contrib.auth.tokens import default_token_generator
from django.db import transaction
from django.test import Client
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from accounts.models import User
from catalog.models import Deliverable
from mentoring.models import Mentorship
from mentoring.tokens import invite_token
from reminders.tokens import unsubscribe_token
from roadmap.models import EvidenceLink, Progress
from roadmap.services import progress_get_or_create
from tests.factories import (
    ActiveMentorshipFactory,
    MentorshipFactory,
    ProjectReviewFactory,
    SkillFactory,
    StaffUserFactory,
    StageFactory,
    StepCommentFactory,
    StepFactory,
    TrackFactory,
    UserFactory,
)
from tests.plans import Catalog, onboard, sample_catalog

ANONYMOUS = "anonymous"
LEARNER = "learner"  # owns the plan, progress, evidence and mentorships below
OTHER_LEARNER = "other learner"  # has a plan of their own, with none of the learner's steps
MENTOR = "mentor"  # the learner's active mentor
UNRELATED = "unrelated user"  # logged in, no profile, no plan, no mentorship
STAFF = "staff"
ROLES = (ANONYMOUS, LEARNER, OTHER_LEARNER, MENTOR, UNRELATED, STAFF)


@dataclass
class World:
    catalog: Catalog
    users: dict[str, User | None]
    project_progress: Progress
    evidence: EvidenceLink
    deliverable: Deliverable
    mentorship: Mentorship  # active: the learner and the mentor
    invitation: Mentorship  # the learner's pending invite link
    other_skill_slug: str  # in the other learner's plan only

    @property
    def learner(self) -> User:
        user = self.users[LEARNER]
        assert user is not None
        return user

    def client(self, role: str) -> Client:
        client = Client()
        user = self.users[role]
        if user is not None:
            client.force_login(user)
        return client

    def invite_token(self) -> str:
        return invite_token(self.invitation)

    def unsubscribe_token(self) -> str:
        return unsubscribe_token(user=self.learner)

    def password_reset_kwargs(self) -> dict[str, str]:
        """A genuine reset link, for a user of its own: logging in (as the roles do) voids a reset token."""
        user = UserFactory(email="forgetful@example.com")
        return {
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        }


def build_world() -> World:
    catalog = sample_catalog()
    learner = UserFactory(email="learner@example.com", display_name="Lena Learner")
    other = UserFactory(email="other@example.com", display_name="Otto Other")
    mentor = UserFactory(email="mentor@example.com", display_name="Mia Mentor")
    unrelated = UserFactory(email="unrelated@example.com")
    staff = StaffUserFactory(email="staff@example.com")
    onboard(learner, catalog.core)
    other_skill = SkillFactory(name="Knitting", slug="knitting")
    other_track = TrackFactory(name="Crafts", slug="crafts", order=9)
    StepFactory(stage=StageFactory(track=other_track, order=1), order=1, skill=other_skill)
    onboard(other, other_track)

    deliverable = Deliverable.objects.create(project=catalog.project, order=1, text="A model card")
    progress = progress_get_or_create(learner=learner, kind="project", item_id=catalog.project.pk)
    progress.notes = "My private notes."
    progress.save(update_fields=["notes"])
    evidence = EvidenceLink.objects.create(progress=progress, url="https://github.com/lena/classifier")
    mentorship = ActiveMentorshipFactory(learner=learner, mentor=mentor)
    invitation = MentorshipFactory(
        learner=learner, channel=Mentorship.Channel.LINK, invited_email="", key=secrets.token_urlsafe(32)
    )
    StepCommentFactory(progress=progress, author=mentor, body="Add a confusion matrix.")
    ProjectReviewFactory(progress=progress, evidence_url="https://github.com/lena/classifier")
    users: dict[str, User | None] = {
        ANONYMOUS: None,
        LEARNER: learner,
        OTHER_LEARNER: other,
        MENTOR: mentor,
        UNRELATED: unrelated,
        STAFF: staff,
    }
    return World(catalog, users, progress, evidence, deliverable, mentorship, invitation, "knitting")


@contextmanager
def module_world(django_db_blocker: Any) -> Iterator[World]:
    """The world, built once for a test module inside a transaction that is rolled back at the end.

    Each test runs in a savepoint inside it (pytest-django's own atomic block), so what one test
    changes is gone before the next.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_world()
        transaction.set_rollback(True)


@contextmanager
def rolled_back() -> Iterator[None]:
    """Run a block (one hypothesis example) and undo its writes."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


SNAPSHOT_APPS = ("accounts", "catalog", "roadmap", "mentoring", "reminders")


def snapshot() -> dict[str, list[dict[str, Any]]]:
    """Every row of the product's own tables, to prove a request wrote nothing."""
    rows = {}
    for app in SNAPSHOT_APPS:
        for model in apps.get_app_config(app).get_models(include_auto_created=True):
            rows[model._meta.label] = list(model._default_manager.order_by("pk").values())
    return rows


def changed_tables(
    before: dict[str, list[dict[str, Any]]], after: dict[str, list[dict[str, Any]]]
) -> list[str]:
    return sorted(label for label in before if before[label] != after[label])
