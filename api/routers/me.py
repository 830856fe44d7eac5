"""The learner's own data: profile, plan, progress, notes, evidence, deliverables, activity and the
comments on their steps. Writes (a step's status, a note, a comment) go through the pages' services."""

from typing import Any

from django.conf import settings
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from ninja import Router, Status
from ninja.pagination import paginate

from accounts.models import Profile
from accounts.throttling import limit_reached
from api.auth import LEARNER_AUTH, RateLimited, caller
from api.pagination import Mapped, Pages
from api.schemas import (
    ActivityOut,
    CommentIn,
    CommentOut,
    DeliverableOut,
    EvidenceOut,
    ItemOut,
    Kind,
    NoteIn,
    NoteOut,
    Out,
    PlanItemOut,
    PlanOut,
    PlanSummaryOut,
    ProfileOut,
    ProgressOut,
    StatusIn,
    StatusOut,
    copied,
    item_of,
)
from catalog.models import ITEM_FIELDS, Deliverable
from mentoring.models import StepComment
from mentoring.selectors.mentees import plan_item
from mentoring.services import comment_add
from mentoring.views import COMMENT_RATE
from roadmap.models import DeliverableCheck, EvidenceLink, Plan, PlanItem, Progress, ProgressEvent
from roadmap.selectors import Entry, learner_entries, plan_entries, plan_summary
from roadmap.services import note_save, progress_get_or_create, step_set_status

router = Router(tags=["me"], auth=LEARNER_AUTH)


@router.get("", response=ProfileOut, summary="My profile")
def profile(request: HttpRequest) -> ProfileOut:
    user = caller(request)
    found = Profile.objects.filter(user=user).prefetch_related("tracks").first()
    return ProfileOut(
        email=user.email,
        display_name=user.display_name,
        hours_per_week=found.hours_per_week if found else None,
        target_date=found.target_date if found else None,
        time_zone=found.time_zone if found else None,
        tracks=[track.slug for track in found.tracks.all()] if found else [],
    )


def _item_row(entry: Entry) -> PlanItemOut:
    # Built without validation: the fields come typed from plan_entries(), and a 1,000-item plan
    # would validate each of them again when the answer is checked against PlanOut.
    return copied(PlanItemOut, entry, validate=False)


@router.get("/plan", response=PlanOut, summary="My plan: every item with status, hours, week and why")
def plan(request: HttpRequest) -> HttpResponse:
    found = Plan.objects.select_related("learner__profile").filter(learner=caller(request)).first()
    profile = getattr(found.learner, "profile", None) if found else None
    if found is None or profile is None:
        raise Http404("You have no plan yet: answer the onboarding questions first.")
    entries = plan_entries(found)
    summary = plan_summary(plan=found, profile=profile, entries=entries)
    answer = PlanOut(
        built_at=found.built_at,
        focused=found.focused,
        summary=copied(
            PlanSummaryOut,
            summary,
            steps=summary.entries,
            complete=summary.overall.complete,
            percent=summary.overall.percent,
            hours_left=summary.remaining_hours,
        ),
        items=[_item_row(entry) for entry in entries],
    )
    # Serialised by pydantic in one pass (the response schema is still PlanOut): ninja's dump and
    # json.dumps of a 1,000-item plan took longer than reading it.
    return HttpResponse(answer.model_dump_json(), content_type="application/json")


def _with_items(queryset: QuerySet[Any], prefix: str = "") -> QuerySet[Any]:
    return queryset.select_related(*(prefix + kind for kind in ITEM_FIELDS))


def _on_my_steps(request: HttpRequest, model: type[Model], out: type[Out], *order: str) -> Mapped:
    """Rows hanging off the caller's progress rows (evidence, status changes), each with its item."""
    rows = _with_items(model._default_manager.filter(progress__learner=caller(request)), "progress__")
    return Mapped(rows.order_by(*order), lambda row: copied(out, row, item=item_of(row.progress)))


@router.get("/progress", response=list[ProgressOut], summary="My status of every item I touched")
@paginate(Pages)
def progress(request: HttpRequest) -> Any:
    rows = _with_items(Progress.objects.filter(learner=caller(request)).order_by("-updated_at", "-id"))
    return Mapped(rows, lambda p: copied(ProgressOut, p, item=item_of(p)))


def _step(request: HttpRequest, kind: str, slug: str) -> PlanItem:
    item = plan_item(learner=caller(request), kind=kind, slug=slug)
    if item is None:
        raise Http404("This step is not in your plan.")
    return item


@router.put("/steps/{kind}/{slug}/status", response=StatusOut, summary="Change a step's status")
def step_status(request: HttpRequest, kind: Kind, slug: str, payload: StatusIn) -> StatusOut:
    user = caller(request)
    if limit_reached(request, group="step-status", rate=settings.STEP_STATUS_RATE, key="user"):
        raise RateLimited(60)
    # As the plan page does: the whole plan in one read gives the step and its status as seen.
    entries, pace = learner_entries(user)
    entry = next((e for e in entries if e.kind == kind and e.slug == slug), None)
    if entry is None or pace is None:
        raise Http404("This step is not in your plan.")
    # Stores the status asked for (a no-op when it is already the step's).
    step_set_status(
        learner=user,
        kind=kind,
        item_id=entry.item_id,
        status=payload.status,
        seen=entry.status,
        progress_id=entry.progress_id,
        by=user,
    )
    return StatusOut(item=ItemOut(kind=kind, slug=entry.slug, name=entry.name), status=payload.status)


