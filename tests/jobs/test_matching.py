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
        ("Nice to have:\n- R, especially the forecast packages", "r-language"),
        ("Measure and reduce inference latency on the device.", "inference-optimisation"),
        ("Contributions to open-source LLM tooling.", "open-source-contribution"),
        ("Analyses with hypothesis tests and confidence intervals.", "hypothesis-testing"),
        ("Run hyperparameter sweeps on small proxies.", "hyperparameter-search"),
        ("Design offline evaluation and check it predicts online results.", "model-evaluation"),
        ("Solid ML fundamentals: model selection and validation.", "model-selection"),
        ("Producing clear data visualisations for clinicians.", "data-visualisation"),
        ("Google Cloud AI Platform.", "vertex-ai"),
        ("what you need:\n~ strong python\n~ gcp\n~ build the rag backend", "gcp"),
        ("what you need:\n~ strong python\n~ gcp\n~ build the rag backend", "rag"),
        ("Fine-tuning with LoRA adapters.", "llm-fine-tuning"),
        ("Data checks in Great Expectations.", "data-validation"),
        ("Deep learning recsys experience at scale.", "recommender-systems"),
        ("Actions such as categorising transactions through tool calling.", "llm-agents"),
        ("From logistic regression to gradient-boosted trees.", "gradient-boosting"),
        ("Jobs on Spark Streaming.", "spark"),
        ("Fine-tuned BERT Base for intent detection.", "bert"),
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
        ("Automated graders and regression dashboards.", "regression"),
        ("Team lunch at Luigi's every Thursday.", "workflow-orchestrators"),
        ("Our partners include Shell Energy.", "command-line"),
        ("Our legendary summer bash in Lisbon.", "command-line"),
        ("Reporting project RAG status each month.", "rag"),
        ("ML inside the EDA flow, i.e. electronic design automation.", "eda"),
        ("The EDA tools are written in C++.", "eda"),
        ("Card numbers go through PCI tokenization first.", "text-preprocessing"),
        ("Where we need new distribution transformers.", "transformers"),
        ("Employment classification: permanent.", "supervised-learning"),
        ("Experience writing GPU kernels in CUDA or Triton.", "model-serving-frameworks"),
        ("Our LoRa soil-sensor network is run by the hardware team.", "llm-fine-tuning"),
        ("We have great expectations for the new platform.", "data-validation"),
        ("We combine customer risk profiling with market data.", "code-performance-optimisation"),
        ("Open data from Statistics Netherlands (CBS).", "statistics"),
        ("For buyers outside the EU we offer DDP shipping.", "distributed-training"),
        ("Legacy scripts still use scikit-image.", "scikit-learn"),
        ("Yes, we do yearly performance evals.", "llm-evaluation"),
        ("This is not the team that plans the Christmas Feast range.", "feature-stores"),
        ("Our agronomists advise growers on pruning.", "pruning"),
        ("Optimizing solvent distillation in our plants.", "knowledge-distillation"),
        ("Predict booking cancellation probability.", "probability"),
        ("We're committed to fairness and equal opportunity in hiring.", "responsible-ai"),
        ("ISP basics such as demosaicing and chroma noise reduction.", "vector-databases"),
        ("News channels from partners such as CNN International.", "cnns"),
        ("AI Platform Engineer, Enterprise AI Platform team.", "vertex-ai"),
        ("Millions of connected edge devices.", "edge-ai"),
        ("Our CTO, Luigi Ferraro, led perception teams.", "workflow-orchestrators"),
        ("Our old R scripts have all been ported to Python.", "r-language"),
        ("The studio behind the multiplayer hit Spark Rivals.", "spark"),
        ("You'll report to Bert Jansen, our Head of Applied AI.", "bert"),
        ("A Series B led by Bedrock Ventures.", "amazon-bedrock"),
        ("Based in the Department of Mathematics and Statistics.", "statistics"),
        ("Substations, transformers, smart meters and other grid-edge devices.", "transformers"),
        ("Substations, transformers, smart meters and other grid-edge devices.", "edge-ai"),
        ("Helpdeck is an AI platform for support teams.", "vertex-ai"),
        ("Loss-spike alerts and per-layer statistics dashboards.", "statistics"),
        ("You may have seen us on CNN's business segment.", "cnns"),
        ("Card numbers are replaced. Evidently, that makes some features harder.", "drift-detection"),
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
        "You will not be doing Java work.",
        "This post does not involve Java.",
        "Not part of this role: Java services and their frontend.",
        "Not needed: machine learning experience, Spark or Java.",
        "We moved off Java last year.",
        "No industry experience or Java required.",
        "Our backend colleagues work in Java; that is not needed for this role.",
        "The data team works in Java, so you will not need those tools either.",
        "We have tried Java over the last two years; it lost every time.",
        "Our core system is written in Java and COBOL; you won't need either.",
        "<p>Our core system is written in Java and COBOL; you won't need either.<br>",
        "The first pipeline was in Java and was rewritten in 2023, so neither is needed.",
        "Our pricing models moved from Java to Python in 2023.",
        "The client is moving everything off Java this year.",
        "Claims work in Java is done by another team and is not part of this role.",
        "Our old pipeline was built on Java. It has been retired and you won't need it.",
        "Product work in Java is handled by the catalogue team, so it isn't part of this role.",
        "Our gameplay code is Java, but this role doesn't touch engine code.",
        "Our very first prototype was written in Java.",
        "Not a Spark/Java role, promise.",
        "PyTorch (we left Java last year).",
        "Our first-generation classifier was built in Java.",
        "The serving infrastructure (Java and Elasticsearch) is owned by that team.",
        "Our web app is built in Java by a separate team.",
        "Our LLM work sits in a separate team, and Java isn't part of this position.",
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


