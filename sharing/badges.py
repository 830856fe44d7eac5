"""Open Badges 3.0 credentials: an OpenBadgeCredential (W3C VC data model 2.0) signed by the site's
Ed25519 key as a compact JWS (VC-JOSE), and the check a verifier makes of one."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from django.conf import settings
from django.urls import reverse
from jwcrypto import jwk, jws
from jwcrypto.common import JWException

from sharing.keys import key_id, signing_key
from sharing.models import Credential

CONTEXT = [
    "https://www.w3.org/ns/credentials/v2",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
]
ISSUER_NAME = "Pathwise"
# The most a pasted or uploaded credential may weigh: ours are a few kilobytes.
MAX_CREDENTIAL_BYTES = 64 * 1024


def site_url(path: str) -> str:
    return settings.SITE_URL + path


def issuer_profile() -> dict[str, Any]:
    return {
        "id": site_url(reverse("sharing:issuer")),
        "type": ["Profile"],
        "name": ISSUER_NAME,
        "url": settings.SITE_URL,
    }


@dataclass(frozen=True)
class Achievement:
    """What a badge says was achieved."""

    kind: str
    subject: str  # the learner's one badge per subject (Credential.subject)
    name: str
    description: str
    criteria: str
    evidence: list[tuple[str, str]] = field(default_factory=list)  # (url, name)


def credential_document(
    *, credential_id: uuid.UUID, achievement: Achievement, recipient: str, issued_at: dt.datetime
) -> dict[str, Any]:
    """The OpenBadgeCredential. The recipient is named, not identified by e-mail: the credential is
    public once shared, and an address in it would be one more place a learner's e-mail leaks."""
    url = site_url(reverse("sharing:verify"))
    stamp = issued_at.astimezone(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
    document: dict[str, Any] = {
        "@context": CONTEXT,
        "id": f"urn:uuid:{credential_id}",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": achievement.name,
        "issuer": issuer_profile(),
        "validFrom": stamp,
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "name": recipient,
            "achievement": {
                "id": f"urn:pathwise:achievement:{quote(achievement.subject, safe=':')}",
                "type": ["Achievement"],
                "achievementType": "Badge",
                "name": achievement.name,
                "description": achievement.description,
                "criteria": {"narrative": achievement.criteria},
            },
        },
        "credentialStatus": {"id": f"{url}?id={credential_id}", "type": "PathwiseRevocationCheck"},
    }
    if achievement.evidence:
        document["evidence"] = [
            {"id": link, "type": ["Evidence"], "name": name} for link, name in achievement.evidence
        ]
    return document


def sign(document: dict[str, Any]) -> str:
    token = jws.JWS(json.dumps(document, separators=(",", ":"), ensure_ascii=False).encode())
    token.add_signature(
        signing_key(), None, json.dumps({"alg": "EdDSA", "kid": key_id(), "typ": "vc+jwt", "cty": "vc"})
    )
    return str(token.serialize(compact=True))


def download_document(credential: Credential) -> dict[str, Any]:
    """The JSON file a learner downloads: the credential with its JWS as the proof."""
    return payload_of(credential.jws) | {"proof": [{"type": "JwtProof2020", "jwt": credential.jws}]}


def payload_of(compact: str) -> dict[str, Any]:
    """The (signed) payload of one of our compact JWS, unverified: for our own stored credentials."""
    token = jws.JWS()
    token.deserialize(compact)
    return dict(json.loads(token.objects["payload"]))


@dataclass(frozen=True)
class Verdict:
    """A verification's outcome: `state` is valid, revoked or invalid; `document` what was signed."""

    state: str
    reason: str = ""
    document: dict[str, Any] | None = None
    credential: Credential | None = None

    @property
    def valid(self) -> bool:
        return self.state == "valid"


def _compact_of(text: str) -> tuple[str, dict[str, Any] | None]:
    """The compact JWS in a pasted credential (the JWS itself, or our JSON with it as the proof), and
    the JSON's claims to compare with what was signed."""
    text = text.strip()
    if not text.startswith("{"):
        return text, None
    data = json.loads(text)
    proofs = data.get("proof") if isinstance(data, dict) else None
    proof = proofs[0] if isinstance(proofs, list) and len(proofs) == 1 else proofs
    if not isinstance(proof, dict):
        raise ValueError("This JSON has no proof to check.")
    compact = proof.get("jwt")
    if not isinstance(compact, str):
        raise ValueError("This JSON's proof is not a signature we can check.")
    return compact, {k: v for k, v in data.items() if k != "proof"}


def verify(text: str) -> Verdict:
    """Check a credential: signed by our key, issued by us, the JSON as signed, not revoked."""
    if len(text.encode()) > MAX_CREDENTIAL_BYTES:
        return Verdict("invalid", "This is too large to be one of our credentials.")
    try:
        compact, claims = _compact_of(text)
        token = jws.JWS()
        token.deserialize(compact)
        token.verify(signing_key().public(), alg="EdDSA")
        document = json.loads(token.payload)
    except (ValueError, TypeError, KeyError, JWException, UnicodeDecodeError):
        return Verdict(
            "invalid", "The signature does not match: this credential was not issued by us as it is."
        )
    if not isinstance(document, dict) or document.get("issuer", {}).get("id") != issuer_profile()["id"]:
        return Verdict("invalid", "This credential names another issuer.")
    if claims is not None and claims != document:
        return Verdict("invalid", "The credential was changed after it was signed.", document)
    found = _stored(document.get("id", ""))
    if found is None:
        return Verdict("invalid", "We have no record of issuing this credential.", document)
    if found.revoked:
        return Verdict("revoked", found.revoked_reason or "The credential was revoked.", document, found)
    return Verdict("valid", "", document, found)


def _stored(credential_id: object) -> Credential | None:
    if not isinstance(credential_id, str) or not credential_id.startswith("urn:uuid:"):
        return None
    try:
        pk = uuid.UUID(credential_id.removeprefix("urn:uuid:"))
    except ValueError:
        return None
    return Credential.objects.filter(pk=pk).first()


def public_key() -> jwk.JWK:
    return signing_key().public()
