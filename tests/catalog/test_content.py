"""The shipped content (fixtures/content.json): it loads, reloads idempotently and covers the seeds."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db import models, transaction
from django.test import Client
from django.urls import reverse

from catalog.exporting import content_export_json
from catalog.models import (
    Background,
    Certification,
    ChoiceGroup,
    ChoiceOption,
    Course,
    Dataset,
    Deliverable,
    Pathway,
    ProjectIdea,
    Role,
    RolePairing,
    Skill,
    SkillAlias,
    SkillPrerequisite,
    Stage,
    Step,
    Track,
)

CONTENT = Path(__file__).resolve().parents[2] / "fixtures" / "content.json"
SPECIALISATIONS = ["nlp-llms", "computer-vision", "mlops-deployment", "model-optimisation-edge"]

# What the four seed documents name, as it must appear in a skill's name (whole words, any case).
SEED_SKILLS = [
    # languages and software engineering
    "Python",
    "SQL",
    "Java",
    "R",
    "C++",
    "Scala",
    "Object-oriented programming",
    "testing",
    "Debugging",
    "Git",
    "version control",
    "Modular design",
    "Algorithms and complexity",
    "Vectorised code",
    "Clean, testable code",
    "Maintainable, debuggable ML systems",
    "API design",
    "Web application backend development",
    "Microservices architecture",
    "Frontend development",
    "Embedded systems",
    "GitHub",
    # ML algorithms
    "Supervised learning",
    "Unsupervised learning",
    "Reinforcement learning",
    "Regression",
    "Decision trees",
    "Random forests",
    "Ensemble methods",
    "Gradient boosting",
    "Support vector machines",
    "Clustering",
    "Dimensionality reduction",
    "Neural networks",
    "CNNs",
    "RNNs",
    "Transformers",
    "Model evaluation",
    "Model training",
    "Cross-validation",
    "Model selection",
    "imbalanced data",
    "Recommendation systems",
    "Time series forecasting",
    "AutoML",
    "neural architecture search",
    "Federated learning",
    "Explainable AI",
    "Responsible AI",
    "interpretability",
    "Generative AI",
    # frameworks and libraries
    "scikit-learn",
    "PyTorch",
    "TensorFlow",
    "Keras",
    "pandas",
    "NumPy",
    "SciPy",
    "XGBoost",
    "OpenCV",
    "spaCy",
    "Hugging Face",
    "Data visualisation",
    "FastAPI",
    "Flask",
    "TensorFlow Serving",
    # mathematics
    "Linear algebra",
    "Calculus",
    "Probability",
    "Statistics",
    "Hypothesis testing",
    "gradient descent",
    # data engineering and MLOps
    "Data pipelines",
    "Databases",
    "Feature stores",
    "Experiment tracking",
    "MLflow",
    "Weights & Biases",
    "Model serving",
    "Model serving frameworks",
    "Data cleaning",
    "Exploratory data analysis",
    "Feature engineering",
    "Data normalisation",
    "Data quality",
    "A/B testing",
    "Model monitoring",
    "drift detection",
    "retraining",
    "Evaluation frameworks",
    "End-to-end ML",
    "MLOps",
    # systems and infrastructure
    "Docker",
    "Kubernetes",
    "Apache Airflow",
    "CI/CD",
    "Distributed systems",
    "Apache Spark",
    # cloud
    "AWS",
    "GCP",
    "Azure",
    "SageMaker",
    "Vertex AI",
    "Azure ML",
    "Cloud services architecture",
    # NLP, LLMs, computer vision, optimisation
    "NLP",
    "LLMs",
    "BERT",
    "LLM fine-tuning",
    "LLM application development",
    "Computer vision",
    "YOLO",
    "CUDA",
    "ONNX",
    "TensorRT",
    "Model compression",
    "Edge AI",
    # soft skills
    "Communication",
    "collaboration",
    "Translating business problems into ML problems",
    "Communicating model performance and limitations",
    "continuous learning",
    "Domain expertise",
    "Open-source contribution",
    "Networking",
]
# Courses, certifications and portfolio projects the seeds name, matched in titles.
SEED_COURSES = ["Machine Learning Specialization", "Deep Learning Specialization"]
SEED_CERTIFICATIONS = ["TensorFlow Developer Certificate", "AWS Certified Machine Learning - Specialty"]
SEED_PROJECTS = [
    "recommendation engine",
    "Sentiment analysis",
    "fraud detection",
    "Image classification",
    "forecasting",
    "Kaggle competition",
    "open-source",
    "End-to-end ML system",
]

CATALOG_MODELS: list[type[models.Model]] = [
    Skill,
    SkillPrerequisite,
    Dataset,
    Course,
    Course.skills.through,
    Certification,
    Certification.skills_validated.through,
    Certification.skills_recommended.through,
    ProjectIdea,
    ProjectIdea.skills.through,
    ProjectIdea.datasets.through,
    Deliverable,
    Track,
    Stage,
    Step,
    ChoiceGroup,
    ChoiceOption,
    SkillAlias,
    Background,
    Background.proposed_skills.through,
    Role,
    Role.skills.through,
    RolePairing,
    Pathway,
]


def load_shipped_content() -> None:
    call_command("import_content", str(CONTENT), stdout=io.StringIO())


def all_rows() -> dict[str, list[dict[str, Any]]]:
    """Every catalog row with its id, so a reload that recreates rows shows up as a difference."""
    return {m._meta.label: list(m._default_manager.order_by("pk").values()) for m in CATALOG_MODELS}


@pytest.fixture(scope="module")
def shipped(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    """The shipped file loaded once for this module, rolled back afterwards."""
    with django_db_blocker.unblock(), transaction.atomic():
        load_shipped_content()
        yield
        transaction.set_rollback(True)


pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("shipped")]


def matches(term: str, text: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(term)}(?!\w)", text, re.IGNORECASE) is not None


def test_shipped_content_meets_the_minimum_counts() -> None:
    assert Skill.objects.count() >= 80
    assert Course.objects.count() >= 20
    assert Certification.objects.count() >= 6
    assert ProjectIdea.objects.count() >= 12
    assert Dataset.objects.exists()
    assert Track.objects.count() >= 5


def test_loading_the_shipped_content_twice_changes_nothing() -> None:
    before = all_rows()
    load_shipped_content()
    assert all_rows() == before


def test_exporting_reproduces_the_shipped_file_byte_for_byte() -> None:
    assert content_export_json() == CONTENT.read_text(encoding="utf-8")


def test_every_retired_certification_has_a_retirement_date() -> None:
    retired = Certification.objects.filter(status=Certification.Status.RETIRED)
    assert retired.exists()
    assert not retired.filter(retired_on__isnull=True).exists()


def test_a_retired_certification_points_only_at_an_active_successor() -> None:
    with_successor = Certification.objects.filter(successor__isnull=False).select_related("successor")
    assert with_successor.exists()
    for cert in with_successor:
        assert cert.successor is not None
        assert cert.successor.status == Certification.Status.ACTIVE, cert.slug


def test_no_track_sends_a_learner_to_a_retired_exam() -> None:
    assert not Step.objects.filter(certification__status=Certification.Status.RETIRED).exists()


def test_the_core_ml_engineer_track_has_ordered_stages_with_steps() -> None:
    track = Track.objects.get(slug="ml-engineer")
    assert track.is_core
    stages = list(track.stages.order_by("order"))
    assert 6 <= len(stages) <= 10
    for stage in stages:
        assert stage.steps.exists(), stage.title
    optional_flags = set(Step.objects.filter(stage__track=track).values_list("optional", flat=True))
    assert optional_flags == {True, False}


@pytest.mark.parametrize("slug", SPECIALISATIONS)
def test_each_specialisation_track_has_three_to_five_stages_with_steps(slug: str) -> None:
    track = Track.objects.get(slug=slug)
    assert not track.is_core
    stages = list(track.stages.all())
    assert 3 <= len(stages) <= 5
    for stage in stages:
        assert stage.steps.exists(), stage.title


def test_tracks_mix_skills_courses_certifications_and_projects() -> None:
    steps = Step.objects.all()
    assert steps.filter(skill__isnull=False).exists()
    assert steps.filter(course__isnull=False).exists()
    assert steps.filter(certification__isnull=False).exists()
    assert steps.filter(project__isnull=False).exists()


def test_every_project_idea_has_four_to_six_deliverables() -> None:
    for project in ProjectIdea.objects.prefetch_related("deliverables"):
        assert 4 <= len(project.deliverables.all()) <= 6, project.slug


def test_every_skill_the_seeds_name_is_in_the_catalog_by_name_or_alias() -> None:
    names = list(Skill.objects.values_list("name", flat=True))
    names += list(SkillAlias.objects.values_list("name", flat=True))
    missing = [term for term in SEED_SKILLS if not any(matches(term, name) for name in names)]
    assert missing == []


def test_every_course_certification_and_project_the_seeds_name_is_in_the_catalog() -> None:
    courses = list(Course.objects.values_list("title", flat=True))
    certifications = list(Certification.objects.values_list("name", flat=True))
    projects = list(ProjectIdea.objects.values_list("title", flat=True))
    missing = [t for t in SEED_COURSES if not any(matches(t, title) for title in courses)]
    missing += [t for t in SEED_CERTIFICATIONS if not any(matches(t, name) for name in certifications)]
    missing += [t for t in SEED_PROJECTS if not any(matches(t, title) for title in projects)]
    assert missing == []


def test_shares_read_as_the_seeds_give_them() -> None:
    labels = {s.slug: s.share_label for s in Skill.objects.all()}
    assert labels["python"] == "about 85%"
    assert labels["pytorch"] == "35-40%"
    assert labels["kubernetes"] == "under 5%"


def test_every_certification_has_a_status_and_a_checked_on_date() -> None:
    assert not Certification.objects.filter(checked_on__isnull=True).exists()
    assert set(Certification.objects.values_list("status", flat=True)) == {"active", "retired"}


def test_renamed_services_carry_their_current_names_and_keep_the_old_ones_as_aliases() -> None:
    sagemaker = Skill.objects.get(slug="sagemaker")
    assert sagemaker.name == "Amazon SageMaker AI"
    assert "SageMaker" in set(sagemaker.aliases.values_list("name", flat=True))
    assert "Google Cloud AI Platform" in set(
        Skill.objects.get(slug="vertex-ai").aliases.values_list("name", flat=True)
    )
    assert "Azure AI Foundry" in set(
        Skill.objects.get(slug="microsoft-foundry").aliases.values_list("name", flat=True)
    )


def test_every_link_is_https_and_mnist_no_longer_points_at_its_dead_download() -> None:
    urls = [*Dataset.objects.values_list("url", flat=True), *Course.objects.values_list("url", flat=True)]
    urls += list(Certification.objects.values_list("url", flat=True))
    assert [u for u in urls if not u.startswith("https://")] == []
    assert "yann.lecun.com" not in Dataset.objects.get(slug="mnist").url


def test_the_careers_page_lists_the_ten_roles_the_pairings_and_the_ways_in(client: Client) -> None:
    html = client.get(reverse("catalog:careers")).content.decode()

    for name in (
        "Data analyst",
        "Data engineer",
        "Junior ML engineer",
        "ML engineer",
        "Senior ML engineer",
        "MLOps engineer",
        "Deep learning specialist",
        "AI research scientist",
        "Data science lead",
        "AI architect",
        "ML engineering + Embedded systems development",
        "Internships",
        "Kaggle competitions",
        "Open-source contributions",
    ):
        assert name in html, name
    assert Role.objects.count() == 10
    assert RolePairing.objects.count() == 10
