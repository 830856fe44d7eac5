"""Import and export of what version 2 of the content format added: choice groups and a step's option,
skill aliases, backgrounds, careers, shares as ranges and bounds, checked-on dates; version 1 files."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from catalog.exporting import content_export, content_export_json
from catalog.importing import ContentImportError, content_import, content_import_text
from catalog.models import Background, ChoiceGroup, ChoiceOption, Role, Skill, Step
from tests.catalog.content_files import flush_catalog, sample

pytestmark = pytest.mark.django_db


def choices_of(data: dict[str, Any]) -> list[dict[str, Any]]:
    return data["tracks"][0]["stages"][1]["choices"]


def refused(data: dict[str, Any]) -> list[str]:
    with pytest.raises(ContentImportError) as caught:
        content_import(data=data)
    return caught.value.messages


def test_a_steps_option_and_the_stages_choices_are_imported() -> None:
    content_import(data=sample())

    step = Step.objects.get(certification__slug="cert-new")
    assert step.option is not None
    assert (step.option.group.slug, step.option.slug) == ("cloud", "new-cloud")
    group = ChoiceGroup.objects.get(slug="cloud")
    assert [(o.slug, o.is_default) for o in group.options.all()] == [
        ("new-cloud", True),
        ("other-cloud", False),
    ]
    assert list(Skill.objects.get(slug="pytorch").aliases.values_list("name", flat=True)) == ["Torch"]
    assert list(Background.objects.get().proposed_skills.values_list("slug", flat=True)) == ["python"]
    assert sorted(Role.objects.get().skills.values_list("slug", flat=True)) == ["python", "pytorch"]


def test_export_import_into_an_empty_database_export_is_byte_identical() -> None:
    content_import(data=sample())
    first = content_export_json()

    flush_catalog()
    content_import_text(text=first, fmt="json")

    assert content_export_json() == first


def test_importing_twice_keeps_every_row_and_id() -> None:
    content_import(data=sample())
    ids = list(ChoiceOption.objects.order_by("pk").values_list("pk", "slug", "is_default"))

    result = content_import(data=sample())

    assert list(ChoiceOption.objects.order_by("pk").values_list("pk", "slug", "is_default")) == ids
    assert result.created == {}


def test_the_default_option_can_move_to_another_option() -> None:
    content_import(data=sample())
    data = sample()
    options = choices_of(data)[0]["options"]
    options[0]["default"], options[1]["default"] = False, True

    content_import(data=data)

    assert ChoiceOption.objects.get(is_default=True).slug == "other-cloud"


def test_an_unknown_option_is_refused_naming_step_and_field() -> None:
    data = sample()
    data["tracks"][0]["stages"][1]["steps"][0]["option"] = "cloud/moon"

    assert refused(data) == [
        'tracks[0] "ml-engineer": stages[1].steps[0]: field "option": "cloud/moon" is not '
        '"<choice group>/<option>" of a choice of this stage (this stage\'s options: '
        "cloud/new-cloud, cloud/other-cloud)."
    ]


@pytest.mark.parametrize("value", [["cloud", "new-cloud"], {"cloud": "new-cloud"}, 5, True])
def test_an_option_that_is_not_text_is_refused_not_a_crash(value: Any) -> None:
    data = sample()
    data["tracks"][0]["stages"][1]["steps"][0]["option"] = value

    messages = refused(data)

    assert len(messages) == 1
    assert messages[0].startswith('tracks[0] "ml-engineer": stages[1].steps[0]: field "option": ')


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"choices": "cloud"}, 'field "choices": must be a list of objects.'),
        (
            {"choices": [{"slug": "a b", "title": "Bad slug", "options": []}]},
            'choice group "a b": field "slug"',
        ),
        (
            {
                "choices": [
                    {"slug": "g", "title": "G", "options": [{"slug": "o", "title": "O", "default": "yes"}]}
                ]
            },
            'option "o": field "default": must be true or false.',
        ),
    ],
)
def test_malformed_choices_are_refused_naming_the_place(change: dict[str, Any], message: str) -> None:
    data = sample()
    data["tracks"][0]["stages"][0].update(change)

    assert any(message in m for m in refused(data)), refused(data)


def test_an_option_of_another_stages_group_is_refused() -> None:
    data = sample()
    data["tracks"][0]["stages"][0]["steps"][0]["option"] = "cloud/new-cloud"

    assert refused(data) == [
        'tracks[0] "ml-engineer": stages[0].steps[0]: field "option": "cloud/new-cloud" is not '
        '"<choice group>/<option>" of a choice of this stage (this stage\'s options: none).'
    ]


def test_two_default_options_are_refused() -> None:
    data = sample()
    choices_of(data)[0]["options"][1]["default"] = True

    assert refused(data) == [
        'tracks[0] "ml-engineer": stages[1]: choice group "cloud": field "options": '
        "only one option can be the default, not 2.",
        'tracks[0] "ml-engineer": stages[1].steps[0]: field "option": "cloud/new-cloud" is not '
        '"<choice group>/<option>" of a choice of this stage (this stage\'s options: none).',
    ]


def test_a_choice_group_without_a_slug_or_with_an_unknown_field_is_refused() -> None:
    data = sample()
    choices_of(data).append({"title": "No slug", "colour": "red"})

    assert refused(data) == [
        'tracks[0] "ml-engineer": stages[1].choices[1]: unknown field "colour".',
        'tracks[0] "ml-engineer": stages[1].choices[1]: field "slug": a slug is required.',
    ]


def test_an_unknown_skill_in_a_background_or_role_is_refused_by_name() -> None:
    data = sample()
    data["backgrounds"][0]["proposed_skills"] = ["cobol"]
    data["roles"][0]["skills"] = ["python", "fortran"]

    assert refused(data) == [
        'backgrounds[0] "software_engineer": field "proposed_skills": unknown skill "cobol".',
        'roles[0] "ml-engineer": field "skills": unknown skill "fortran".',
    ]


def test_a_share_range_upside_down_is_refused_by_record_and_field() -> None:
    data = sample()
    data["skills"][2]["share_low"] = "50.00"

    messages = refused(data)

    assert len(messages) == 1
    assert messages[0].startswith('skills[2] "pytorch": ')


def test_a_version_1_file_still_imports_its_single_share_as_the_seeds_meant_it() -> None:
    data = copy.deepcopy(sample())
    data["format"] = "pathwise-content/1"
    for record in data["skills"]:
        for name in (
            "share_low",
            "share_high",
            "entry_share_low",
            "entry_share_high",
            "checked_on",
            "aliases",
        ):
            record.pop(name)
    data["skills"][0]["market_share"] = "4.00"
    data["skills"][1]["market_share"] = None
    data["skills"][2]["market_share"] = "37.50"

    content_import(data=data)

    labels = dict((s.slug, s.share_label) for s in Skill.objects.all())
    assert labels == {"python": "under 5%", "numpy": "", "pytorch": "35-40%"}


def test_checked_on_dates_are_exported() -> None:
    content_import(data=sample())

    exported = content_export()

    assert exported["courses"][0]["checked_on"] == "2026-12-01"
    assert exported["datasets"][0]["checked_on"] is None
