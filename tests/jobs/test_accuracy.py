"""Accuracy over the labelled ads we wrote (tests/jobs/ads/): recall >= 0.90 and precision >= 0.95."""

from __future__ import annotations

import pytest

from bench.jobs import MIN_PRECISION, MIN_RECALL, labelled_ads, score
from catalog.models import Skill

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("shipped")]


def test_the_labelled_set_has_forty_ads_naming_only_catalog_skills() -> None:
    ads = labelled_ads()
    assert len(ads) >= 40
    slugs = set(Skill.objects.values_list("slug", flat=True))
    for ad in ads:
        assert ad.must, ad.name
        assert (ad.must | ad.nice | ad.must_not) <= slugs, ad.name
        assert not (ad.must | ad.nice) & ad.must_not, ad.name


def test_matching_meets_the_precision_and_recall_budgets() -> None:
    result = score(labelled_ads())
    assert result.recall >= MIN_RECALL, result.misses
    assert result.precision >= MIN_PRECISION, result.false_matches


# Traps the matcher still falls for, each with the reason no rule takes it: a known limit, kept in sight.
KNOWN_TRAPS = {
    # A tool named only to say it does not fit the problem: that takes reading the claim, not a cue.
    ("76_medical_imaging_cv", "yolo"),  # "Off-the-shelf detectors like YOLO don't cope well with 3D CT"
    # What the company's models do, not what the role asks: "ML models: demand forecasting for each
    # dark store" in an MLOps ad.
    ("84_mlops_engineer_grocery", "time-series-forecasting"),
    # A baseline replaced, in the clause that names its successor: "we replaced our old TF-IDF +
    # logistic regression baseline with fine-tuned transformer models".
    ("87_nlp_engineer_insurance_claims", "regression"),
    # Another team named like a skill: "our sister Computer Vision team, which owns the models".
    ("103_logistics_lead_mle", "computer-vision"),
}


def test_no_trap_is_ever_matched_but_the_known_ones() -> None:
    ads = labelled_ads()
    from jobs.matching import analyse_ad

    hits = {(ad.name, m.slug) for ad in ads for m in analyse_ad(ad.text) if m.slug in ad.must_not}
    assert hits == KNOWN_TRAPS


def test_required_and_nice_to_have_are_told_apart_on_the_labelled_set() -> None:
    result = score(labelled_ads())
    assert result.flagged_right / result.right >= 0.95, result.wrong_flags
