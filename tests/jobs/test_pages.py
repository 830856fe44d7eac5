"""The Job ads pages: paste, see matches and where you stand, save privately, the market view."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from catalog.models import Skill
from jobs.models import SavedAd
from roadmap.models import PlanItem, Progress
from tests.factories import StaffUserFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("shipped")]

AD = "ML Engineer\nRequirements:\n- Python and PyTorch\n- Docker\nNice to have:\n- Rust-free Kubernetes"


def analyse(client: Client, text: str) -> Any:
    return client.post(reverse("jobs:analyse"), {"text": text})


def test_the_nav_links_to_job_ads(client: Client, learner: Any) -> None:
    page = client.get(reverse("roadmap:activity"))
    assert f'href="{reverse("jobs:ads")}"' in page.content.decode()


def test_analysis_shows_each_skill_with_where_the_learner_stands_and_saves_nothing(
    client: Client, learner: Any
) -> None:
    Progress.objects.update_or_create(
        learner=learner,
        skill=Skill.objects.get(slug="pytorch"),
        defaults={"status": Progress.Status.IN_PROGRESS},
    )
    in_plan = PlanItem.objects.filter(plan__learner=learner, skill__slug="docker").exists()

    page = analyse(client, AD)

    html = page.content.decode()
    assert page.status_code == 200
    assert 'data-slug="python"' in html and "Have" in html
    assert '<mark class="skill-match skill-have" title="Python: Have">Python</mark>' in html
    assert '<mark class="skill-match skill-learning" title="PyTorch: Learning">PyTorch</mark>' in html
    assert f'skill-{"in_plan" if in_plan else "missing"}" title="Docker' in html
    assert "Nice to have" in html
    assert '<dd id="share-had">1 (25%)</dd>' in html
    assert SavedAd.objects.count() == 0


def test_the_ad_is_escaped_around_the_highlights(client: Client, learner: Any) -> None:
    html = analyse(client, '<script>alert("x")</script> Python & <b>Docker</b>').content.decode()
    assert "<script>alert" not in html
    marked = html[html.index('id="ad-text">') :]
    assert marked.startswith('id="ad-text">&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; <mark')
    assert "</mark> &amp; &lt;b&gt;<mark" in marked


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("   ", "Paste the text of a job ad first."),
        ("Python " * 3000, "we read at most 20,000"),
        ("Python \x01\x02\x03", "binary file"),
        ("We sell shoes and socks.", "We found no skills we know in this ad."),
    ],
)
def test_bad_ads_get_a_clear_message_and_nothing_is_saved(
    client: Client, learner: Any, text: str, message: str
) -> None:
    page = analyse(client, text)
    assert page.status_code == 400
    assert message in page.content.decode()
    saved = client.post(reverse("jobs:save"), {"text": text, "title": "Job"})
    assert saved.status_code == 400
    assert SavedAd.objects.count() == 0


def test_an_ad_without_known_skills_links_to_suggest_one(client: Client, learner: Any) -> None:
    html = analyse(client, "We sell shoes.").content.decode()
    assert f'href="{reverse("catalog:skill_list")}"' in html


def test_a_saved_ad_is_private_to_its_learner(client: Client, learner: Any) -> None:
    response = client.post(reverse("jobs:save"), {"text": AD, "title": "ML Engineer", "company": "Acme"})
    ad = SavedAd.objects.get()
    assert response.url == reverse("jobs:ad", args=[ad.pk])
    assert ad.learner == learner and ad.company == "Acme"
    assert set(ad.skills.values_list("slug", flat=True)) == {"python", "pytorch", "docker", "kubernetes"}
    assert "ML Engineer" in client.get(reverse("jobs:ads")).content.decode()
    assert "Acme" in client.get(reverse("jobs:ad", args=[ad.pk])).content.decode()

    other = Client()
    other.force_login(UserFactory())
    assert other.get(reverse("jobs:ad", args=[ad.pk])).status_code == 404
    assert other.post(reverse("jobs:delete", args=[ad.pk])).status_code == 404
    assert "ML Engineer" not in other.get(reverse("jobs:ads")).content.decode()


def test_a_saved_ad_can_be_deleted(client: Client, learner: Any) -> None:
    client.post(reverse("jobs:save"), {"text": AD, "title": "ML Engineer"})
    ad = SavedAd.objects.get()
    client.post(reverse("jobs:delete", args=[ad.pk]))
    assert not SavedAd.objects.exists()


def test_the_market_view_counts_ads_per_skill_and_says_where_the_learner_stands(
    client: Client, learner: Any
) -> None:
    for title, text in [("A", "Python and Docker."), ("B", "Python, Docker and SQL."), ("C", "Python.")]:
        client.post(reverse("jobs:save"), {"text": text, "title": title})
    html = client.get(reverse("jobs:market")).content.decode()
    assert ">Python</a>: 3 of your 3 ads; you have it" in html
    assert ">Docker</a>: 2 of your 3 ads;" in html
    assert html.index(">Python</a>") < html.index(">Docker</a>") < html.index(">SQL</a>")


def test_admin_sees_the_aggregate_across_learners_without_any_ad_text(client: Client) -> None:
    for secret in ("Python at Initech, secret project Falcon.", "Python and Docker at Hooli."):
        SavedAd.objects.create(learner=UserFactory(), title="T", text=secret).ad_skills.create(
            skill=Skill.objects.get(slug="python")
        )
    staff = Client()
    staff.force_login(StaffUserFactory())
    html = staff.get(reverse("jobs:market_all")).content.decode()
    assert "<td>2 of 2</td><td>2</td>" in html
    assert "Falcon" not in html and "Hooli" not in html


def test_too_many_analyses_are_refused_with_a_429(client: Client, learner: Any, settings: Any) -> None:
    settings.JOB_AD_RATE = "2/m"
    assert analyse(client, AD).status_code == 200
    assert analyse(client, AD).status_code == 200
    refused = analyse(client, AD)
    assert refused.status_code == 429
    assert "Too many job ads in a short time" in refused.content.decode()


def test_a_too_long_title_is_refused_not_a_500(client: Client, learner: Any) -> None:
    response = client.post(reverse("jobs:save"), {"text": AD, "title": "x" * 500})
    assert response.status_code == 400
    assert not SavedAd.objects.exists()
