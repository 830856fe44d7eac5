"""The learner's own data: download everything as JSON, delete the account after a confirmation."""

from __future__ import annotations

import json
from typing import Any

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.auth import SESSION_KEY
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Profile, User
from catalog.models import Deliverable
from mentoring.models import Mentorship, StepComment
from roadmap.models import DeliverableCheck, EvidenceLink, Plan, Progress, ProgressEvent
from roadmap.services import step_set_status
from tests.factories import PASSWORD, ActiveMentorshipFactory, UserFactory
from tests.plans import Catalog, onboard

DATA = "/accounts/data/"
DOWNLOAD = "/accounts/data/download/"
DELETE = "/accounts/delete/"


@pytest.fixture
def learner(catalog: Catalog, client: Client) -> User:
    """A learner with a plan, a done step with notes, evidence and a mentor's comment, a ticked deliverable."""
    user = UserFactory(email="ada@example.com")
    onboard(user, catalog.core)
    step_set_status(learner=user, kind="skill", item_id=catalog.numpy.pk, status="in_progress", by=user)
    step_set_status(learner=user, kind="skill", item_id=catalog.numpy.pk, status="done", by=user)
    numpy = Progress.objects.get(learner=user, skill=catalog.numpy)
    numpy.notes = "Broadcasting finally clicked."
    numpy.save()
    EvidenceLink.objects.create(progress=numpy, url="https://github.com/ada/numpy", label="Drills")
    mentorship = ActiveMentorshipFactory(learner=user)
    StepComment.objects.create(progress=numpy, author=mentorship.mentor, body="Nice work on broadcasting.")
    deliverable = Deliverable.objects.create(project=catalog.project, order=0, text="A trained model")
    project = Progress.objects.get(learner=user, project=catalog.project)
    DeliverableCheck.objects.create(progress=project, deliverable=deliverable)
    client.force_login(user)
    return user


def download(client: Client) -> dict[str, Any]:
    response = client.get(DOWNLOAD)
    assert response.status_code == 200
    return json.loads(response.content)


def step_named(data: dict[str, Any], slug: str) -> dict[str, Any]:
    return next(p for p in data["progress"] if p["slug"] == slug)


def test_anonymous_visitors_are_sent_to_log_in(client: Client, db: None) -> None:
    for url in (DATA, DOWNLOAD, DELETE):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))


def test_the_data_page_offers_the_download_and_the_deletion(client: Client, learner: User) -> None:
    html = client.get(DATA).content.decode()
    assert f'href="{DOWNLOAD}"' in html and f'href="{DELETE}"' in html


def test_the_download_is_a_json_attachment(client: Client, learner: User) -> None:
    response = client.get(DOWNLOAD)
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"].startswith('attachment; filename="pathwise-data-')
    assert {d.strip() for d in response["Cache-Control"].split(",")} == {"no-store", "private"}


def test_the_download_holds_notes_history_and_evidence(client: Client, learner: User) -> None:
    numpy = step_named(download(client), "numpy")
    assert numpy["status"] == "done"
    assert numpy["notes"] == "Broadcasting finally clicked."
    assert [(h["from"], h["to"], h["by"]) for h in numpy["history"]] == [
        ("not_started", "in_progress", "ada@example.com"),
        ("in_progress", "done", "ada@example.com"),
    ]
    assert numpy["completed_at"]
    assert numpy["evidence"][0]["url"] == "https://github.com/ada/numpy"


def test_the_download_holds_profile_plan_comments_mentorships_and_deliverables(
    client: Client, learner: User
) -> None:
    data = download(client)
    assert data["account"]["email"] == "ada@example.com"
    assert data["profile"]["tracks"] == ["ML Engineer"]
    assert data["profile"]["reminders"]["frequency"] == "weekly"
    assert {"python", "git", "numpy"} <= {i["slug"] for i in data["plan"]["items"]}
    assert step_named(data, "numpy")["comments"][0]["body"] == "Nice work on broadcasting."
    assert step_named(data, "image-classifier")["deliverables_done"][0]["deliverable"] == "A trained model"
    assert data["mentorships"]["my_mentors"][0]["status"] == "active"


