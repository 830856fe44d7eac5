"""A small track with "one of" choices, a course covering skills, an optional step and tiers: the
catalog the plan-that-fits tests build on."""

from __future__ import annotations

from dataclasses import dataclass

from catalog.models import Background, ChoiceGroup, ChoiceOption, Course, Skill, Stage, Tier, Track
from tests.factories import (
    CertificationFactory,
    CourseFactory,
    SkillFactory,
    StageFactory,
    StepFactory,
    TrackFactory,
)
from tests.plans import needs


@dataclass
class FitCatalog:
    track: Track
    stages: list[Stage]
    skills: dict[str, Skill]
    course: Course
    framework: ChoiceGroup
    pytorch: ChoiceOption
    tensorflow: ChoiceOption
    cloud: ChoiceGroup
    aws: ChoiceOption
    gcp: ChoiceOption


def skill(slug: str, hours: int, tier: str = Tier.ESSENTIAL) -> Skill:
    return SkillFactory(name=slug.replace("-", " ").capitalize(), slug=slug, estimated_hours=hours, tier=tier)


def fit_catalog() -> FitCatalog:
    """Stages: foundations (python 20 h, git 5 h), machine learning (a 40 h course covering ml-basics
    30 h and evaluation 20 h; a framework to choose: pytorch or tensorflow, 40 h each; rust, optional,
    50 h), cloud (aws or gcp 30 h each, each with its exam 30 h; mlops 20 h needs aws), career
    (communication 10 h, complementary)."""
    s = {
        "python": skill("python", 20, Tier.FOUNDATION),
        "git": skill("git", 5, Tier.FOUNDATION),
        "ml-basics": skill("ml-basics", 30),
        "evaluation": skill("evaluation", 20),
        "pytorch": skill("pytorch", 40),
        "tensorflow": skill("tensorflow", 40),
        "rust": skill("rust", 50, Tier.DIFFERENTIATOR),
        "aws": skill("aws", 30, Tier.SPECIALISED),
        "gcp": skill("gcp", 30, Tier.SPECIALISED),
        "mlops": skill("mlops", 20, Tier.ADVANCED),
        "communication": skill("communication", 10, Tier.COMPLEMENTARY),
    }
    needs(s["ml-basics"], s["python"])
    needs(s["evaluation"], s["ml-basics"])
    needs(s["pytorch"], s["ml-basics"])
    needs(s["tensorflow"], s["ml-basics"])
    needs(s["mlops"], s["aws"], s["git"])
    course = CourseFactory(title="ML course", slug="ml-course", hours=40)
    course.skills.add(s["ml-basics"], s["evaluation"])
    aws_exam = CertificationFactory(name="AWS ML exam", slug="aws-exam", hours=30)
    aws_exam.skills_validated.add(s["aws"])
    gcp_exam = CertificationFactory(name="GCP ML exam", slug="gcp-exam", hours=30)
    gcp_exam.skills_validated.add(s["gcp"])
    track = TrackFactory(name="ML Engineer", slug="ml-engineer", is_core=True)
    titles = ["Foundations", "Machine learning", "Cloud", "Career"]
    stages = [StageFactory(track=track, order=i + 1, title=t) for i, t in enumerate(titles)]
    framework = ChoiceGroup.objects.create(stage=stages[1], slug="framework", title="Deep-learning framework")
    pytorch = ChoiceOption.objects.create(group=framework, slug="pytorch", title="PyTorch", is_default=True)
    tensorflow = ChoiceOption.objects.create(group=framework, slug="tensorflow", title="TensorFlow", order=1)
    cloud = ChoiceGroup.objects.create(stage=stages[2], slug="cloud", title="Cloud")
    aws = ChoiceOption.objects.create(group=cloud, slug="aws", title="AWS", is_default=True)
    gcp = ChoiceOption.objects.create(group=cloud, slug="gcp", title="Google Cloud", order=1)
    StepFactory(stage=stages[0], order=1, skill=s["python"])
    StepFactory(stage=stages[0], order=2, skill=s["git"])
    StepFactory(stage=stages[1], order=1, skill=s["ml-basics"])
    StepFactory(stage=stages[1], order=2, skill=s["evaluation"])
    StepFactory(stage=stages[1], order=3, skill=None, course=course)
    StepFactory(stage=stages[1], order=4, skill=s["pytorch"], option=pytorch)
    StepFactory(stage=stages[1], order=5, skill=s["tensorflow"], option=tensorflow)
    StepFactory(stage=stages[1], order=6, skill=s["rust"], optional=True)
    StepFactory(stage=stages[2], order=1, skill=s["aws"], option=aws)
    StepFactory(stage=stages[2], order=2, skill=None, certification=aws_exam, option=aws)
    StepFactory(stage=stages[2], order=3, skill=s["gcp"], option=gcp)
    StepFactory(stage=stages[2], order=4, skill=None, certification=gcp_exam, option=gcp)
    StepFactory(stage=stages[2], order=5, skill=s["mlops"])
    StepFactory(stage=stages[3], order=1, skill=s["communication"])
    return FitCatalog(track, stages, s, course, framework, pytorch, tensorflow, cloud, aws, gcp)


# python 20 + git 5 + the course 40 (ml-basics and evaluation inside) + pytorch 40 + aws 30 + its
# exam 30 + mlops 20 + communication 10: the required hours of a newcomer's plan.
REQUIRED_HOURS = 195


def fit_catalog_with_background() -> FitCatalog:
    """fit_catalog() and the software engineer's background, which proposes Python and Git as known."""
    catalog = fit_catalog()
    engineer = Background.objects.create(slug="software_engineer", name="Software engineer")
    engineer.proposed_skills.add(catalog.skills["python"], catalog.skills["git"])
    return catalog
