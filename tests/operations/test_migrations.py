"""A database of the last release (accounts 0002, roadmap 0002: every model in two apps) migrates to
today's layout (one app per product noun) without losing or changing a row."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from django.apps import apps as current_apps
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

LAST_RELEASE = [("accounts", "0002_initial"), ("roadmap", "0002_learner_planitem_needs")]
NEW_APPS = ("catalog", "mentoring", "reminders")
WHEN = dt.datetime(2026, 11, 2, 9, 30, tzinfo=dt.UTC)


def _migrate(targets: list[tuple[str, str | None]]) -> Any:
    """Migrate the test database to `targets` and return the historical apps of that state."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state([t for t in targets if t[1] is not None]).apps


@pytest.fixture
def last_release() -> Iterator[Any]:
    """The test database rolled back to the last release's schema; forward to today's afterwards."""
    leaves = MigrationExecutor(connection).loader.graph.leaf_nodes()
    old_apps = _migrate(LAST_RELEASE + [(app, None) for app in NEW_APPS])
    try:
        yield old_apps
    finally:
        _migrate(leaves)


def _fill(old: Any) -> dict[str, Any]:
    """One of everything, written through the last release's models."""

    def m(name: str) -> Any:
        return old.get_model("accounts" if name in {"User", "Profile", "Mentorship"} else "roadmap", name)

    learner = m("User").objects.create(email="ada@example.com", display_name="Ada\nLovelace", password="!")
    mentor = m("User").objects.create(email="grace@example.com", display_name="Grace", password="!")
    python = m("Skill").objects.create(
        name="Python", slug="python", category="programming", tier="foundation", description="d"
    )
    numpy = m("Skill").objects.create(
        name="NumPy", slug="numpy", category="programming", tier="essential", description="d"
    )
    m("SkillPrerequisite").objects.create(skill=numpy, requires=python)
    course = m("Course").objects.create(
        title="Intro", slug="intro", provider="P", url="https://example.com/c", hours=12
    )
    course.skills.add(python)
    cert = m("Certification").objects.create(
        name="Cert", slug="cert", issuer="I", url="https://example.com/x"
    )
    cert.skills_validated.add(numpy)
    data = m("Dataset").objects.create(name="MNIST", slug="mnist", url="https://example.com/d")
    project = m("ProjectIdea").objects.create(title="Digits", slug="digits", summary="s")
    project.skills.add(numpy)
    project.datasets.add(data)
    deliverable = m("Deliverable").objects.create(project=project, order=1, text="A notebook")
    track = m("Track").objects.create(name="Core", slug="core", is_core=True)
    stage = m("Stage").objects.create(track=track, order=1, title="Basics")
    m("Step").objects.create(stage=stage, order=1, skill=python)
    profile = m("Profile").objects.create(
        user=learner,
        background="software_engineer",
        hours_per_week=9,
        target_date=dt.date(2027, 6, 2),
        time_zone="Europe/Berlin",
        onboarded_at=WHEN,
        reminder_frequency="daily",
        reminder_weekday=2,
        reminder_hour=7,
        next_reminder_at=WHEN,
        last_reminded_at=WHEN,
    )
    profile.tracks.add(track)
    profile.known_skills.add(python)
    m("Profile").objects.create(user=mentor, reminder_frequency="off")
    plan = m("Plan").objects.create(learner=learner, total_hours=22)
    m("PlanItem").objects.create(plan=plan, position=1, stage_title="Basics", skill=numpy, hours=10)
    m("PlanItem").objects.create(plan=plan, position=2, stage_title="Basics", project=project, hours=20)
    done = m("Progress").objects.create(learner=learner, skill=numpy, status="done", notes="**mine**")
    building = m("Progress").objects.create(learner=learner, project=project, status="in_progress")
    m("ProgressEvent").objects.create(progress=done, from_status="not_started", to_status="done", by=learner)
    m("EvidenceLink").objects.create(progress=building, url="https://example.com/repo", label="Repo")
    m("DeliverableCheck").objects.create(progress=building, deliverable=deliverable)
    m("Mentorship").objects.create(learner=learner, mentor=mentor, key="k" * 40, status="active")
    m("StepComment").objects.create(progress=done, author=mentor, body="Nice work")
    m("CommentReadMarker").objects.create(progress=done, user=learner, read_at=WHEN)
    m("ProjectReview").objects.create(
        progress=building, evidence_url="https://example.com/repo", reviewer=mentor
    )
    m("ReminderLog").objects.create(user=learner, kind="reminder", period="2026-11-02", status="sent")
    return {"learner": learner.pk, "mentor": mentor.pk}


def _model(name: str) -> Any:
    """Today's model class called `name`, wherever it lives now."""
    [model] = [model for model in current_apps.get_models() if model.__name__ == name]
    return model


@pytest.mark.django_db(transaction=True)
def test_a_database_of_the_last_release_keeps_every_row_in_the_new_layout(last_release: Any) -> None:
    old = last_release
    ids = _fill(old)
    before = {
        model.__name__: model.objects.count()
        for model in old.get_models()
        if model._meta.app_label in {"accounts", "roadmap"}
    }
    _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

    after = {name: _model(name).objects.count() for name in before if name != "Profile"}
    assert after == {name: count for name, count in before.items() if name != "Profile"}
    assert _model("Profile").objects.count() == 2
    # Every model now lives in the app its product noun names, on the table it always had.
    homes = {
        name: _model(name)._meta.app_label for name in ("Skill", "Track", "Plan", "Mentorship", "ReminderLog")
    }
    assert homes == {
        "Skill": "catalog",
        "Track": "catalog",
        "Plan": "roadmap",
        "Mentorship": "mentoring",
        "ReminderLog": "reminders",
    }
    assert _model("Skill")._meta.db_table == "roadmap_skill"
    assert _model("Mentorship")._meta.db_table == "accounts_mentorship"

    user = _model("User").objects.get(pk=ids["learner"])
    assert user.display_name == "Ada Lovelace"  # control characters became spaces
    assert user.email_verified_at is not None  # accounts from before verification count as verified
    profile = _model("Profile").objects.get(user=user)
    assert [t.slug for t in profile.tracks.all()] == ["core"]
    assert [s.slug for s in profile.known_skills.all()] == ["python"]
    assert (profile.hours_per_week, profile.target_date, profile.time_zone) == (
        9,
        dt.date(2027, 6, 2),
        "Europe/Berlin",
    )
    numpy = _model("Skill").objects.get(slug="numpy")
    assert [s.slug for s in numpy.prerequisites.all()] == ["python"]
    assert _model("Progress").objects.get(learner=user, skill=numpy).notes == "**mine**"
    assert _model("StepComment").objects.get().author_id == ids["mentor"]
    preferences = {
        p.user_id: (p.frequency, p.weekday, p.hour, p.next_reminder_at, p.last_reminded_at)
        for p in _model("ReminderPreference").objects.all()
    }
    assert preferences == {
        ids["learner"]: ("daily", 2, 7, WHEN, WHEN),
        ids["mentor"]: ("off", 0, 9, None, None),
    }
