"""Admin of the catalog, one module per noun; importing them here registers every admin with the site.

The names other modules use (catalog.admin.ITEM_SEARCH_FIELDS, CatalogAdmin, ...) are re-exported.
"""

from catalog.admin import careers, choices, courses, projects, skills, tracks
from catalog.admin.base import (
    CATALOG_MODELS,
    EXPORT_PERMS,
    IMPORT_PERMS,
    ITEM_RELATED,
    ITEM_SEARCH_FIELDS,
    CatalogAdmin,
    counted,
)
from catalog.admin.skills import PrerequisiteFormSet, PrerequisiteInline, SkillAdmin, SkillAliasInline
from catalog.admin.tracks import StageInline, StepInline, TrackAdmin

__all__ = [
    "CATALOG_MODELS",
    "EXPORT_PERMS",
    "IMPORT_PERMS",
    "ITEM_RELATED",
    "ITEM_SEARCH_FIELDS",
    "CatalogAdmin",
    "PrerequisiteFormSet",
    "PrerequisiteInline",
    "SkillAdmin",
    "SkillAliasInline",
    "StageInline",
    "StepInline",
    "TrackAdmin",
    "careers",
    "choices",
    "counted",
    "courses",
    "projects",
    "skills",
    "tracks",
]
