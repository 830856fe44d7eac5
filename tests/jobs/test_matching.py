"""The matcher finds what an ad asks for by name and alias, and gets the hard cases right."""

from __future__ import annotations

import pytest

from catalog.models import Skill, SkillAlias
from jobs.matching import analyse_ad

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("shipped")]


def found(text: str) -> dict[str, bool]:
    """slug -> required, for what the ad asks for."""
    return {m.slug: m.required for m in analyse_ad(text)}


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("Experience with torch and sklearn.", "pytorch"),
        ("Experience with torch and scikit learn.", "scikit-learn"),
        ("You know PCA and UMAP.", "dimensionality-reduction"),
        ("You know SageMaker AI.", "sagemaker"),
        ("Pipelines in GitHub Actions.", "ci-cd"),
        ("We practise continuous integration.", "ci-cd"),
        ("We run k8s.", "kubernetes"),
        ("Azure ML pipelines.", "azure-ml"),
        ("Google Cloud AI Platform.", "vertex-ai"),
        ("Fluent in R and Python.", "r-language"),
        ("Our stack: Apache Spark.", "spark"),
        ("Our stack: PySpark.", "spark"),
        ("We use LLMs daily.", "llms"),
    ],
)
def test_names_and_aliases_job_ads_use_are_found(text: str, slug: str) -> None:
    assert slug in found(text)


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("Our frontend is JavaScript.", "java"),
        ("Java Script must be enabled.", "java"),
        ("Our R&D team publishes.", "r-language"),
        ("The letter R is on our logo.", "r-language"),
        ("The R in our name is silent.", "r-language"),
        ("We store events in NoSQL.", "sql"),
        ("Tickets live in Azure DevOps boards.", "azure-ml"),
        ("Tickets live in Azure DevOps boards.", "azure"),
        ("You will spark joy and spark ideas.", "spark"),
        ("We work on AML/KYC compliance models.", "azure-ml"),
        ("We need regression testing of the app in Python.", "regression"),
    ],
)
def test_lookalikes_are_not_skills(text: str, slug: str) -> None:
    assert slug not in found(text)


def test_go_getters_and_go_to_conferences_match_nothing() -> None:
    assert found("We hire go-getters who go to conferences. Go beyond!") == {}


@pytest.mark.parametrize(
    "text",
    [
        "You will not need Java.",
        "No Java required.",
        "No Java, Scala or Kubernetes experience needed.",
        "Knowledge of Java is not required.",
        "We don't use Java.",
        "Our web team uses JavaScript, not Java.",
    ],
)
def test_a_skill_the_ad_says_is_not_needed_is_not_asked_for(text: str) -> None:
    assert "java" not in found(text + " Python is essential.")
    assert found(text + "\nPython is essential.")["python"] is True


def test_skills_under_a_nice_to_have_heading_are_nice_to_have_and_the_rest_required() -> None:
    ad = "Requirements:\n- Python\n- Docker\n\nNice to have:\n- Kubernetes\n- Terraform\n"
    assert found(ad) == {"python": True, "docker": True, "kubernetes": False, "infrastructure-as-code": False}


@pytest.mark.parametrize(
    "line", ["Kubernetes is a plus.", "Bonus: Kubernetes.", "Kubernetes preferred.", "Ideally Kubernetes."]
)
def test_nice_to_have_phrases_mark_only_their_own_clause(line: str) -> None:
    assert found(f"Python; {line}") == {"python": True, "kubernetes": False}


def test_we_welcome_graduates_who_know_a_skill_still_requires_it() -> None:
    assert found("We welcome graduates who know Python. Docker experience welcome.") == {
        "python": True,
        "docker": False,
    }


def test_not_required_but_a_plus_is_nice_to_have() -> None:
    assert found("Kubernetes is not required, but a plus.") == {"kubernetes": False}


def test_each_match_carries_the_spans_of_every_mention() -> None:
    text = "PyTorch first. Later torch again."
    (match,) = analyse_ad(text)
    assert [text[a:b] for a, b in match.spans] == ["PyTorch", "torch"]


def test_a_new_alias_is_matched_without_restarting_the_process() -> None:
    assert "docker" not in found("We ship containers with Podman.")
    SkillAlias.objects.create(skill=Skill.objects.get(slug="docker"), name="Podman")
    assert "docker" in found("We ship containers with Podman.")


def test_a_renamed_skill_is_matched_by_its_new_name() -> None:
    Skill.objects.filter(slug="yolo").update(name="YOLO")  # update() sends no signal: stamp unchanged
    skill = Skill.objects.get(slug="yolo")
    skill.name = "You Only Look Once"
    skill.save()
    assert "yolo" in found("Detectors like You Only Look Once.")
