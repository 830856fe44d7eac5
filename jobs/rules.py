"""The matcher's rules as data: which names are ambiguous, what vetoes them, what negates or softens a skill.

Every entry is lower case unless it is a case-sensitive surface form. Change these tables, not the code,
when the labelled set (tests/jobs/ads/) shows a miss or a false match.
"""

from __future__ import annotations

# Names that are also ordinary English words or other abbreviations: they match only as written here
# (case-sensitively), so "spark joy" and "the R&D team" do not count. Names of up to
# SHORT_NAME_LENGTH characters are treated the same way.
CASE_SENSITIVE = frozenset(
    {
        "Spark",
        "Airflow",
        "Bedrock",
        "Prefect",
        "Evidently",
        "Flask",
        "Go",
        "React",
        "Helm",
        "Feast",
        "LIME",
        "SHAP",
        "Triton",
        # The data validation library, not "great expectations for the new platform"; low-rank
        # adaptation, not LoRa radio.
        "Great Expectations",
        "Chroma",  # the vector database, not "chroma noise reduction"
        "LoRA",
    }
)
SHORT_NAME_LENGTH = 3
# ...except these acronyms, which are no English word: an ad written all in lower case ("gcp", "rag
# backend") names them too.
ANY_CASE_SHORT = frozenset({"GCP", "AWS", "SQL", "RAG", "NLP", "LLM", "GIT", "TGI"})

# A matched name (keyed in lower case) vetoed when the next token is one of these (lower case): "Azure DevOps boards",
# "TF-IDF", "R-squared", "Go-getters".
VETO_NEXT: dict[str, frozenset[str]] = {
    "azure": frozenset({"devops", "boards", "repos", "active", "ad", "functions"}),
    "r": frozenset({"-", "&", "squared", "²"}),
    "tf": frozenset({"-"}),
    "go": frozenset({"-", "to", "beyond", "ahead", "above", "for", "getter", "getters"}),
    "spark": frozenset({"curiosity", "joy", "ideas", "conversations", "change", "interest", "innovation"}),
    "amp": frozenset({"-"}),
    "java": frozenset({"script"}),
    "regression": frozenset(
        {"testing", "tests", "test", "suite", "suites", "dashboards", "dashboard", "checks"}
    ),
    # "Team lunch at Luigi's", "Shell Energy", a project's "RAG status" (red, amber, green), "EDA tools".
    "luigi": frozenset({"'s"}),
    "shell": frozenset({"energy", "plc", "oil", "gas"}),
    "rag": frozenset({"status", "rating", "ratings", "report", "reports"}),
    "eda": frozenset({"tool", "tools", "flow", "flows", "vendor", "vendors"}),
    # Statistics offices: "Statistics Netherlands (CBS)".
    "statistics": frozenset(
        {
            "dashboard",
            "dashboards",
            "netherlands",
            "canada",
            "norway",
            "sweden",
            "finland",
            "denmark",
            "austria",
        }
    ),
    "ddp": frozenset({"shipping", "delivery", "terms", "incoterms"}),  # delivered duty paid
    "bedrock": frozenset({"ventures", "capital", "partners"}),  # investors
    "scikit": frozenset({"-"}),  # scikit-image, scikit-optimize: scikit-learn is matched whole
    "cnn": frozenset({"'s"}),
}
# ...or when the previous token is one of these: "Q&A / R", "B-R".
VETO_PREVIOUS: dict[str, frozenset[str]] = {
    "r": frozenset({"&", "-", "letter", "the", "an", "old"}),
    "go": frozenset({"-", "to", "will", "can", "let's", "and", "'ll"}),
    "spark": frozenset({"the", "to", "will", "that"}),
    # "PCI tokenization" of card numbers, "distribution transformers" of a power grid, "employment
    # classification: permanent", "our summer bash".
    "tokenization": frozenset({"pci", "card", "payment", "payments"}),
    "tokenisation": frozenset({"pci", "card", "payment", "payments"}),
    "transformers": frozenset({"distribution", "power", "voltage", "electrical", "substation"}),
    "transformer": frozenset({"distribution", "power", "voltage", "electrical", "substation"}),
    "classification": frozenset({"employment", "job", "role", "contract", "security"}),
    "cnn": frozenset({"on"}),  # "as seen on CNN"
    "distillation": frozenset({"solvent", "fractional", "vacuum", "steam"}),
    "probability": frozenset({"cancellation", "default", "churn", "conversion", "purchase", "click"}),
    "evals": frozenset({"performance", "yearly", "annual"}),  # staff appraisals
    "profiling": frozenset({"risk", "customer", "customers", "user", "criminal"}),
    "feast": frozenset({"christmas", "holiday", "summer"}),
    "bash": frozenset({"summer", "winter", "christmas", "holiday", "birthday", "launch", "annual"}),
    "edge devices": frozenset(
        {"-", "connected"}
    ),  # "grid-edge devices", a network's "connected edge devices"
}
# ...unless the next token is one of these: "the R language" is R, "the R in our name" is not.
ALLOW_NEXT: dict[str, frozenset[str]] = {
    "r": frozenset({"language", "programming", "ecosystem", "packages", "shiny"}),
}
# ...or when its sentence holds any of these words (anti-money-laundering is not Azure ML).
VETO_IN_SENTENCE: dict[str, frozenset[str]] = {
    "aml": frozenset({"kyc", "laundering", "sanctions", "compliance", "fraud"}),
    # Triton the GPU kernel language, not the inference server; EDA as electronic design automation.
    "triton": frozenset({"kernel", "kernels"}),
    "eda": frozenset({"electronic", "semiconductor", "semiconductors", "chip", "chips"}),
    "pruning": frozenset({"growers", "orchard", "orchards", "trees", "vines", "agronomists"}),
    "fairness": frozenset({"hiring", "opportunity", "employer", "recruitment", "applicants"}),  # hiring
    "statistics": frozenset({"department", "faculty"}),  # "the Department of Mathematics and Statistics"
    "transformers": frozenset({"substation", "substations", "grid", "voltage"}),  # a power grid's
}