@pytest.mark.parametrize(
    "line",
    [
        "Experience with Kubernetes would be a real plus.",
        "Kubernetes is a big plus.",
        "Erfahrung mit Kubernetes ist ein Plus.",
        "Kubernetes-Kenntnisse sind von Vorteil.",
    ],
)
def test_stronger_and_german_nice_to_have_phrases_mark_their_clause(line: str) -> None:
    assert found(f"Python; {line}") == {"python": True, "kubernetes": False}


def test_we_left_a_tool_negates_only_that_tool() -> None:
    assert found("Want: PyTorch (we left TF last year), C++ for the serving path.") == {
        "pytorch": True,
        "c-plus-plus": True,
    }


def test_a_negation_pointing_back_reaches_only_its_own_line() -> None:
    ad = "- Experience with Docker\n- Our backend team works in Java; that is not needed for this role.\n"
    assert found(ad) == {"docker": True}


def test_an_adverb_named_like_a_tool_is_still_the_tool_in_a_list() -> None:
    assert "drift-detection" in found("Drift monitoring:\n- Evidently, WhyLabs or similar")


def test_skills_under_a_heading_of_what_the_role_is_not_are_not_asked_for() -> None:
    ad = "what you need:\n~ strong python\n\nstuff that's not your job:\n~ the frontend is react\n"
    assert found(ad) == {"python": True}


def test_a_heading_in_pasted_html_is_a_heading() -> None:
    ad = "<h3>What we expect</h3>\n<li>Python</li>\n<h3>Nice to have</h3>\n<li>Airflow or Argo Workflows</li>"
    assert found(ad) == {"python": True, "airflow": False, "workflow-orchestrators": False}


def test_nice_if_marks_a_nice_to_have_section() -> None:
    assert found("what you need:\n~ python\n\nnice if:\n~ you've written cuda kernels") == {
        "python": True,
        "cuda": False,
    }


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("You will train our ranking models in PyTorch.", "model-training"),
        ("Two-tower models that we train nightly.", "model-training"),
        ("Validate models against last year's claims.", "model-evaluation"),
        ("Deploy models behind our API.", "model-serving"),
        ("Monitor forecast quality and models in production.", "model-monitoring"),
        ("Engineer features from weather data.", "feature-engineering"),
        ("Write tests for the preprocessing code.", "testing"),
        ("Work closely with designers and PMs.", "collaboration"),
        ("Experience in the energy sector.", "domain-expertise"),
        ("Tracking forecasting experiments with MLflow.", "experiment-tracking"),
        ("Genuine curiosity about hardware is a must.", "continuous-learning"),
        ("You'd own the pCTR models: train them, ship them to prod.", "model-training"),
        ("You'd own the pCTR models: train them, ship them to prod.", "model-serving"),
        ("Evaluate models offline, then monitor them in production.", "model-monitoring"),
        ("Design, train and ship real-time fraud detection models.", "model-training"),
        ("Develop learning-to-rank models using gradient boosted trees.", "model-training"),
        ("Partner with compliance, risk and product.", "collaboration"),
        ("Turn prototypes into pipelines together with the data scientists.", "collaboration"),
        ("Build CI/CD for ML: automated testing and one-click model deployments.", "testing"),
        ("Build CI/CD for ML: automated testing and one-click model deployments.", "model-serving"),
    ],
)
def test_a_duty_that_plainly_is_a_skill_asks_for_it(text: str, slug: str) -> None:
    assert slug in found(text)


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("We provide training for every new starter.", "model-training"),
        ("You will ship features every week.", "model-serving"),
        ("We build features our customers love.", "feature-engineering"),
        ("A leading company in the energy sector.", "domain-expertise"),
        ("You will not train models here.", "model-training"),
        ("You know what a feature, a training job and a model artefact are.", "model-training"),
        ("You will build model monitoring with Evidently.", "model-training"),
        ("Design LLM evals: build benchmarks, measure models.", "model-training"),
        ("You won't be pre-training or fine-tuning models.", "model-training"),
        ("You won't be training models from scratch.", "model-training"),
    ],
)
def test_words_of_a_duty_without_the_duty_ask_for_nothing(text: str, slug: str) -> None:
    assert slug not in found(text)


def test_a_duty_is_marked_at_its_first_word_and_the_names_inside_it_keep_their_own_marks() -> None:
    text = "You will train our YOLO models."
    spans = {m.slug: [text[a:b] for a, b in m.spans] for m in analyse_ad(text)}
    assert spans == {"model-training": ["train"], "yolo": ["YOLO"]}


def test_the_other_jobs_a_pasted_page_lists_after_the_ad_are_not_asked_for() -> None:
    page = "Requirements\n- Python\n\nSimilar jobs\nFrontend Engineer (React)\nData Engineer (Spark)\n"
    assert found(page) == {"python": True}
    # A menu line that holds the words does not hide the ad below it.
    assert found("Home | More jobs | Log in\nWe need Python and Docker.") == {"python": True, "docker": True}


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
