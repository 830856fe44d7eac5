"""A sample content file (every kind of record) and a way to empty the catalog, for the import/export tests."""

from __future__ import annotations

from typing import Any

from catalog.exporting import FORMAT
from catalog.models import (
    Background,
    Certification,
    Course,
    Dataset,
    Deliverable,
    Pathway,
    ProjectIdea,
    Role,
    RolePairing,
    Skill,
    SkillPrerequisite,
    Stage,
    Step,
    Track,
)


def sample() -> dict[str, Any]:
    """A small content file touching every section and relation."""
    return {
        "format": FORMAT,
        "skills": [
            {
                "slug": "python",
                "name": "Python",
                "category": "programming",
                "tier": "foundation",
                "kind": "language",
                "description": "The language of ML.",
                "estimated_hours": 80,
                "share_low": "85.00",
                "share_high": "85.00",
                "entry_share_low": None,
                "entry_share_high": None,
                "checked_on": "2026-12-01",
                "prerequisites": [],
                "aliases": ["Python 3"],
            },
            {
                "slug": "numpy",
                "name": "NumPy",
                "category": "frameworks",
                "tier": "essential",
                "kind": "library",
                "description": "Arrays.",
                "estimated_hours": 20,
                "share_low": None,
                "share_high": None,
                "entry_share_low": None,
                "entry_share_high": None,
                "checked_on": None,
                "prerequisites": ["python"],
                "aliases": [],
            },
            {
                "slug": "pytorch",
                "name": "PyTorch",
                "category": "frameworks",
                "tier": "essential",
                "kind": "framework",
                "description": "Deep learning.",
                "estimated_hours": 60,
                "share_low": "35.00",
                "share_high": "40.00",
                "entry_share_low": None,
                "entry_share_high": None,
                "checked_on": None,
                "prerequisites": ["numpy", "python"],
                "aliases": ["Torch"],
            },
        ],
        "courses": [
            {
                "slug": "py-course",
                "title": "Python for ML",
                "provider": "Somewhere",
                "url": "https://example.com/py",
                "format": "video",
                "cost": "free",
                "hours": 30,
                "level": "beginner",
                "description": "Learn Python.",
                "checked_on": "2026-12-01",
                "skills": ["python"],
            }
        ],
        "certifications": [
            {
                "slug": "cert-new",
                "name": "New Cert",
                "issuer": "Cloud",
                "exam_code": "NEW-01",
                "url": "https://example.com/new",
                "cost": "paid",
                "price_usd": "150.00",
                "validity_months": 36,
                "level": "intermediate",
                "hours": 60,
                "description": "",
                "status": "active",
                "retired_on": None,
                "checked_on": "2026-12-01",
                "successor": None,
                "skills_validated": ["pytorch"],
                "skills_recommended": ["python"],
            },
            {
                "slug": "cert-old",
                "name": "Old Cert",
                "issuer": "Cloud",
                "exam_code": "",
                "url": "https://example.com/old",
                "cost": "paid",
                "price_usd": None,
                "validity_months": None,
                "level": "advanced",
                "hours": 40,
                "description": "Retired.",
                "status": "retired",
                "retired_on": "2024-03-31",
                "checked_on": "2026-12-01",
                "successor": "cert-new",
                "skills_validated": [],
                "skills_recommended": [],
            },
        ],
        "datasets": [
            {
                "slug": "mnist",
                "name": "MNIST",
                "url": "https://example.com/mnist",
                "description": "Digits.",
                "checked_on": None,
            }
        ],
        "project_ideas": [
            {
                "slug": "digits",
                "title": "Digit classifier",
                "summary": "Classify digits.",
                "difficulty": "beginner",
                "hours": 10,
                "skills": ["pytorch"],
                "datasets": ["mnist"],
                "deliverables": ["A public repo", "A short write-up; with numbers"],
            }
        ],
        "tracks": [
            {
                "slug": "ml-engineer",
                "name": "ML Engineer",
                "description": "The core track.",
                "is_core": True,
                "order": 0,
                "stages": [
                    {
                        "order": 1,
                        "title": "Foundations",
                        "description": "",
                        "choices": [],
                        "steps": [
                            {"order": 1, "kind": "skill", "ref": "python", "optional": False, "note": ""},
                            {
                                "order": 2,
                                "kind": "course",
                                "ref": "py-course",
                                "optional": True,
                                "note": "Pick one.",
                            },
                        ],
                    },
                    {
                        "order": 2,
                        "title": "Deep learning",
                        "description": "Nets.",
                        "choices": [
                            {
                                "slug": "cloud",
                                "title": "Cloud",
                                "description": "Pick one cloud.",
                                "options": [
                                    {"slug": "new-cloud", "title": "New Cloud", "default": True},
                                    {"slug": "other-cloud", "title": "Other Cloud", "default": False},
                                ],
                            }
                        ],
                        "steps": [
                            {
                                "order": 1,
                                "kind": "certification",
                                "ref": "cert-new",
                                "optional": False,
                                "note": "",
                                "option": "cloud/new-cloud",
                            },
                            {"order": 2, "kind": "project", "ref": "digits", "optional": False, "note": ""},
                        ],
                    },
                ],
            }
        ],
        "backgrounds": [
            {
                "slug": "software_engineer",
                "name": "Software engineer",
                "description": "You ship code.",
                "order": 0,
                "proposed_skills": ["python"],
            }
        ],
        "roles": [
            {
                "slug": "ml-engineer",
                "name": "ML engineer",
                "level": "core",
                "summary": "Builds ML systems.",
                "adds": "",
                "order": 0,
                "skills": ["python", "pytorch"],
            }
        ],
        "role_pairings": [
            {
                "slug": "ml-mlops",
                "partner": "MLOps",
                "together": "Models that keep working.",
                "order": 0,
                "skills": ["python"],
            }
        ],
        "pathways": [
            {
                "slug": "kaggle",
                "kind": "alternative",
                "title": "Kaggle",
                "description": "Competitions.",
                "order": 0,
            }
        ],
    }


def flush_catalog() -> None:
    for model in (
        Background,
        Role,
        RolePairing,
        Pathway,
        Step,
        Stage,
        Track,
        Deliverable,
        ProjectIdea,
        Dataset,
        Certification,
        Course,
        SkillPrerequisite,
        Skill,
    ):
        model.objects.all().delete()
