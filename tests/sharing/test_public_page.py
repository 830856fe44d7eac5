"""The public progress page and its SVG card: off by default, only what the learner chose."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from pytest_django import DjangoAssertNumQueries

from accounts.models import User
from roadmap.models import EvidenceLink, Progress
from sharing.services import SharingError, public_page_set, sharing_for

pytestmark = pytest.mark.django_db

ALL_SHOWN = {
    "show_progress": True,
    "show_stages": True,
    "show_map": True,
    "show_projects": True,
    "show_badges": True,
    "show_streak": True,
}


def test_the_page_is_off_until_the_learner_turns_it_on(learner: User) -> None:
    assert sharing_for(learner=learner).public is False
    assert Client().get(reverse("sharing:public", args=["ada"])).status_code == 404
    public_page_set(learner=learner, public=True, handle="Ada", **ALL_SHOWN)
    response = Client().get(reverse("sharing:public", args=["ada"]))
    assert response.status_code == 200
    assert "Ada Lovelace" in response.content.decode()


def test_turning_the_page_off_makes_it_404_at_once(learner: User) -> None:
    public_page_set(learner=learner, public=True, handle="ada", **ALL_SHOWN)
    client = Client()
    page = client.get(reverse("sharing:public", args=["ada"]))
    assert page.status_code == 200
    # No cache on the way may serve it without asking again.
    assert {"public", "no-cache", "max-age=0"} <= {part.strip() for part in page["Cache-Control"].split(",")}
    card = reverse("sharing:card", args=[sharing_for(learner=learner).card_token])
    shown = client.get(card)
    assert shown.status_code == 200 and "no-cache" in shown["Cache-Control"]
    public_page_set(learner=learner, public=False, handle="ada")
    assert client.get(reverse("sharing:public", args=["ada"])).status_code == 404
    assert client.get(card).status_code == 404


def test_the_page_shows_nothing_private(learner: User) -> None:
    progress = Progress.objects.filter(learner=learner).first()
    assert progress is not None
    progress.notes = "My secret note"
    progress.notes_shared = True
    progress.save()
    EvidenceLink.objects.create(
        progress=progress, url="https://example.com/private-resource", kind="resource"
    )
    public_page_set(learner=learner, public=True, handle="ada", **ALL_SHOWN)
    page = Client().get(reverse("sharing:public", args=["ada"])).content.decode()
    assert "My secret note" not in page
    assert learner.email not in page
    assert "private-resource" not in page


def test_only_the_chosen_parts_are_shown(learner: User) -> None:
    public_page_set(learner=learner, public=True, handle="ada", show_stages=True)
    page = Client().get(reverse("sharing:public", args=["ada"])).content.decode()
    assert 'id="stages-heading"' in page
    for hidden in ("overall-heading", "map-heading", "projects-heading", "badges-heading", "Current streak"):
        assert hidden not in page


def test_the_page_is_noindex_unless_the_learner_allows_indexing(learner: User) -> None:
    public_page_set(learner=learner, public=True, handle="ada", **ALL_SHOWN)
    response = Client().get(reverse("sharing:public", args=["ada"]))
    assert response["X-Robots-Tag"] == "noindex"
    assert '<meta name="robots" content="noindex">' in response.content.decode()
    public_page_set(learner=learner, public=True, handle="ada", indexable=True, **ALL_SHOWN)
    response = Client().get(reverse("sharing:public", args=["ada"]))
    assert "X-Robots-Tag" not in response
    assert "noindex" not in response.content.decode()


def test_a_shared_link_previews_with_open_graph_and_schema_org(learner: User) -> None:
    public_page_set(learner=learner, public=True, handle="ada", **ALL_SHOWN)
    page = Client().get(reverse("sharing:public", args=["ada"])).content.decode()
    assert '<meta property="og:title" content="Ada Lovelace on Pathwise">' in page
    assert 'property="og:image"' in page
    assert '"@type": "ProfilePage"' in page


@pytest.mark.parametrize("handle", ["ab", "admin", "-ada", "ada!", "a" * 31, "ünï"])
def test_a_bad_or_reserved_handle_is_refused(learner: User, handle: str) -> None:
    with pytest.raises(SharingError):
        public_page_set(learner=learner, public=True, handle=handle)


def test_handles_are_unique_whatever_the_case(learner: User, catalog: object) -> None:
    from tests.factories import UserFactory

    public_page_set(learner=learner, public=True, handle="ada")
    with pytest.raises(SharingError, match="taken"):
        public_page_set(learner=UserFactory(), public=True, handle="ADA")


def test_the_card_escapes_every_text_and_shows_progress(learner: User) -> None:
    learner.display_name = '<script>alert("x")</script> & co'
    learner.save()
    public_page_set(learner=learner, public=True, handle="ada", **ALL_SHOWN)
    response = Client().get(reverse("sharing:card", args=[sharing_for(learner=learner).card_token]))
    svg = response.content.decode()
    assert response["Content-Type"].startswith("image/svg+xml")
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    assert "Top skills" in svg and "steps done" in svg
    assert "public" in response["Cache-Control"]


def test_the_page_and_card_answer_in_fixed_queries(
    learner: User, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    public_page_set(learner=learner, public=True, handle="ada", **ALL_SHOWN)
    client = Client()
    with django_assert_max_num_queries(9):
        client.get(reverse("sharing:public", args=["ada"]))
    with django_assert_max_num_queries(3):
        client.get(reverse("sharing:card", args=[sharing_for(learner=learner).card_token]))


def test_the_settings_page_turns_the_page_on_with_a_handle(learner: User) -> None:
    client = Client()
    client.force_login(learner)
    assert client.get(reverse("sharing:settings")).status_code == 200
    response = client.post(
        reverse("sharing:public_page"), {"public": "on", "handle": "Ada-L", "show_stages": "on"}
    )
    assert response.status_code == 302
    assert sharing_for(learner=learner).handle == "ada-l"
    assert client.post(reverse("sharing:public_page"), {"public": "on", "handle": ""}).status_code == 400


def test_deleting_the_account_retires_the_feed_the_page_and_the_card(learner: User) -> None:
    from accounts.data import user_delete

    sharing = public_page_set(learner=learner, public=True, handle="ada")
    urls = [
        reverse("sharing:feed", args=[sharing.feed_token]),
        reverse("sharing:public", args=["ada"]),
        reverse("sharing:card", args=[sharing.card_token]),
    ]
    assert [Client().get(url).status_code for url in urls] == [200, 200, 200]

    user_delete(user=learner)

    assert [Client().get(url).status_code for url in urls] == [404, 404, 404]