def _note_out(progress: Progress) -> NoteOut:
    return copied(NoteOut, progress, item=item_of(progress), shared=progress.notes_shared)


@router.put("/steps/{kind}/{slug}/note", response=NoteOut, summary="Write a step's notes")
def step_note(request: HttpRequest, kind: Kind, slug: str, payload: NoteIn) -> NoteOut:
    item = _step(request, kind, slug)
    progress = note_save(learner=caller(request), item=item, notes=payload.notes, shared=payload.shared)
    setattr(progress, kind, getattr(item, kind))  # the item plan_item() read already
    return _note_out(progress)


@router.get("/notes", response=list[NoteOut], summary="My notes, with whether mentors may read them")
@paginate(Pages)
def notes(request: HttpRequest) -> Any:
    rows = Progress.objects.filter(learner=caller(request)).exclude(notes="").order_by("-updated_at", "-id")
    return Mapped(_with_items(rows), _note_out)


@router.get("/evidence", response=list[EvidenceOut], summary="My evidence and resource links")
@paginate(Pages)
def evidence(request: HttpRequest) -> Any:
    return _on_my_steps(request, EvidenceLink, EvidenceOut, "-created_at", "-id")


@router.get("/deliverables", response=list[DeliverableOut], summary="Deliverables of the projects in my plan")
@paginate(Pages)
def deliverables(request: HttpRequest) -> Any:
    user = caller(request)
    projects = PlanItem.objects.filter(plan__learner=user, project__isnull=False).values("project_id")
    checked = DeliverableCheck.objects.filter(progress__learner=user).values("deliverable_id")
    rows = Deliverable.objects.filter(project_id__in=projects).select_related("project")
    return _Checked(rows.order_by("project__title", "order", "id"), checked)


class _Checked(Mapped):
    """Deliverables with the learner's ticks: the page's rows and one query for its ticks."""

    def __init__(self, queryset: QuerySet[Any], checked: QuerySet[Any]) -> None:
        super().__init__(queryset, None)
        self.checked = checked

    def __getitem__(self, page: slice) -> list[Any]:
        rows = list(self.queryset[page])
        done = set(
            self.checked.filter(deliverable_id__in=[d.pk for d in rows]).values_list(
                "deliverable_id", flat=True
            )
        )
        return [DeliverableOut(id=d.pk, project=d.project.slug, text=d.text, done=d.pk in done) for d in rows]


@router.get("/activity", response=list[ActivityOut], summary="The history of my status changes, newest first")
@paginate(Pages)
def activity(request: HttpRequest) -> Any:
    return _on_my_steps(request, ProgressEvent, ActivityOut, "-at", "-id")


def comment_rows(*, progress_of: dict[str, Any], reader_id: int) -> Mapped:
    """A step's comments, oldest first, with their authors: one query for the page."""
    rows = StepComment.objects.filter(**progress_of).select_related("author").order_by("created_at", "id")
    return Mapped(
        rows,
        lambda c: copied(
            CommentOut, c, author=c.author.display_name or c.author.email, mine=c.author_id == reader_id
        ),
    )


@router.get("/steps/{kind}/{slug}/comments", response=list[CommentOut], summary="Comments on one of my steps")
@paginate(Pages)
def step_comments(request: HttpRequest, kind: Kind, slug: str) -> Any:
    item = _step(request, kind, slug)
    user = caller(request)
    return comment_rows(
        progress_of={"progress__learner": user, f"progress__{kind}_id": item.item_key[1]}, reader_id=user.pk
    )


@router.post(
    "/steps/{kind}/{slug}/comments", response={201: CommentOut}, summary="Comment on one of my steps"
)
def step_comment_add(request: HttpRequest, kind: Kind, slug: str, payload: CommentIn) -> Status[CommentOut]:
    item = _step(request, kind, slug)
    return comment_post(request, learner=caller(request), kind=kind, item=item, body=payload.body)


def comment_post(
    request: HttpRequest, *, learner: Any, kind: str, item: PlanItem, body: str
) -> Status[CommentOut]:
    """A comment by the caller on `learner`'s step (their own, or a mentee's), rate-limited as the pages
    limit comments, through the pages' service."""
    author = caller(request)
    if limit_reached(request, group="comments", rate=COMMENT_RATE, key="user"):
        raise RateLimited(600)
    progress = progress_get_or_create(learner=learner, kind=kind, item_id=item.item_key[1])
    comment = comment_add(progress=progress, author=author, body=body)
    out = copied(CommentOut, comment, author=author.display_name or author.email, mine=True)
    return Status(201, out)
