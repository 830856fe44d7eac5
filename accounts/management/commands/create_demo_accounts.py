"""`manage.py create_demo_accounts`: the demo admin, learner and mentor (idempotent, never resets)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from accounts.models import Profile, User

ADMIN = ("admin@pathwise.local", "pathwise-admin")
LEARNER = ("learner@pathwise.local", "pathwise-learner")
MENTOR = ("mentor@pathwise.local", "pathwise-mentor")
MENTEE = ("mentee@pathwise.local", "pathwise-mentee")


def demo_user(*, email: str, password: str, display_name: str, superuser: bool = False) -> tuple[User, bool]:
    """The user with this e-mail, created with `password` if missing; an existing one is left alone."""
    user = User.objects.filter(email=email).first()
    if user is not None:
        return user, False
    # Demo addresses receive no mail: they count as verified, so invitations work at once.
    verified = {"display_name": display_name, "email_verified_at": timezone.now()}
    if superuser:
        user = User.objects.create_superuser(email, password, **verified)
    else:
        user = User.objects.create_user(email, password, **verified)
    return user, True


def demo_admin() -> tuple[User, bool]:
    user, created = demo_user(email=ADMIN[0], password=ADMIN[1], display_name="Demo Admin", superuser=True)
    Profile.objects.get_or_create(user=user)
    return user, created


def demo_learner() -> tuple[User, bool]:
    user, created = demo_user(email=LEARNER[0], password=LEARNER[1], display_name="Demo Learner")
    profile, _ = Profile.objects.get_or_create(user=user)
    if profile.onboarded_at is None:
        demo_onboard(profile)
    return user, created


def demo_onboard(profile: Profile) -> None:
    """The demo learner follows the core track with a built plan and a few steps done (once content exists)."""
    from roadmap.models import PlanItem, Progress, Track
    from roadmap.services import plan_rebuild, step_set_status

    core = Track.objects.filter(is_core=True).order_by("order").first()
    if core is None:  # no content loaded yet: onboard on a later run
        return
    profile.background = Profile.Background.SOFTWARE_ENGINEER
    profile.hours_per_week = 8
    profile.onboarded_at = timezone.now()
    # Saving onboarded_at sets the first reminder slot, as onboarding does (reminders.receivers).
    profile.save(update_fields=["background", "hours_per_week", "onboarded_at"])
    profile.tracks.set([core])
    plan_rebuild(learner=profile.user)
    first = PlanItem.objects.filter(plan__learner=profile.user, known=False).order_by("position")[:4]
    statuses = [Progress.Status.DONE] * 3 + [Progress.Status.IN_PROGRESS]
    for item, status in zip(first, statuses, strict=False):
        kind, item_id = item.item_key
        step_set_status(learner=profile.user, kind=kind, item_id=item_id, status=status, by=profile.user)


def demo_mentor() -> tuple[User, bool]:
    user, created = demo_user(email=MENTOR[0], password=MENTOR[1], display_name="Demo Mentor")
    Profile.objects.get_or_create(user=user)
    return user, created


def demo_mentee() -> tuple[User, bool]:
    """A second learner the demo mentor already mentors, so the dashboard is not empty.

    The demo learner stays unlinked, so the invitation flow can be tried with it.
    """
    user, created = demo_user(email=MENTEE[0], password=MENTEE[1], display_name="Demo Mentee")
    profile, _ = Profile.objects.get_or_create(user=user)
    if profile.onboarded_at is None:
        demo_onboard(profile)
    mentor, _ = demo_mentor()
    demo_mentorship(learner=user, mentor=mentor)
    return user, created


def demo_mentorship(*, learner: User, mentor: User) -> None:
    """An active mentorship with one comment, made once: a pair that ended it is not linked again."""
    import secrets

    from accounts.models import Mentorship
    from accounts.services import comment_add
    from roadmap.models import Progress

    if Mentorship.objects.filter(learner=learner, mentor=mentor).exists():
        return
    Mentorship.objects.create(
        learner=learner,
        mentor=mentor,
        invited_email=mentor.email,
        channel=Mentorship.Channel.LINK,
        key=secrets.token_urlsafe(32),
        status=Mentorship.Status.ACTIVE,
        responded_at=timezone.now(),
    )
    done = (
        Progress.objects.filter(learner=learner, status=Progress.Status.DONE).order_by("completed_at").first()
    )
    if done is not None:
        comment_add(
            progress=done, author=mentor, body="Nice start! What was the **hardest part** of this one?"
        )


class Command(BaseCommand):
    help = "Create the demo admin, learner and mentor if they are missing, and print their credentials."

    def handle(self, *args: Any, **options: Any) -> None:
        accounts = [
            ("Admin", demo_admin, ADMIN),
            ("Learner", demo_learner, LEARNER),
            ("Mentor", demo_mentor, MENTOR),
            ("Mentee", demo_mentee, MENTEE),
        ]
        self.stdout.write("Demo accounts (log in at /accounts/login/, the admin also at /admin/):")
        for role, create, (email, password) in accounts:
            with transaction.atomic():
                _, created = create()
            state = "created" if created else "already there, left unchanged"
            self.stdout.write(f"  {role:<8} {email:<24} password: {password}  ({state})")
