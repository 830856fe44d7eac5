"""Reads of personal access tokens: the one a request presents, and a user's list."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from accounts.models import User
from api.models import ApiToken
from api.services import TOKEN_PREFIX, token_digest


def token_find(raw: str) -> ApiToken | None:
    """The live token whose digest matches, with its user (one query), or None."""
    if not raw.startswith(TOKEN_PREFIX) or len(raw) > 100:
        return None
    token = ApiToken.objects.select_related("user").filter(digest=token_digest(raw)).first()
    if token is None or token.expired(timezone.now()) or not token.user.is_active:
        return None
    return token


def user_tokens(*, user: User) -> list[ApiToken]:
    return list(ApiToken.objects.filter(user=user))


def tokens_export(*, user: User) -> list[dict[str, Any]]:
    """The user's tokens for the JSON export: what they are, never their digest."""
    fields = ("name", "scope", "created_at", "expires_at", "last_used_at")
    return [dict(row) for row in ApiToken.objects.filter(user=user).values(*fields)]
