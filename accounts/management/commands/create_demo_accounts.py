"""`manage.py create_demo_accounts`: the demo admin, learner and mentor (idempotent, never resets)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from accounts.models import Profile, User, today_in

ADMIN = ("admin@pathwise.local", "pathwise-admin")
LEARNER = ("learner@pathwise.local", "pathwise-learner")
MENTOR = ("mentor@pathwise.local", "pathwise-mentor")
MENTEE = ("mentee@pathwise.local", "pathwise-mentee")
REVIEWER = ("reviewer@pathwise.local", "pathwise-reviewer")
# When the demo learner finished each step, in days ago: bars over five weeks, and a streak up to today.
DONE_DAYS_AGO = [34, 31, 27, 24, 20, 17, 13, 10, 6, 3, 2, 1, 0]


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
    demo_history(user)
    return user, created


def demo_history(learner: User) -> None:
    """Five weeks of the demo learner's history, written once (a learner with anything older than a
    day has a history already): steps finished across the weeks and a streak up to today, a weekly
    goal, and a reviewer who approved a project and talks with them about a step."""
    import datetime as dt

    from mentoring.models import ProjectReview
    from roadmap.models import PlanItem, Progress, ProgressEvent
    from roadmap.services import weekly_goal_set

    now = timezone.now()
    if (
        not hasattr(learner, "plan")
        or ProgressEvent.objects.filter(progress__learner=learner, at__lt=now - dt.timedelta(days=1)).exists()
    ):
        return
    User.objects.filter(pk=learner.pk).update(date_joined=now - dt.timedelta(days=DONE_DAYS_AGO[0] + 2))
    items = list(
        PlanItem.objects.filter(plan__learner=learner, known=False, project__isnull=True).order_by("position")
    )
    # At most half the plan, so there is still a road ahead: a short plan gets the oldest day
    # (a bar weeks ago) and the streak up to today.
    count = min(len(DONE_DAYS_AGO), max(3, len(items) // 2))
    days = (
        DONE_DAYS_AGO if count == len(DONE_DAYS_AGO) else [DONE_DAYS_AGO[0], *DONE_DAYS_AGO[-(count - 1) :]]
    )
    for item, days_ago in zip(items, days, strict=False):
        progress = _demo_status(learner, item, Progress.Status.DONE)
        moment = now - dt.timedelta(days=days_ago, hours=1)
        Progress.objects.filter(pk=progress.pk).update(completed_at=moment, updated_at=moment)
        ProgressEvent.objects.filter(progress=progress).update(at=moment)
    weekly_goal_set(learner=learner, unit="steps", target=3)
    project = (
        PlanItem.objects.filter(plan__learner=learner, project__isnull=False).order_by("position").first()
    )
    if project is None or ProjectReview.objects.filter(progress__learner=learner).exists():
        return
    reviewer, _ = demo_reviewer()
    demo_mentorship(learner=learner, mentor=reviewer)
    demo_review(learner=learner, reviewer=reviewer, item=project)


def _demo_status(learner: User, item: Any, status: str) -> Any:
    from roadmap.models import Progress
    from roadmap.services import step_set_status

    kind, item_id = item.item_key
    step_set_status(learner=learner, kind=kind, item_id=item_id, status=status, by=learner)
    return Progress.objects.get(learner=learner, **{f"{kind}_id": item_id})


def demo_review(*, learner: User, reviewer: User, item: Any) -> None:
    """A project the reviewer approved a week ago, after asking for one change, with a short thread."""
    import datetime as dt

    from mentoring.models import ProjectReview
    from mentoring.services import comment_add, review_request, review_respond
    from roadmap.models import Progress
    from roadmap.services import evidence_add

    progress = _demo_status(learner, item, Progress.Status.IN_PROGRESS)
    url = "https://github.com/pathwise-demo/first-project"
    evidence_add(learner=learner, item=item, url=url, label="The project's repository")
    review_request(
        progress=progress, evidence_url=url, message="My first portfolio project. Is the README clear?"
    )
    review_respond(
        progress=progress,
        reviewer=reviewer,
        approve=False,
        response="Good work. Add how to **reproduce the results** to the README, then ask again.",
    )
    review_request(progress=progress, evidence_url=url, message="README updated with a reproduction section.")
    review_respond(
        progress=progress, reviewer=reviewer, approve=True, response="Clear and reproducible. Approved!"
    )
    _demo_status(learner, item, Progress.Status.DONE)
    comment_add(progress=progress, author=learner, body="Should I add a model card too?")
    comment_add(
        progress=progress, author=reviewer, body="Yes: a short one. Employers like seeing the limits."
    )
    comment_add(progress=progress, author=learner, body="Done, thanks!")
    week_ago = timezone.now() - dt.timedelta(days=7)
    ProjectReview.objects.filter(progress=progress).update(requested_at=week_ago, responded_at=week_ago)


def demo_onboard(profile: Profile) -> None:
    """The demo learner follows the core track with a built plan and a few steps done (once content exists)."""
    from catalog.models import Background, Track
    from roadmap.models import PlanItem, Progress
    from roadmap.services import goals_save, step_set_status

    core = Track.objects.filter(is_core=True).order_by("order").first()
    if core is None:  # no content loaded yet: onboard on a later run
        return
    # As onboarding does: the background's proposed skills confirmed, a target a year away (the plan
    # page then shows how to make it), the plan built and the first reminder slot set now.
    background = Background.objects.filter(slug=Profile.Background.SOFTWARE_ENGINEER).first()
    goals_save(
        user=profile.user,
        background=Profile.Background.SOFTWARE_ENGINEER,
        tracks=[core],
        known_skills=list(background.proposed_skills.all()) if background else [],
        hours_per_week=8,
        target_date=today_in(profile.time_zone) + dt.timedelta(days=365),
        time_zone=profile.time_zone,
    )
    first = PlanItem.objects.filter(plan__learner=profile.user, known=False).order_by("position")[:4]
    statuses = [Progress.Status.DONE] * 3 + [Progress.Status.IN_PROGRESS]
    for item, status in zip(first, statuses, strict=False):
        kind, item_id = item.item_key
        step_set_status(learner=profile.user, kind=kind, item_id=item_id, status=status, by=profile.user)


def demo_mentor() -> tuple[User, bool]:
    user, created = demo_user(email=MENTOR[0], password=MENTOR[1], display_name="Demo Mentor")
    Profile.objects.get_or_create(user=user)
    return user, created


def demo_reviewer() -> tuple[User, bool]:
    """The mentor who reviewed the demo learner's first project (see demo_history)."""
    user, created = demo_user(email=REVIEWER[0], password=REVIEWER[1], display_name="Demo Reviewer")
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

    from mentoring.models import Mentorship
    from mentoring.services import comment_add
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
            ("Reviewer", demo_reviewer, REVIEWER),
        ]
        self.stdout.write("Demo accounts (log in at /accounts/login/, the admin also at /admin/):")
        for role, create, (email, password) in accounts:
            with transaction.atomic():
                _, created = create()
            state = "created" if created else "already there, left unchanged"
            self.stdout.write(f"  {role:<8} {email:<24} password: {password}  ({state})")
