"""A sample content file (every kind of record) and a way to empty the catalog, for the import/export tests."""

from __future__ import annotations

from typing import Any

from catalog.exporting import FORMAT
from catalog.models import (
    Certification,
    Course,
    Dataset,
    Deliverable,
    ProjectIdea,
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
                "market_share": "85.00",
                "prerequisites": [],
            },
            {
                "slug": "numpy",
                "name": "NumPy",
                "category": "frameworks",
                "tier": "essential",
                "kind": "library",
                "description": "Arrays.",
                "estimated_hours": 20,
                "market_share": None,
                "prerequisites": ["python"],
            },
            {
                "slug": "pytorch",
                "name": "PyTorch",
                "category": "frameworks",
                "tier": "essential",
                "kind": "framework",
                "description": "Deep learning.",
                "estimated_hours": 60,
                "market_share": "40.50",
                "prerequisites": ["numpy", "python"],
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
                "successor": "cert-new",
                "skills_validated": [],
                "skills_recommended": [],
            },
        ],
        "datasets": [
            {"slug": "mnist", "name": "MNIST", "url": "https://example.com/mnist", "description": "Digits."}
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
                        "steps": [
                            {
                                "order": 1,
                                "kind": "certification",
                                "ref": "cert-new",
                                "optional": False,
                                "note": "",
                            },
                            {"order": 2, "kind": "project", "ref": "digits", "optional": False, "note": ""},
                        ],
                    },
                ],
            }
        ],
    }


def flush_catalog() -> None:
    for model in (
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
