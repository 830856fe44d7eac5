"""Adding a course of a skill's "how to learn it" to the learner's plan, through the plan's own
services: an optional or after-the-target step of the plan is included or pinned, a course the
learner's tracks do not hold becomes a step of their own."""

from __future__ import annotations

from django.db import transaction

from accounts.models import Profile, User
from catalog.models import Course, Skill, Stage
from roadmap.models import OWN_STEP_HOURS_MAX, OwnStep, PlanItem
from roadmap.planning import Lane
from roadmap.services.plans import PlanError, own_step_add, step_include, step_pin


@transaction.atomic
def course_add(*, learner: User, course: Course, skill: Skill) -> str:
    """Put the course in the learner's schedule; return what they are told.

    A course on one of their tracks is already a plan step: included when optional, pinned when the
    focused plan put it after the target (both re-plan, hours counted once). Any other course of the
    skill joins as a step of their own, with its link and hours, in the stage that teaches the skill.
    """
    item = PlanItem.objects.filter(plan__learner=learner, course=course).first()
    if item is not None:
        if item.lane == Lane.OPTIONAL:
            step_include(learner=learner, item=item, included=True)
            return f"{course.title} is in your schedule now (+{item.hours} h)."
        if item.lane == Lane.LATER:
            step_pin(learner=learner, item=item, pinned=True)
            return f"{course.title} is pinned into your plan."
        raise PlanError(f"{course.title} is in your plan already.")
    if OwnStep.objects.filter(learner=learner, url=course.url).exists():
        raise PlanError(f"{course.title} is one of your own steps already.")
    tracks = Profile.tracks.through.objects.filter(profile__user=learner).values("track_id")
    stage = (
        Stage.objects.filter(track_id__in=tracks, steps__skill=skill).order_by("track_id", "order").first()
    )
    hours = min(course.hours, OWN_STEP_HOURS_MAX)
    own_step_add(learner=learner, title=course.title[:160], url=course.url, hours=hours, stage=stage)
    return f"{course.title} is one of your own steps now ({hours} h)."
