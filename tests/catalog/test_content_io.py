"""Content import/export: all-or-nothing imports naming the record at fault, and exact round trips."""

from __future__ import annotations

from typing import Any

import pytest

from catalog.exporting import FORMAT, content_export
from catalog.importing import ContentImportError, content_import, content_import_text
from catalog.models import Certification, ProjectIdea, Skill, SkillPrerequisite, Step, Track
from roadmap.models import DeliverableCheck, Progress
from tests.catalog.content_files import flush_catalog, sample
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def refusal(data: dict[str, Any]) -> list[str]:
    """The messages content_import() refuses `data` with."""
    with pytest.raises(ContentImportError) as caught:
        content_import(data=data)
    return caught.value.messages


def test_import_creates_everything_and_counts_it() -> None:
    result = content_import(data=sample())

    assert result.created == {
        "skills": 3,
        "datasets": 1,
        "courses": 1,
        "certifications": 2,
        "project_ideas": 1,
        "tracks": 1,
        "backgrounds": 1,
        "roles": 1,
        "role_pairings": 1,
        "pathways": 1,
    }
    assert Step.objects.count() == 4
    assert Certification.objects.get(slug="cert-old").successor == Certification.objects.get(slug="cert-new")
    assert list(
        Skill.objects.get(slug="pytorch").prerequisites.order_by("slug").values_list("slug", flat=True)
    ) == [
        "numpy",
        "python",
    ]


def test_export_then_import_into_an_empty_database_reproduces_the_content() -> None:
    content_import(data=sample())
    exported = content_export()

    flush_catalog()
    content_import(data=exported)

    assert content_export() == exported


def test_export_is_sorted_by_slug_and_matches_the_imported_file() -> None:
    content_import(data=sample())

    exported = content_export()

    assert [s["slug"] for s in exported["skills"]] == ["numpy", "python", "pytorch"]
    assert exported["tracks"] == sample()["tracks"]
    assert exported["project_ideas"] == sample()["project_ideas"]


def test_importing_the_same_file_twice_changes_nothing_and_counts_updates() -> None:
    content_import(data=sample())
    before = content_export()

    result = content_import(data=sample())

    assert content_export() == before
    assert result.created == {}
    assert result.updated["skills"] == 3


def test_a_file_with_one_bad_record_changes_nothing_and_names_record_and_field() -> None:
    data = sample()
    data["skills"][2]["tier"] = "expert"
    data["skills"][0]["name"] = "Python 3"

    assert refusal(data) == ['skills[2] "pytorch": field "tier": Value \'expert\' is not a valid choice.']
    assert not Skill.objects.exists()
    assert not Track.objects.exists()


def test_a_bad_record_leaves_existing_content_untouched() -> None:
    content_import(data=sample())
    before = content_export()
    data = sample()
    data["skills"][0]["description"] = "Changed."
    data["tracks"][0]["stages"][1]["steps"][0]["ref"] = "no-such-cert"

    assert refusal(data) == [
        'tracks[0] "ml-engineer": stages[1].steps[0]: field "ref": unknown certification "no-such-cert".'
    ]
    assert content_export() == before


def test_import_refuses_a_prerequisite_cycle_and_names_it() -> None:
    data = sample()
    data["skills"][0]["prerequisites"] = ["pytorch"]

    assert refusal(data) == [
        'skills[0] "python": field "prerequisites": '
        "the prerequisites would form a cycle: NumPy → Python → PyTorch → NumPy."
    ]
    assert not Skill.objects.exists()


def test_import_refuses_a_cycle_closed_against_existing_edges() -> None:
    content_import(data=sample())
    data = {"format": FORMAT, "skills": [{"slug": "python", "prerequisites": ["numpy"]}]}

    assert refusal(data) == [
        'skills[0] "python": field "prerequisites": the prerequisites would form a cycle: NumPy → Python → NumPy.'
    ]
    assert not SkillPrerequisite.objects.filter(skill__slug="python").exists()


def test_unknown_format_is_refused_with_a_clear_message() -> None:
    assert refusal({"format": "other/2", "skills": []}) == [
        'Unknown format "other/2": expected "pathwise-content/2".'
    ]


def test_bad_json_is_refused_with_line_and_column() -> None:
    with pytest.raises(ContentImportError) as caught:
        content_import_text(text='{"format": "pathwise-content/1",\n "skills": [}', fmt="json")

    assert caught.value.messages[0].startswith("Not valid JSON: line 2 column")


def test_duplicate_slugs_and_unknown_fields_are_reported_together() -> None:
    data = sample()
    data["skills"].append(dict(data["skills"][0]))
    data["courses"][0]["teacher"] = "X"

    assert refusal(data) == [
        'skills[3] "python": field "slug": "python" appears twice (also at position 0).',
        'courses[0] "py-course": unknown field "teacher".',
    ]


def test_retired_certification_without_date_is_refused_by_name() -> None:
    data = sample()
    data["certifications"][1]["retired_on"] = None

    messages = refusal(data)

    assert len(messages) == 1
    assert messages[0].startswith('certifications[1] "cert-old": ')


def test_reimport_replaces_stages_and_steps_to_match_the_file() -> None:
    content_import(data=sample())
    data = sample()
    stage = data["tracks"][0]["stages"][0]
    stage["steps"] = [{"order": 1, "kind": "skill", "ref": "numpy", "optional": False, "note": "Now NumPy."}]
    del data["tracks"][0]["stages"][1]

    content_import(data=data)

    assert content_export()["tracks"] == data["tracks"]


def test_removing_a_ticked_deliverable_is_refused_and_changes_nothing() -> None:
    content_import(data=sample())
    before = content_export()
    project = ProjectIdea.objects.get(slug="digits")
    progress = Progress.objects.create(learner=UserFactory(), project=project)
    DeliverableCheck.objects.create(progress=progress, deliverable=project.deliverables.get(order=2))
    data = sample()
    data["project_ideas"][0]["deliverables"] = ["Only one now"]

    assert refusal(data) == [
        'project_ideas[0] "digits": field "deliverables": cannot remove "A short write-up; with numbers": '
        "learners have ticked it off."
    ]
    assert content_export() == before


def test_deliverables_are_updated_in_place_keeping_learners_ticks() -> None:
    content_import(data=sample())
    project = ProjectIdea.objects.get(slug="digits")
    first = project.deliverables.get(order=1)
    progress = Progress.objects.create(learner=UserFactory(), project=project)
    DeliverableCheck.objects.create(progress=progress, deliverable=first)
    data = sample()
    data["project_ideas"][0]["deliverables"] = ["A public repo with a README", "A write-up", "A demo"]

    content_import(data=data)

    assert [d.text for d in project.deliverables.all()] == data["project_ideas"][0]["deliverables"]
    assert project.deliverables.get(order=1).pk == first.pk
