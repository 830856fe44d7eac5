"""The site's badge signing key (Ed25519): from BADGE_SIGNING_KEY in production, a file under var/ for
`make run`; its public half is published as a JWK set."""

from __future__ import annotations

import functools
import json
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from jwcrypto import jwk


def _load(text: str) -> jwk.JWK:
    """A JWK (JSON) or a PEM private key; only Ed25519 (OKP) keys sign badges."""
    text = text.strip()
    key = jwk.JWK.from_json(text) if text.startswith("{") else jwk.JWK.from_pem(text.encode())
    if key.get("kty") != "OKP" or key.get("crv") != "Ed25519" or not key.has_private:
        raise ImproperlyConfigured("BADGE_SIGNING_KEY must be a private Ed25519 key (JWK or PEM).")
    return key


def _generated(path: Path) -> jwk.JWK:
    """The development key, made on first use and kept so badges issued on `make run` still verify."""
    if path.exists():
        return _load(path.read_text())
    key = jwk.JWK.generate(kty="OKP", crv="Ed25519")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.touch(mode=0o600)
    path.write_text(key.export_private())
    return key


@functools.cache
def signing_key() -> jwk.JWK:
    if settings.BADGE_SIGNING_KEY:
        return _load(settings.BADGE_SIGNING_KEY)
    if settings.DEBUG:
        return _generated(Path(settings.BADGE_KEY_FILE))
    raise ImproperlyConfigured("Set BADGE_SIGNING_KEY (a private Ed25519 JWK or PEM) to issue badges.")


def key_id() -> str:
    """The key's RFC 7638 thumbprint: a new key gets a new id, so old badges name the key they need."""
    return str(signing_key().thumbprint())


def public_jwks() -> dict[str, object]:
    public = json.loads(signing_key().export_public())
    return {"keys": [public | {"kid": key_id(), "use": "sig", "alg": "EdDSA"}]}
