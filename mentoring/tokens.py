"""Invitation tokens: the signed mentorship key that an invitation link carries, and how long it works."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.urls import reverse

from mentoring.models import Mentorship

INVITE_SALT = "pathwise.mentoring.invite"


class InvitationInvalid(Exception):
    """The invitation link was tampered with or names nothing."""


class InvitationExpired(Exception):
    """The invitation link is genuine but too old."""


def invite_max_age() -> timedelta:
    return timedelta(days=settings.MENTOR_INVITE_MAX_AGE_DAYS)


def invite_token(mentorship: Mentorship) -> str:
    """The signed form of the mentorship key that invitation links carry."""
    return signing.TimestampSigner(salt=INVITE_SALT).sign(mentorship.key)


def invite_path(mentorship: Mentorship) -> str:
    return reverse("mentoring:invitation", args=[invite_token(mentorship)])


def invite_token_key(token: str) -> str:
    """The mentorship key a link's token carries; raises on a tampered or too old token."""
    try:
        return signing.TimestampSigner(salt=INVITE_SALT).unsign(token, max_age=invite_max_age())
    except signing.SignatureExpired as exc:
        raise InvitationExpired from exc
    except signing.BadSignature as exc:
        raise InvitationInvalid from exc
