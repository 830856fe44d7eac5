"""Personal access tokens: made on the settings page and shown once, stored as a digest, named,
scoped, expiring, revoked; in the JSON export as metadata only; gone with the account."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.data import user_delete
from accounts.models import User
from api.models import ApiToken
from api.services import token_create
from tests.roles import OTHER_LEARNER, World

pytestmark = pytest.mark.django_db


def bearer(raw: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {raw}"}


def test_a_new_token_is_shown_once_and_stored_only_as_its_digest(world: World) -> None:
    client = world.client("learner")

    response = client.post(reverse("api_tokens"), {"name": "Obsidian", "scope": "read"})

    token = ApiToken.objects.get(user=world.learner, name="Obsidian")
    raw = response.context["raw"]
    assert raw.startswith("pwt_") and len(raw) > 40
    assert raw in response.text
    assert token.digest == hashlib.sha256(raw.encode()).hexdigest()
    assert raw not in json.dumps(list(ApiToken.objects.values()), default=str)
    assert raw not in client.get(reverse("api_tokens")).text


def test_the_settings_page_links_to_the_token_page(world: World) -> None:
    assert reverse("api_tokens") in world.client("learner").get(reverse("accounts:profile")).text


def test_a_token_reads_the_learners_plan_and_revoking_it_answers_401(world: World) -> None:
    token, raw = token_create(user=world.learner, name="Script", scope="read")
    client = world.client("anonymous")
    assert client.get("/api/v1/me/plan", headers=bearer(raw)).status_code == 200

    world.client("learner").post(reverse("api_token_revoke", args=[token.pk]))

    response = client.get("/api/v1/me/plan", headers=bearer(raw))
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_another_learner_cannot_revoke_my_token(world: World) -> None:
    token, _ = token_create(user=world.learner, name="Script", scope="read")

    response = world.client(OTHER_LEARNER).post(reverse("api_token_revoke", args=[token.pk]))

    assert response.status_code == 404
    assert ApiToken.objects.filter(pk=token.pk).exists()


def test_an_expired_token_answers_401(world: World) -> None:
    token, raw = token_create(user=world.learner, name="Old", scope="read")
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))

    assert world.client("anonymous").get("/api/v1/me", headers=bearer(raw)).status_code == 401


def test_a_read_only_token_cannot_change_a_status(world: World) -> None:
    _, raw = token_create(user=world.learner, name="Reader", scope="read")
    url = f"/api/v1/me/steps/project/{world.catalog.project.slug}/status"

    response = world.client("anonymous").put(
        url, json.dumps({"status": "done"}), content_type="application/json", headers=bearer(raw)
    )

    assert response.status_code == 403
    assert "read only" in response.json()["detail"]


def test_last_used_moves_at_most_once_a_minute(world: World) -> None:
    token, raw = token_create(user=world.learner, name="Poller", scope="read")
    client = world.client("anonymous")
    client.get("/api/v1/me", headers=bearer(raw))
    token.refresh_from_db()
    first = token.last_used_at
    assert first is not None

    client.get("/api/v1/me", headers=bearer(raw))
    token.refresh_from_db()
    assert token.last_used_at == first

    ApiToken.objects.filter(pk=token.pk).update(last_used_at=first - dt.timedelta(minutes=2))
    client.get("/api/v1/me", headers=bearer(raw))
    token.refresh_from_db()
    assert token.last_used_at is not None and token.last_used_at > first


def test_the_json_export_lists_tokens_without_their_digest(world: World) -> None:
    token, raw = token_create(user=world.learner, name="Export me", scope="write")

    data: Any = world.client("learner").get(reverse("accounts:data_download")).json()

    assert [t["name"] for t in data["api_tokens"]] == ["Export me"]
    assert data["api_tokens"][0]["scope"] == "write"
    text = json.dumps(data)
    assert token.digest not in text and raw not in text


def test_deleting_the_account_deletes_its_tokens(world: World) -> None:
    token, _ = token_create(user=world.learner, name="Gone", scope="read")

    # A copy of the user: the world's own instance is shared by the module's other tests.
    user_delete(user=User.objects.get(pk=world.learner.pk))

    assert not ApiToken.objects.filter(pk=token.pk).exists()


def test_a_token_name_is_required_and_the_page_says_so(world: World) -> None:
    response = world.client("learner").post(reverse("api_tokens"), {"name": "", "scope": "read"})

    assert response.status_code == 400
    assert not ApiToken.objects.filter(user=world.learner).exists()