# Names that are also first names: not a skill before a capitalised word ("Our CTO, Luigi Ferraro").
FIRST_NAMES = frozenset({"luigi", "bert"})

# Product names that also name companies and games ("the hit Spark Rivals"): not a skill before a
# capitalised word, unless it is one of the product's own parts ("Spark Streaming").
NAME_PARTS = {
    "spark": frozenset({"streaming", "structured", "mllib", "ml", "sql", "connect", "core", "ui"}),
    "cnn": frozenset({"models", "model", "architecture", "architectures", "layers", "backbone", "backbones"}),
}

# Names that are also adverbs: not a skill when they open a sentence with a comma after them
# ("Evidently, that makes a few features harder"); in a list ("- Evidently, WhyLabs") they are.
ADVERB_NAMES = frozenset({"evidently"})

# Words that end a clause: a negation or "a plus" does not reach past them.
CLAUSE_BREAKS = frozenset({";", "but", "however", "whereas", "while", "although", "though", "|"})

# Negation before a skill, anywhere earlier in its clause: "you will not need Java".
NEGATION_BEFORE = (
    "will not need",
    "won't need",
    "wo n't need",
    "do not need",
    "don't need",
    "do n't need",
    "does not need",
    "no need for",
    "no need to know",
    "not required to know",
    "do not expect",
    "don't expect",
    "do n't expect",
    "not expected to know",
    "need not know",
    "no prior",
    "don't use",
    "do not use",
    "do n't use",
    "are not an",
    "are not a",
    "is not an",
    "'re not an",
    "will not be doing",
    "won't be doing",
    "wo n't be doing",
    "does not involve",
    "doesn't involve",
    "does n't involve",
    "will not involve",
    "not part of this role",
    "not part of the role",
    "not needed :",
    "not required :",
    # What the team used before: "we moved off SageMaker last year".
    "moved off",
    "moved away from",
    "migrated off",
    "migrated away from",
    "no longer use",
    "moving off",
    "moving away from",
    "moved everything off",
    "moving everything off",
    "won't write",
    "wo n't write",
    "will not write",
    "won't need to write",
    "wo n't need to write",
    "will not need to write",
    "wo n't be training",
    "wo n't be pre",
    "wo n't be fine",
    "will not be training",
    "will not be pre",
    "will not be fine",
    "by a separate",
    "not building",
    "first prototype was",
    "first-generation",
    "first generation",
    "we have tried",
    "we 've tried",
    "we tried",
)
# ...or at the sentence before, when its own opens with one of these: "It was built on spaCy. It has
# been retired and you won't need it."
NEGATION_BACK_PRONOUNS = frozenset({"it", "that", "this", "they", "those", "these"})
# Negation pointing back at what its sentence named before it: "They work in Spark, so you will not
# need those tools", "Our backend is Java; that is not needed here", "We have tried LSTMs".
NEGATION_BACK = (
    "that is not needed",
    "that's not needed",
    "that 's not needed",
    "that is not required",
    "which is not needed",
    "which is not required",
    "will not need those",
    "won't need those",
    "wo n't need those",
    "will not need them",
    "won't need them",
    "wo n't need them",
    "that is long gone",
    "won't need either",
    "wo n't need either",
    "will not need either",
    "won't need to touch",
    "wo n't need to touch",
    "will not need to touch",
    "neither is needed",
    "neither is required",
    "none of that is",
    "none of this is",
    "owned by another team",
    "owned by two other people",
    "built by another team",
    "not part of this role",
    "not part of the role",
    "no longer required",
    "no longer needed",
    "won't need it",
    "wo n't need it",
    "will not need it",
    "owned by a separate",
    "built by a separate",
    "handled by the",
    "handled by a",
    "handled by another",
    "isn't part of this role",
    "is n't part of this role",
    "isn't part of this position",
    "is n't part of this position",
    "not part of this position",
    "by a separate",
    "is owned by",
    "are owned by",
    "doesn't touch",
    "does n't touch",
    "nobody will ask",
    "has been retired",
)
# "no" (or "not") negates the skills that follow it while only these words (or other skills) lie between:
# "no Kubernetes required", "no Java, Scala or C++ experience needed".
NEGATION_NO = (
    "no",
    "zero",
    "not",
    "moved from",
    "migrated from",
    "ported from",
    "switched from",
    "we left",
    "wo n't be",  # "you won't be training models from scratch" (but "won't be alone" reaches nothing)
    "will not be",
)
NEGATION_NO_BRIDGE = frozenset(
    {
        ",",
        "or",
        "and",
        "/",
        "prior",
        "previous",
        "experience",
        "knowledge",
        "of",
        "with",
        "in",
        "any",
        "background",
        "expertise",
        "familiarity",
        "skills",
        "a",
        "an",
        "industry",
        "commercial",
        "professional",
    }
)
# Negation after a skill, reaching back over these words: "Java is not required".
NEGATION_AFTER = (
    "not required",
    "not needed",
    "not necessary",
    "not essential",
    "not a requirement",
    "not a must",
    "not expected",
    "is optional",
)
NEGATION_AFTER_BRIDGE = NEGATION_NO_BRIDGE | frozenset({"is", "are", "will", "be", "'s", "knowing"})

