"""The admin: every page opens, skills and prerequisites are editable, cycles and protected deletes are explained."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib import admin
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import User
from catalog.models import Skill, SkillPrerequisite, Step
from reminders.models import ReminderLog
from roadmap.models import DeliverableCheck, Progress
from tests.catalog.admin_pages import admin_url, inline_rows, one_of_everything
from tests.factories import (
    CourseFactory,
    ProjectIdeaFactory,
    SkillFactory,
    StaffUserFactory,
    StageFactory,
    StepFactory,
    TrackFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def test_staff_can_open_every_changelist_add_and_change_page(staff_client: Client) -> None:
    one_of_everything()
    opened = []
    for model, model_admin in admin.site._registry.items():
        assert staff_client.get(admin_url(model, "changelist")).status_code == 200, model
        request = type("R", (), {"user": User.objects.get(is_staff=True)})()
        if model_admin.has_add_permission(request):
            assert staff_client.get(admin_url(model, "add")).status_code == 200, model
        obj = model._default_manager.first()
        if model._meta.app_label in {"catalog", "roadmap", "accounts", "auth"}:
            assert obj is not None, f"no {model.__name__} to open"
        if obj is not None:
            assert staff_client.get(admin_url(model, "change", obj.pk)).status_code == 200, model
        opened.append(model.__name__)
    assert {"Skill", "Track", "Stage", "Step", "User", "Progress", "ReminderLog"} <= set(opened)


def test_a_non_staff_user_is_sent_to_the_admin_login(client: Client) -> None:
    client.force_login(UserFactory())

    response = client.get(admin_url(Skill, "changelist"))

    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def prerequisite_rows(rows: list[dict[str, Any]], initial: int = 0) -> dict[str, Any]:
    return inline_rows("prerequisite_links", rows, initial)


def skill_form(skill: Skill, **changes: Any) -> dict[str, Any]:
    data = {
        "name": skill.name,
        "slug": skill.slug,
        "category": skill.category,
        "tier": skill.tier,
        "kind": skill.kind,
        "description": skill.description,
        "estimated_hours": skill.estimated_hours,
        "share_low": "" if skill.share_low is None else skill.share_low,
        "share_high": "" if skill.share_high is None else skill.share_high,
        "entry_share_low": "",
        "entry_share_high": "",
        "checked_on": "",
        "aliases-TOTAL_FORMS": 0,
        "aliases-INITIAL_FORMS": 0,
        "aliases-MIN_NUM_FORMS": 0,
        "aliases-MAX_NUM_FORMS": 1000,
    }
    return {**data, **changes}


def test_editing_a_skill_and_its_prerequisites_through_the_admin(staff_client: Client) -> None:
    python, numpy = SkillFactory(name="Python"), SkillFactory(name="NumPy")
    data = skill_form(numpy, estimated_hours=25, share_low="10", share_high="15")
    data |= prerequisite_rows([{"skill": numpy.pk, "requires": python.pk}])

    response = staff_client.post(admin_url(Skill, "change", numpy.pk), data)

    assert response.status_code == 302
    numpy.refresh_from_db()
    assert numpy.estimated_hours == 25
    assert list(numpy.prerequisites.all()) == [python]


def test_the_admin_refuses_a_prerequisite_cycle_and_names_it(staff_client: Client) -> None:
    python, numpy = SkillFactory(name="Python"), SkillFactory(name="NumPy")
    SkillPrerequisite.objects.create(skill=numpy, requires=python)
    data = skill_form(python) | prerequisite_rows([{"skill": python.pk, "requires": numpy.pk}])

    response = staff_client.post(admin_url(Skill, "change", python.pk), data)

    assert response.status_code == 200
    assert "Python → NumPy → Python" in response.content.decode()
    assert not SkillPrerequisite.objects.filter(skill=python).exists()


def test_the_prerequisite_formset_checks_the_whole_resulting_graph() -> None:
    from catalog.admin import PrerequisiteInline

    python, numpy, torch = (
        SkillFactory(name="Python"),
        SkillFactory(name="NumPy"),
        SkillFactory(name="PyTorch"),
    )
    SkillPrerequisite.objects.create(skill=numpy, requires=python)
    SkillPrerequisite.objects.create(skill=torch, requires=numpy)
    request = type("R", (), {"user": StaffUserFactory()})()
    formset_class = PrerequisiteInline(Skill, admin.site).get_formset(request)
    # Two new rows at once; the second closes Python → PyTorch → NumPy → Python.
    data = prerequisite_rows(
        [{"skill": python.pk, "requires": ""}, {"skill": python.pk, "requires": torch.pk}]
    )

    formset = formset_class(data, instance=python)

    assert not formset.is_valid()
    assert "Python → PyTorch → NumPy → Python" in str(formset.errors) + str(formset.non_form_errors())


def test_deleting_a_skill_used_by_a_step_shows_the_protected_page(staff_client: Client) -> None:
    step = StepFactory()

    response = staff_client.post(admin_url(Skill, "delete", step.skill_id), {"post": "yes"})

    assert response.status_code == 200
    assert "protected related objects" in response.content.decode()
    assert Skill.objects.filter(pk=step.skill_id).exists()


def test_bulk_deleting_protected_skills_shows_the_protected_page(staff_client: Client) -> None:
    step = StepFactory()

    response = staff_client.post(
        admin_url(Skill, "changelist"),
        {"action": "delete_selected", "_selected_action": [step.skill_id], "post": "yes"},
    )

    assert response.status_code == 200
    assert "protected related objects" in response.content.decode()


def test_deleting_a_ticked_deliverable_is_refused_with_a_message(staff_client: Client) -> None:
    project = ProjectIdeaFactory()
    deliverable = project.deliverables.create(order=1, text="A public repo")
    progress = Progress.objects.create(learner=UserFactory(), project=project)
    DeliverableCheck.objects.create(progress=progress, deliverable=deliverable)
    data = {
        "title": project.title,
        "slug": project.slug,
        "summary": project.summary,
        "difficulty": project.difficulty,
        "hours": project.hours,
        "deliverables-TOTAL_FORMS": 1,
        "deliverables-INITIAL_FORMS": 1,
        "deliverables-MIN_NUM_FORMS": 0,
        "deliverables-MAX_NUM_FORMS": 1000,
        "deliverables-0-id": deliverable.pk,
        "deliverables-0-project": project.pk,
        "deliverables-0-order": 1,
        "deliverables-0-text": "A public repo",
        "deliverables-0-DELETE": "on",
    }

    response = staff_client.post(admin_url(type(project), "change", project.pk), data)

    assert response.status_code == 200
    assert "would require deleting the following protected related objects" in response.content.decode()
    assert project.deliverables.count() == 1


def test_the_track_page_shows_each_stages_steps_and_links_to_edit_them(staff_client: Client) -> None:
    stage = StageFactory(title="Foundations")
    StepFactory(stage=stage, skill=SkillFactory(name="Python"), optional=True)

    html = staff_client.get(admin_url(type(stage.track), "change", stage.track.pk)).content.decode()

    assert "<li>Python (skill, optional)</li>" in html
    assert reverse("admin:catalog_stage_change", args=[stage.pk]) in html
    assert "Edit the 1 steps of “Foundations”" in html


def test_track_page_queries_do_not_grow_with_steps(staff_client: Client) -> None:
    track = TrackFactory()
    stages = [StageFactory(track=track, order=n) for n in (1, 2)]
    StepFactory(stage=stages[0])

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert (
                staff_client.get(admin_url(type(stages[0].track), "change", stages[0].track.pk)).status_code
                == 200
            )
        return len(ctx)

    few = count()
    for n in range(10):
        StepFactory(stage=stages[n % 2], skill=None, course=CourseFactory())

    assert count() == few


def test_saving_a_stage_with_its_steps_returns_to_the_track(staff_client: Client) -> None:
    stage = StageFactory()
    skill, course = SkillFactory(), CourseFactory()
    data = {
        "track": stage.track.pk,
        "order": stage.order,
        "title": "Renamed",
        "description": "",
        "steps-TOTAL_FORMS": 2,
        "steps-INITIAL_FORMS": 0,
        "steps-MIN_NUM_FORMS": 0,
        "steps-MAX_NUM_FORMS": 1000,
        "steps-0-order": 1,
        "steps-0-skill": skill.pk,
        "steps-1-order": 2,
        "steps-1-course": course.pk,
        "steps-1-optional": "on",
    }

    response = staff_client.post(admin_url(type(stage), "change", stage.pk), data)

    assert response.status_code == 302
    assert response["Location"] == admin_url(type(stage.track), "change", stage.track.pk)
    assert [(s.kind, s.optional) for s in stage.steps.all()] == [("skill", False), ("course", True)]


def test_a_step_row_with_two_items_is_refused_with_a_message(staff_client: Client) -> None:
    stage = StageFactory()
    data = {
        "track": stage.track.pk,
        "order": stage.order,
        "title": stage.title,
        "description": "",
        "steps-TOTAL_FORMS": 1,
        "steps-INITIAL_FORMS": 0,
        "steps-MIN_NUM_FORMS": 0,
        "steps-MAX_NUM_FORMS": 1000,
        "steps-0-order": 1,
        "steps-0-skill": SkillFactory().pk,
        "steps-0-course": CourseFactory().pk,
    }

    response = staff_client.post(admin_url(type(stage), "change", stage.pk), data)

    assert response.status_code == 200
    assert "Choose exactly one of" in response.content.decode()
    assert not Step.objects.exists()


def test_step_changelist_queries_do_not_grow_with_steps(staff_client: Client) -> None:
    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert staff_client.get(admin_url(Step, "changelist")).status_code == 200
        return len(ctx)

    StepFactory()
    few = count()
    for _ in range(10):
        StepFactory(skill=None, course=CourseFactory())

    assert count() == few


def test_progress_changelist_queries_do_not_grow_with_rows(staff_client: Client) -> None:
    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert staff_client.get(admin_url(Progress, "changelist")).status_code == 200
        return len(ctx)

    Progress.objects.create(learner=UserFactory(), skill=SkillFactory())
    few = count()
    for _ in range(10):
        Progress.objects.create(learner=UserFactory(), course=CourseFactory())

    assert count() == few


def test_failed_reminders_can_be_filtered(staff_client: Client) -> None:
    late, fine = UserFactory(display_name="Late Learner"), UserFactory(display_name="Fine Learner")
    ReminderLog.objects.create(user=late, kind="reminder", period="p1", status="failed", error="SMTP down")
    ReminderLog.objects.create(user=fine, kind="reminder", period="p1", status="sent")

    response = staff_client.get(admin_url(ReminderLog, "changelist"), {"status__exact": "failed"})

    assert "Late Learner" in response.content.decode()
    assert "Fine Learner" not in response.content.decode()


def test_user_admin_adds_a_user_by_email(staff_client: Client) -> None:
    response = staff_client.post(
        admin_url(User, "add"),
        {
            "email": "New.Person@Example.com",
            "usable_password": "true",
            "password1": "a-long-pass-phrase-42",
            "password2": "a-long-pass-phrase-42",
        },
    )

    assert response.status_code == 302
    assert User.objects.get(email="new.person@example.com").check_password("a-long-pass-phrase-42")
