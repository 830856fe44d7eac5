"""`manage.py seed_load`: learners with plans and progress, and mentors with mentees, for the load test."""

from __future__ import annotations

import json
import random
import secrets
from importlib import import_module
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction
from django.utils import timezone

from accounts.models import Profile, User
from catalog.models import Track
from mentoring.models import Mentorship
from roadmap.models import Progress
from roadmap.services import plan_rebuild, step_set_status

PASSWORD = "pathwise-load-test"  # noqa: S105 - throwaway accounts on a load-test database
LEARNER_EMAIL = "load-learner-{}@load.pathwise.test"
MENTOR_EMAIL = "load-mentor-{}@load.pathwise.test"


def _user(email: str, display_name: str, password_hash: str) -> User:
    user, _ = User.objects.get_or_create(
        email=email, defaults={"display_name": display_name, "password": password_hash}
    )
    Profile.objects.get_or_create(user=user)
    return user


def _session_for(user: User) -> str:
    """A logged-in session, so virtual users skip the (deliberately slow) password hash on login."""
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return str(store.session_key)


class Command(BaseCommand):
    help = "Create (or top up) load-test learners with plans and progress, and mentors with mentees."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--learners", type=int, default=100)
        parser.add_argument("--mentors", type=int, default=10)
        parser.add_argument("--mentees-per-mentor", type=int, default=10)
        parser.add_argument("--sessions-out", type=Path, help="Write logged-in session keys here (JSON).")
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args: Any, **options: Any) -> None:
        core = Track.objects.filter(is_core=True).first() or Track.objects.first()
        if core is None:
            raise CommandError("No tracks: load the shipped content first (make content).")
        others = list(Track.objects.exclude(pk=core.pk))
        rng = random.Random(options["seed"])
        password_hash = make_password(PASSWORD)  # hashed once: hashing per user would take minutes
        learners = [self._learner(i, core, others, rng, password_hash) for i in range(options["learners"])]
        mentors = [
            self._mentor(j, learners, options["mentees_per_mentor"], password_hash)
            for j in range(options["mentors"])
        ]
        if connection.vendor == "postgresql":
            # Fresh statistics, as autovacuum would gather a little later: planned against the empty
            # tables' estimates, the dashboard's status join took 116 ms instead of 14 ms for 10 mentees.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        self.stdout.write(
            f"{len(learners)} learners, {len(mentors)} mentors ready (password {PASSWORD!r}, "
            f"e-mails {LEARNER_EMAIL.format('N')} / {MENTOR_EMAIL.format('N')})."
        )
        if options["sessions_out"]:
            out: Path = options["sessions_out"]
            out.parent.mkdir(parents=True, exist_ok=True)
            sessions = {
                "learners": [{"email": u.email, "session": _session_for(u)} for u in learners],
                "mentors": [{"email": u.email, "session": _session_for(u)} for u in mentors],
                "session_cookie": settings.SESSION_COOKIE_NAME,
            }
            out.write_text(json.dumps(sessions, indent=1))
            self.stdout.write(f"Sessions written to {out}.")

    @transaction.atomic
    def _learner(
        self, i: int, core: Track, others: list[Track], rng: random.Random, password_hash: str
    ) -> User:
        user = _user(LEARNER_EMAIL.format(i), f"Load learner {i}", password_hash)
        profile = user.profile
        if profile.onboarded_at is None:
            profile.tracks.set([core, *rng.sample(others, k=min(len(others), rng.randint(0, 2)))])
            profile.hours_per_week = rng.choice([4, 6, 10, 15])
            profile.onboarded_at = timezone.now()
            profile.save(update_fields=["hours_per_week", "onboarded_at"])
            plan_rebuild(learner=user)
            # Some steps already done, so pages show the mix of states real learners have.
            items = list(user.plan.items.order_by("position")[: rng.randint(0, 25)])
            for item in items:
                kind, item_id = item.item_key
                step_set_status(
                    learner=user, kind=kind, item_id=item_id, status=Progress.Status.DONE, by=user
                )
        return user

    @transaction.atomic
    def _mentor(self, j: int, learners: list[User], per_mentor: int, password_hash: str) -> User:
        mentor = _user(MENTOR_EMAIL.format(j), f"Load mentor {j}", password_hash)
        if not learners:
            return mentor
        for k in range(per_mentor):
            learner = learners[(j * per_mentor + k) % len(learners)]
            if learner.pk == mentor.pk:
                continue
            Mentorship.objects.get_or_create(
                learner=learner,
                mentor=mentor,
                status=Mentorship.Status.ACTIVE,
                defaults={"key": secrets.token_urlsafe(32), "responded_at": timezone.now()},
            )
        return mentor
