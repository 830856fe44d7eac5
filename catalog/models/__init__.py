"""The content catalog: skills, courses, certifications, project ideas, data sets, tracks and careers.

One module per noun; every name is re-exported here, so `from catalog.models import Skill` keeps working
and Django finds every model of the app. The tables keep the names they had in the roadmap app (db_table),
so moving here touched no row.
"""

from catalog.models.careers import Background, Pathway, Role, RolePairing
from catalog.models.courses import Certification, Cost, Course, Level
from catalog.models.items import ITEM_FIELDS, ItemKind, ItemRef, exactly_one_item
from catalog.models.projects import Dataset, Deliverable, ProjectIdea
from catalog.models.skills import Category, Skill, SkillAlias, SkillPrerequisite, Tier
from catalog.models.tracks import ChoiceGroup, ChoiceOption, Stage, Step, Track

__all__ = [
    "ITEM_FIELDS",
    "Background",
    "Category",
    "Certification",
    "ChoiceGroup",
    "ChoiceOption",
    "Cost",
    "Course",
    "Dataset",
    "Deliverable",
    "ItemKind",
    "ItemRef",
    "Level",
    "Pathway",
    "ProjectIdea",
    "Role",
    "RolePairing",
    "Skill",
    "SkillAlias",
    "SkillPrerequisite",
    "Stage",
    "Step",
    "Tier",
    "Track",
    "exactly_one_item",
]