# Headings and phrases that make skills nice-to-have rather than required.
NICE_PHRASES = (
    "nice to have",
    "nice-to-have",
    "nice to haves",
    "good to have",
    "bonus",
    "bonus points",
    "a plus",
    "is a plus",
    "a real plus",
    "a big plus",
    "a huge plus",
    "a strong plus",
    "a definite plus",
    # German ads written in English keep these: "Erfahrung mit X ist ein Plus", "von Vorteil".
    "ein plus",
    "von vorteil",
    "wünschenswert",
    "preferred",
    "desirable",
    "an advantage",
    "advantageous",
    "ideally",
    "would be great",
    "would be nice",
    "extra credit",
    "not required but",
    "optional",
    "is welcome",
    "are welcome",
    "is welcomed",
    "also welcome",
    "experience welcome",
    "welcome too",
    "nice if",
)
# A short line (at most HEADING_MAX_TOKENS tokens) holding one of these, or ending in ":", is a heading:
# a new section begins; it is nice-to-have when it holds a NICE_PHRASES entry, else required.
HEADING_WORDS = (
    "requirements",
    "required",
    "qualifications",
    "must have",
    "must-have",
    "what you",
    "who you are",
    "about you",
    "about us",
    "about the",
    "responsibilities",
    "the role",
    "your profile",
    "tech stack",
    "our stack",
    "what we offer",
    "benefits",
    "skills",
)
HEADING_MAX_TOKENS = 8

