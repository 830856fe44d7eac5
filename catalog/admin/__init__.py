"""Admin of the catalog, one module per noun; importing them here registers every admin with the site."""

from catalog.admin import careers, choices, courses, projects, skills, tracks
from catalog.admin.base import ITEM_SEARCH_FIELDS, CatalogAdmin, counted
from catalog.admin.skills import PrerequisiteInline

# The names other apps and the tests use stay importable from catalog.admin.
__all__ = [
    "ITEM_SEARCH_FIELDS",
    "CatalogAdmin",
    "PrerequisiteInline",
    "careers",
    "choices",
    "counted",
    "courses",
    "projects",
    "skills",
    "tracks",
]
