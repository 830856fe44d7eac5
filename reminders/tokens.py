"""Unsubscribe tokens: signed, non-expiring, naming the recipient, so a link works without logging in."""

from __future__ import annotations

from django.core import signing

from accounts.models import User

UNSUBSCRIBE_SALT = "pathwise.reminders.unsubscribe"


def unsubscribe_token(*, user: User) -> str:
    """A signed, non-expiring token naming the recipient: the link works from any old e-mail."""
    return signing.Signer(salt=UNSUBSCRIBE_SALT).sign_object({"u": user.pk})


def unsubscribe_token_user(*, token: str) -> User | None:
    """The active user a token names; None when it was tampered with or names nobody."""
    try:
        data = signing.Signer(salt=UNSUBSCRIBE_SALT).unsign_object(token)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    if not isinstance(data, dict) or not isinstance(data.get("u"), int):
        return None
    return User.objects.filter(pk=data["u"], is_active=True).select_related("profile").first()
