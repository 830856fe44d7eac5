"""`manage.py create_demo_accounts`: the demo admin, learner and mentor (idempotent, never resets)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from accounts.models import Profile, User

ADMIN = ("admin@pathwise.local", "pathwise-admin")
LEARNER = ("learner@pathwise.local", "pathwise-learner")
MENTOR = ("mentor@pathwise.local", "pathwise-mentor")


def demo_user(*, email: str, password: str, display_name: str, superuser: bool = False) -> tuple[User, bool]:
    """The user with this e-mail, created with `password` if missing; an existing one is left alone."""
    user = User.objects.filter(email=email).first()
    if user is not None:
        return user, False
    if superuser:
        user = User.objects.create_superuser(email, password, display_name=display_name)
    else:
        user = User.objects.create_user(email, password, display_name=display_name)
    return user, True


def demo_admin() -> tuple[User, bool]:
    user, created = demo_user(email=ADMIN[0], password=ADMIN[1], display_name="Demo Admin", superuser=True)
    Profile.objects.get_or_create(user=user)
    return user, created


def demo_learner() -> tuple[User, bool]:
    user, created = demo_user(email=LEARNER[0], password=LEARNER[1], display_name="Demo Learner")
    Profile.objects.get_or_create(user=user)
    return user, created


def demo_mentor() -> tuple[User, bool]:
    user, created = demo_user(email=MENTOR[0], password=MENTOR[1], display_name="Demo Mentor")
    Profile.objects.get_or_create(user=user)
    return user, created


class Command(BaseCommand):
    help = "Create the demo admin, learner and mentor if they are missing, and print their credentials."

    def handle(self, *args: Any, **options: Any) -> None:
        accounts = [
            ("Admin", demo_admin, ADMIN),
            ("Learner", demo_learner, LEARNER),
            ("Mentor", demo_mentor, MENTOR),
        ]
        self.stdout.write("Demo accounts (log in at /accounts/login/, the admin also at /admin/):")
        for role, create, (email, password) in accounts:
            with transaction.atomic():
                _, created = create()
            state = "created" if created else "already there, left unchanged"
            self.stdout.write(f"  {role:<8} {email:<24} password: {password}  ({state})")
