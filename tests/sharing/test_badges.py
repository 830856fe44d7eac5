"""Verifiable badges (Open Badges 3.0): issued for finished stages, tracks and approved projects,
signed with the site's Ed25519 key, checked with jwcrypto and against the vendored JSON schema."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from django.test import Client
from django.urls import reverse
from jwcrypto import jwk, jws

from accounts.data import user_delete
from accounts.models import User
from mentoring.models import ProjectReview
from roadmap.models import PlanItem, Progress
from sharing.badges import download_document, verify
from sharing.models import Credential
from sharing.services import badges_award
from tests.factories import ProjectReviewFactory

pytestmark = pytest.mark.django_db

SCHEMA = json.loads(
    (
        Path(__file__).parents[2] / "sharing" / "schemas" / "ob_v3p0_achievementcredential_schema.json"
    ).read_text()
)


def finish_stage(learner: User, index: int) -> None:
    items = PlanItem.objects.filter(plan__learner=learner, stage_index=index)
    for kind in ("skill", "course", "certification", "project"):
        ids = items.filter(**{f"{kind}__isnull": False}).values(f"{kind}_id")
        Progress.objects.filter(learner=learner, **{f"{kind}__in": ids}).update(status=Progress.Status.DONE)


def a_badge(learner: User) -> Credential:
    finish_stage(learner, 0)
    issued = badges_award(learner=learner)
    assert issued
    return issued[0]


def jwks(client: Client) -> jwk.JWKSet:
    return jwk.JWKSet.from_json(client.get(reverse("sharing:jwks")).content)


def test_finishing_a_stage_earns_a_badge_on_the_badges_page(learner: User) -> None:
    client = Client()
    client.force_login(learner)
    assert "No badges yet" in client.get(reverse("sharing:badges")).content.decode()
    finish_stage(learner, 0)
    page = client.get(reverse("sharing:badges")).content.decode()
    assert "Finished the stage" in page
    assert Credential.objects.filter(learner=learner, kind="stage").count() == 1
    client.get(reverse("sharing:badges"))  # awarded once
    assert Credential.objects.filter(learner=learner, kind="stage").count() == 1


def test_finishing_every_stage_of_a_track_earns_the_track_badge(learner: User) -> None:
    for index in set(PlanItem.objects.filter(plan__learner=learner).values_list("stage_index", flat=True)):
        finish_stage(learner, index)
    kinds = {c.kind for c in badges_award(learner=learner)}
    assert kinds == {"stage", "track"}


def test_a_project_a_mentor_approved_earns_a_badge_with_its_evidence(learner: User) -> None:
    progress = Progress.objects.filter(learner=learner, project__isnull=False).first()
    assert progress is not None
    ProjectReviewFactory(
        progress=progress, status=ProjectReview.Status.APPROVED, evidence_url="https://example.com/work"
    )
    badge = next(c for c in badges_award(learner=learner) if c.kind == "project")
    document = download_document(badge)
    assert document["evidence"][0]["id"] == "https://example.com/work"


def test_the_downloaded_badge_is_an_open_badge_the_schema_accepts(learner: User) -> None:
    client = Client()
    client.force_login(learner)
    badge = a_badge(learner)
    response = client.get(reverse("sharing:badge_download", args=[str(badge.pk)]))
    assert response["Content-Disposition"].startswith("attachment")
    document: dict[str, Any] = response.json()
    jsonschema.validate(document, SCHEMA)
    assert document["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert learner.email not in json.dumps(document)


def test_the_signature_verifies_with_the_published_key(learner: User) -> None:
    badge = a_badge(learner)
    token = jws.JWS()
    token.deserialize(badge.jws)
    keys = jwks(Client())
    assert token.jose_header["alg"] == "EdDSA"
    token.verify(keys.get_key(token.jose_header["kid"]), alg="EdDSA")
    assert json.loads(token.payload)["id"] == f"urn:uuid:{badge.pk}"


def test_the_verification_page_shows_what_was_achieved(learner: User) -> None:
    badge = a_badge(learner)
    text = json.dumps(download_document(badge))
    response = Client().post(reverse("sharing:verify"), {"credential": text})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Valid" in page and badge.name in page and "Ada Lovelace" in page


def test_an_uploaded_compact_jws_verifies(learner: User) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    badge = a_badge(learner)
    upload = SimpleUploadedFile("badge.jwt", badge.jws.encode())
    page = Client().post(reverse("sharing:verify"), {"upload": upload}).content.decode()
    assert "Valid" in page


@pytest.mark.parametrize("where", ["payload", "signature", "json"])
def test_one_tampered_byte_makes_it_invalid(learner: User, where: str) -> None:
    badge = a_badge(learner)
    if where == "json":
        text = json.dumps(download_document(badge)).replace("Finished the stage", "Finished thE stage", 1)
    else:
        header, payload, signature = badge.jws.split(".")
        part = payload if where == "payload" else signature
        i = len(part) // 2
        changed = part[:i] + ("A" if part[i] != "A" else "B") + part[i + 1 :]
        text = ".".join([header, changed, signature] if where == "payload" else [header, payload, changed])
    verdict = verify(text)
    assert verdict.state == "invalid"
    page = Client().post(reverse("sharing:verify"), {"credential": text}).content.decode()
    assert "Invalid" in page


def test_deleting_the_account_revokes_the_badges(learner: User) -> None:
    badge = a_badge(learner)
    user_delete(user=learner)
    verdict = verify(badge.jws)
    assert verdict.state == "revoked"
    assert "Revoked" in Client().post(reverse("sharing:verify"), {"credential": badge.jws}).content.decode()


def test_garbage_is_invalid_never_an_error() -> None:
    for text in ["", "{", "{}", '{"proof": {"jwt": 3}}', "a.b.c", "x" * 70_000, "[1]"]:
        response = Client().post(reverse("sharing:verify"), {"credential": text})
        assert response.status_code in (200, 400)


def test_the_export_holds_feed_handle_and_badges(learner: User) -> None:
    from accounts.data import learner_data
    from sharing.services import sharing_for

    assert learner_data(user=learner)["sharing"] == {"calendar_feed": None, "public_page": None, "badges": []}
    a_badge(learner)
    sharing_for(learner=learner)
    data = learner_data(user=learner)["sharing"]
    assert data["calendar_feed"]["token"]
    assert data["public_page"]["on"] is False
    assert data["badges"][0]["kind"] == "stage"


def test_a_stage_only_ticked_as_known_earns_no_badge(learner: User) -> None:
    PlanItem.objects.filter(plan__learner=learner, stage_index=0).update(known=True)
    assert [c for c in badges_award(learner=learner) if c.kind == "stage"] == []
