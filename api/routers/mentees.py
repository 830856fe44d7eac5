"""The mentor's side, read only but for comments: their mentees and each mentee's shared progress.
Every lookup goes through an active mentorship of the requesting mentor (nothing before consent or
after the end), as the mentee pages do."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from ninja import Router, Status
from ninja.pagination import paginate

from api.auth import LEARNER_AUTH, caller
from api.pagination import Pages
from api.routers.me import _item_row, comment_post, comment_rows
from api.schemas import CommentIn, CommentOut, Kind, MenteeOut, PlanItemOut, SharedNoteOut, copied, item_of
from mentoring.models import Mentorship
from mentoring.selectors.invitations import active_mentorship, knows_mentorship
from mentoring.selectors.mentees import MenteeRow, mentee_rows, plan_item, shared_notes
from roadmap.models import PlanItem
from roadmap.selectors import plan_entries

router = Router(tags=["mentees"], auth=LEARNER_AUTH)


def _mentorship(request: HttpRequest, key: str) -> Mentorship:
    """As the mentee pages: an active mentorship with the caller as mentor; 403 for one the caller
    knows of (its learner, or an ended one), 404 for any other key."""
    user = caller(request)
    mentorship = active_mentorship(mentor=user, key=key)
    if mentorship is None:
        if knows_mentorship(user=user, key=key):
            raise PermissionDenied("This mentorship is not active, or you are not its mentor.")
        raise Http404("No such mentee.")
    return mentorship


def _mentee_out(row: MenteeRow) -> MenteeOut:
    return copied(
        MenteeOut,
        row,
        display_name=row.learner.display_name,
        email=row.learner.email,
        steps=row.total_steps,
        done=row.done_steps,
    )


@router.get("", response=list[MenteeOut], summary="My mentees (active mentorships) with their figures")
@paginate(Pages)
def mentees(request: HttpRequest) -> list[MenteeOut]:
    return [_mentee_out(row) for row in mentee_rows(mentor=caller(request))]


@router.get("/{key}/plan", response=list[PlanItemOut], summary="A mentee's plan with their statuses")
@paginate(Pages)
def mentee_plan(request: HttpRequest, key: str) -> list[PlanItemOut]:
    mentorship = _mentorship(request, key)
    plan = getattr(mentorship.learner, "plan", None)
    return [_item_row(entry) for entry in plan_entries(plan)] if plan is not None else []


@router.get("/{key}/notes", response=list[SharedNoteOut], summary="The notes a mentee shares with mentors")
@paginate(Pages)
def mentee_notes(request: HttpRequest, key: str) -> list[SharedNoteOut]:
    mentorship = _mentorship(request, key)
    return [copied(SharedNoteOut, p, item=item_of(p)) for p in shared_notes(learner=mentorship.learner)]


def _mentee_step(request: HttpRequest, key: str, kind: str, slug: str) -> tuple[Mentorship, PlanItem]:
    mentorship = _mentorship(request, key)
    item = plan_item(learner=mentorship.learner, kind=kind, slug=slug)
    if item is None:
        raise Http404("This step is not in your mentee's plan.")
    return mentorship, item


@router.get(
    "/{key}/steps/{kind}/{slug}/comments", response=list[CommentOut], summary="Comments on a mentee's step"
)
@paginate(Pages)
def mentee_comments(request: HttpRequest, key: str, kind: Kind, slug: str) -> Any:
    mentorship, item = _mentee_step(request, key, kind, slug)
    return comment_rows(
        progress_of={"progress__learner": mentorship.learner, f"progress__{kind}_id": item.item_key[1]},
        reader_id=caller(request).pk,
    )


@router.post(
    "/{key}/steps/{kind}/{slug}/comments", response={201: CommentOut}, summary="Comment on a mentee's step"
)
def mentee_comment_add(
    request: HttpRequest, key: str, kind: Kind, slug: str, payload: CommentIn
) -> Status[CommentOut]:
    mentorship, item = _mentee_step(request, key, kind, slug)
    return comment_post(request, learner=mentorship.learner, kind=kind, item=item, body=payload.body)
