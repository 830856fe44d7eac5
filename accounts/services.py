"""Writes of the accounts app: sign-up and the display name, address verification."""

from __future__ import annotations

from django.core import signing
from django.db import transaction
from django.utils import timezone

from accounts.mail import enqueue, verification_user
from accounts.models import Profile, User

# ---------------------------------------------------------------- sign-up and the profile page


@transaction.atomic
def user_signup(*, email: str, display_name: str, password: str) -> User:
    """Create an account with its (empty) profile and mail the link that verifies its address."""
    user = User(email=User.objects.normalize_email(email).strip().lower(), display_name=display_name.strip())
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    Profile.objects.create(user=user)
    email_verification_request(user=user)
    return user


@transaction.atomic
def user_rename(*, user: User, display_name: str) -> User:
    """Change the name the user's mentors see (empty: their e-mail address is shown)."""
    user.display_name = display_name.strip()
    user.full_clean(exclude=["password"])
    user.save(update_fields=["display_name"])
    return user


# ---------------------------------------------------------------- e-mail address verification


class VerificationError(Exception):
    """A verification link that is tampered with, names nothing, or is too old."""


def email_verification_request(*, user: User) -> None:
    """Mail `user` a signed link to their address (a Celery task, after the transaction commits)."""
    from accounts.tasks import verification_send

    if not user.email_verified:
        enqueue(verification_send, user.pk)


@transaction.atomic
def email_verify(*, token: str) -> User:
    """Mark the address in a genuine, fresh verification link as verified; raises VerificationError."""
    try:
        user = verification_user(token)
    except signing.SignatureExpired as exc:
        raise VerificationError("This link has expired. Log in and ask for a new one.") from exc
    except signing.BadSignature as exc:
        raise VerificationError("This link is not valid. Copy the whole link from the e-mail.") from exc
    return email_mark_verified(user=user)


@transaction.atomic
def email_mark_verified(*, user: User) -> User:
    """The address is proven: a verification link, or another signed link mailed to it (a mentor invitation)."""
    if user.email_verified_at is None:
        user.email_verified_at = timezone.now()
        user.save(update_fields=["email_verified_at"])
    return user