def test_the_download_holds_nothing_of_other_learners(
    client: Client, learner: User, catalog: Catalog
) -> None:
    other = UserFactory(email="grace@example.com")
    onboard(other, catalog.core)
    theirs = Progress.objects.get(learner=other, skill=catalog.python)
    theirs.notes = "Grace's secret notes"
    theirs.save()
    body = client.get(DOWNLOAD).content.decode()
    assert "grace@example.com" not in body and "secret" not in body


def test_the_download_query_count_does_not_grow_with_history(client: Client, learner: User) -> None:
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            client.get(DOWNLOAD)
        return len(captured)

    first = queries()
    numpy = Progress.objects.get(learner=learner, skill__slug="numpy")
    for i in range(10):
        ProgressEvent.objects.create(progress=numpy, from_status="done", to_status="done", by=learner)
        EvidenceLink.objects.create(progress=numpy, url=f"https://example.com/{i}")
    assert queries() == first


# ---------------------------------------------------------------- deleting the account


def test_deleting_asks_for_the_password_first(client: Client, learner: User) -> None:
    html = client.get(DELETE).content.decode()
    assert 'type="password"' in html
    assert User.objects.filter(pk=learner.pk).exists()


@pytest.mark.parametrize("password", ["wrong-password", ""])
def test_a_wrong_password_deletes_nothing(client: Client, learner: User, password: str) -> None:
    response = client.post(DELETE, {"password": password})
    assert response.status_code == 400
    assert User.objects.filter(pk=learner.pk).exists()
    assert Progress.objects.filter(learner=learner).exists()
    assert client.session.get(SESSION_KEY) == str(learner.pk)


def test_the_right_password_deletes_the_user_and_everything_of_theirs(client: Client, learner: User) -> None:
    mentor = Mentorship.objects.get(learner=learner).mentor
    response = client.post(DELETE, {"password": PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("home")
    assert any("have been deleted" in str(m) for m in response.context["messages"])
    assert not User.objects.filter(pk=learner.pk).exists()
    assert not Profile.objects.filter(user_id=learner.pk).exists()
    assert not Plan.objects.filter(learner_id=learner.pk).exists()
    assert not Progress.objects.filter(learner_id=learner.pk).exists()
    assert not ProgressEvent.objects.exists()
    assert not EvidenceLink.objects.exists() and not StepComment.objects.exists()
    assert not DeliverableCheck.objects.exists()
    assert not Mentorship.objects.filter(learner_id=learner.pk).exists()
    assert User.objects.filter(pk=mentor.pk).exists()  # the mentor keeps their own account


def test_after_deletion_the_learner_is_logged_out(client: Client, learner: User) -> None:
    client.post(DELETE, {"password": PASSWORD})
    assert SESSION_KEY not in client.session
    assert client.get(reverse("roadmap:plan")).status_code == 302


def test_deleting_the_account_forgets_the_address_in_the_log_in_records(
    client: Client, learner: User, catalog: Catalog
) -> None:
    other = UserFactory(email="bob@example.com")
    anonymous = Client()
    for attempt in ("ADA@example.com", "ada@example.com", other.email):
        anonymous.post(reverse("accounts:login"), {"username": attempt, "password": "guess"})
    Client().post(reverse("accounts:login"), {"username": "ada@example.com", "password": PASSWORD})
    assert AccessLog.objects.filter(username="ada@example.com").exists()

    client.post(DELETE, {"password": PASSWORD})

    for model in (AccessAttempt, AccessFailureLog, AccessLog):
        assert not model.objects.filter(username__iexact="ada@example.com").exists(), model.__name__
    assert AccessAttempt.objects.filter(username=other.email).exists()  # the others keep theirs


def test_the_download_holds_the_weekly_goal_and_the_notification_settings(
    client: Client, learner: User
) -> None:
    from mentoring.models import NotificationSettings
    from roadmap.models import WeeklyGoal

    WeeklyGoal.objects.create(learner=learner, target=6, unit=WeeklyGoal.Unit.HOURS)
    NotificationSettings.objects.create(user=learner, comment="daily")
    data = download(client)
    assert (data["weekly_goal"]["target"], data["weekly_goal"]["unit"]) == (6, "hours")
    assert data["mentoring_notifications"]["settings"]["comment"] == "daily"