# A heading holding one of these starts what the ad says the role does not ask for ("Stuff that's not
# your job:", "What you will not be doing"): skills under it are not the ad's, up to the next heading.
NOT_ASKED_HEADINGS = (
    "not your job",
    "not part of this role",
    "not part of the role",
    "will not be doing",
    "won't be doing",
    "not needed",
    "not required",
    "what this role is not",
    "what this job is not",
)

# A line that is one of these (alone, or with a colon) starts the page around the ad, pasted with it:
# other jobs' titles and skills there are not this ad's, up to the next heading.
OTHER_JOBS_HEADINGS = (
    "similar jobs",
    "related jobs",
    "more jobs",
    "other jobs",
    "other openings",
    "more openings",
    "recommended jobs",
    "you may also like",
    "you might also like",
    "people also viewed",
)

# Duties that ask for a skill without naming it ("you will train our ranking models"), as token
# patterns: words in lower case, "a|b" for either word, "~N" for up to N tokens between (never a
# sentence's end). The first word is what the ad's highlight marks.
DUTIES: dict[str, tuple[str, ...]] = {
    "model-training": (
        "train|trained|trains ~7 model|models|networks|classifiers|rankers|detectors|llms|transformers|them",
        "training ~2 model|models|networks|classifiers|rankers|detectors|llms|transformers|them",
        "model|models that|which we train|trained",
        "build|building ~3 model|models",
        "develop|developing ~5 model|models",
    ),
    "experiment-tracking": ("track|tracking ~2 experiments",),
    "model-evaluation": (
        "evaluate|evaluating|validate|validating|benchmark|benchmarking ~3 model|models|forecasts|predictions",
    ),
    "model-serving": (
        "deploy|deploying|deploys ~3 model|models|them",
        "ship|shipping|put|putting ~2 model|models|them to|into production|prod",
    ),
    "model-monitoring": (
        "monitor|monitoring ~3 model|models|forecast|forecasts|prediction|predictions|them",
    ),
    "model-compression": ("compress|compressing ~2 model|models|networks|them",),
    "feature-engineering": ("engineer|engineered features", "crafted|handcrafted features"),
    "code-performance-optimisation": ("profile|profiling ~3 code|jobs|workloads|kernels|pipelines",),
    "testing": ("write|writing|add|adding ~3 tests",),
    "data-cleaning": ("clean|cleaning ~3 data|datasets|extracts|records",),
    "collaboration": (
        "work|working|collaborate|collaborating|partner|partnering closely with",
        "partner|partnering|collaborate|collaborating with",
        "together|alongside ~3 scientists|engineers|team|teams|designers|analysts|researchers",
    ),
    "domain-expertise": ("experience|background|knowledge ~3 industry|sector|domain",),
}
