"""Reads of invitations: following a link, the learner's mentors, the mentor's access to a mentorship."""

from __future__ import annotations

from django.db.models import (
    Case,
    IntegerField,
    Q,
    Value,
    When,
)
from django.utils import timezone

from accounts.models import Profile, User
from mentoring.models import Mentorship
from mentoring.tokens import InvitationExpired, InvitationInvalid, invite_max_age, invite_token_key

MS = Mentorship.Status


def invitation_get(*, token: str) -> Mentorship:
    """The mentorship an invitation link points at, whatever its status; raises on a bad or old link."""
    key = invite_token_key(token)
    mentorship = Mentorship.objects.select_related("learner", "mentor").filter(key=key).first()
    if mentorship is None:
        raise InvitationInvalid
    # A link re-shown later is signed later; the invitation itself still ages from its creation.
    if mentorship.status == MS.PENDING and mentorship.created_at < timezone.now() - invite_max_age():
        raise InvitationExpired
    return mentorship


def learner_mentorships(*, learner: User) -> list[Mentorship]:
    """The learner's mentors and invitations: active first, then pending, then the ended ones."""
    rank = Case(
        When(status=MS.ACTIVE, then=Value(0)),
        When(status=MS.PENDING, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    return list(
        Mentorship.objects.filter(learner=learner)
        .select_related("mentor")
        .annotate(rank=rank)
        .order_by("rank", "-created_at")[:100]
    )


def active_mentorship(*, mentor: User, key: str) -> Mentorship | None:
    """The mentorship behind a mentor URL; only an active one with this user as mentor counts."""
    return (
        Mentorship.objects.select_related("learner", "learner__profile", "learner__plan")
        .filter(key=key, mentor=mentor, status=MS.ACTIVE)
        .first()
    )


def knows_mentorship(*, user: User, key: str) -> bool:
    """Whether `user` took part in this mentorship (so may be told it exists, with a 403)."""
    return Mentorship.objects.filter(Q(learner=user) | Q(mentor=user), key=key).exists()


def invitations_for(*, user: User) -> list[Mentorship]:
    """Pending e-mail invitations addressed to this user's address, newest first; none until the
    address is verified (anyone could sign up with an address they do not own)."""
    if not user.email_verified:
        return []
    return list(
        Mentorship.objects.filter(
            status=MS.PENDING,
            channel=Mentorship.Channel.EMAIL,
            invited_email__iexact=user.email,
            created_at__gte=timezone.now() - invite_max_age(),
        )
        .exclude(learner=user)
        .select_related("learner")[:50]
    )


def mentors_only(*, user: User) -> bool:
    """Whether `user` mentors (has accepted someone's invitation) but has not set up a plan of their own."""
    onboarded = Profile.objects.filter(user=user, onboarded_at__isnull=False).exists()
    return not onboarded and user.mentorships_as_mentor.filter(status__in=[MS.ACTIVE, MS.ENDED]).exists()
