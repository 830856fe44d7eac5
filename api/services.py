"""Writes of personal access tokens: create (the token returned once), revoke, note its use."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from api.models import ApiToken

# A recognisable prefix, so secret scanners and people can tell a Pathwise token in a leaked file.
TOKEN_PREFIX = "pwt_"  # noqa: S105 (a prefix, not a secret)
TOKENS_PER_USER = 20
# last_used_at moves at most once a minute: a script polling the API should not write on every call.
TOUCH_EVERY = dt.timedelta(minutes=1)


class TokenError(Exception):
    """A token that cannot be made; the message is meant for the learner."""


def token_digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def token_create(
    *, user: User, name: str, scope: str, expires_at: dt.datetime | None = None
) -> tuple[ApiToken, str]:
    """A new token of `user`: the row, and the token itself, which only this caller ever sees."""
    name = name.strip()
    if not name or len(name) > 80:
        raise TokenError("Give the token a name of at most 80 characters.")
    if scope not in ApiToken.Scope.values:
        raise TokenError("Choose read only or read and write.")
    if expires_at is not None and expires_at <= timezone.now():
        raise TokenError("The expiry date must be in the future.")
    # Locks the user's row: two concurrent creations cannot both pass the cap.
    User.objects.select_for_update().filter(pk=user.pk).first()
    if ApiToken.objects.filter(user=user).count() >= TOKENS_PER_USER:
        raise TokenError(f"You can have at most {TOKENS_PER_USER} tokens: revoke one first.")
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name,
        hint=raw[: len(TOKEN_PREFIX) + 6],
        digest=token_digest(raw),
        scope=scope,
        expires_at=expires_at,
    )
    return token, raw


def token_revoke(*, user: User, token_id: int) -> bool:
    """Delete one of the user's tokens; False when it was already gone (or never theirs)."""
    deleted, _ = ApiToken.objects.filter(pk=token_id, user=user).delete()
    return bool(deleted)


def token_touch(*, token: ApiToken, now: dt.datetime) -> None:
    """Record that the token was used, unless that was recorded less than a minute ago."""
    if token.last_used_at is not None and now - token.last_used_at < TOUCH_EVERY:
        return
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    token.last_used_at = now
