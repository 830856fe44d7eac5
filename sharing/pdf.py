"""The plan's PDF, made by a Celery worker: WeasyPrint takes seconds on a big plan (~5 s of CPU for
1,000 steps), which no web request may spend. The learner (or a mentor) asks with a POST, the task
renders and stores it (PlanPdf), the page polls until it can offer the download."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from dataclasses import dataclass

from django.db.models import Count, Max
from django.utils import timezone

from accounts.models import User, today_in
from roadmap.models import OwnStep, Plan, Progress
from sharing.documents import plan_document, plan_pdf
from sharing.models import PlanPdf
from sharing.selectors import shared_plan

logger = logging.getLogger(__name__)
NOTES = ("all", "none", "shared")
# A request still pending after this long lost its task (a worker died): asking again queues another.
PENDING_FOR = dt.timedelta(minutes=10)


def plan_version(*, learner: User, notes: str) -> str:
    """A fingerprint of what the document would show: the plan's build, the progress (statuses and
    the notes this copy may hold), the learner's own steps and the day (the projected finish moves
    with it). Three queries, whatever the plan's size."""
    plan = (
        Plan.objects.filter(learner=learner)
        .annotate(last=Max("learner__progress__updated_at"), rows=Count("learner__progress"))
        .values_list("built_at", "last", "rows", "learner__profile__time_zone")
        .first()
    )
    # The learner's day, not the server's: the finish date turns at the learner's midnight.
    day = today_in(plan[-1] if plan else None)
    parts: list[object] = [notes, day, plan]
    if notes != "none":
        rows = Progress.objects.filter(learner=learner).exclude(notes="")
        if notes == "shared":
            rows = rows.filter(notes_shared=True)
        parts.append(sorted(rows.values_list("pk", "notes")))
    own = OwnStep.objects.filter(learner=learner)
    if notes != "all":
        own = own.filter(private=False)
    parts.append(sorted(own.values_list("pk", "title", "hours", "status")))
    return hashlib.sha256(repr(parts).encode()).hexdigest()


@dataclass(frozen=True)
class PdfState:
    """What the PDF page shows: the stored PDF (if any) and whether it still matches the plan."""

    pdf: PlanPdf | None
    fresh: bool

    @property
    def pending(self) -> bool:
        return self.pdf is not None and self.pdf.status == PlanPdf.Status.PENDING and self.fresh

    @property
    def ready(self) -> bool:
        return self.pdf is not None and self.pdf.status == PlanPdf.Status.READY


def _lost(pdf: PlanPdf) -> bool:
    """A pending request whose task never came (a worker died): asking again queues another."""
    return pdf.status == PlanPdf.Status.PENDING and pdf.requested_at < timezone.now() - PENDING_FOR


def plan_pdf_state(*, requester: User, learner: User) -> PdfState:
    """The requester's PDF of the learner's plan, without its bytes."""
    pdf = PlanPdf.objects.filter(requester=requester, learner=learner).defer("content").first()
    if pdf is None:
        return PdfState(None, fresh=False)
    current = pdf.version == plan_version(learner=learner, notes=pdf.notes)
    return PdfState(pdf, fresh=current and not _lost(pdf))


def plan_pdf_needed(*, requester: User, learner: User, notes: str) -> str | None:
    """The version a new PDF with these notes would have, or None when the stored one is that PDF
    already (made, or on its way)."""
    if notes not in NOTES:
        raise ValueError(f"notes must be one of {NOTES}")
    pdf = PlanPdf.objects.filter(requester=requester, learner=learner).defer("content").first()
    version = plan_version(learner=learner, notes=notes)
    if (
        pdf is not None
        and (pdf.notes, pdf.version) == (notes, version)
        and pdf.status != PlanPdf.Status.FAILED
        and not _lost(pdf)
    ):
        return None
    return version


def plan_pdf_content(*, learner: User, own: bool, notes: str) -> bytes:
    """The PDF's bytes (what the task spends its seconds on; bench/sharing.py times it)."""
    plan = shared_plan(learner)
    if plan is None:
        raise ValueError("There is no plan yet.")
    whose = "My" if own else f"{learner.display_name or 'Your mentee'}'s"
    return plan_pdf(plan_document(learner=learner, plan=plan, whose=whose, notes=notes))


def plan_pdf_render(*, pdf_id: int, requested_at: str | None = None) -> bool:
    """Make the PDF of a pending request and store it; False when there is nothing (left) to do:
    the row is gone (an account deleted), no longer pending, or asked for again since."""
    pdf = PlanPdf.objects.filter(pk=pdf_id, status=PlanPdf.Status.PENDING).defer("content").first()
    if pdf is None or (requested_at and pdf.requested_at != dt.datetime.fromisoformat(requested_at)):
        return False
    learner = User.objects.get(pk=pdf.learner_id)
    version = plan_version(learner=learner, notes=pdf.notes)
    this_request = PlanPdf.objects.filter(
        pk=pdf.pk, requested_at=pdf.requested_at, status=PlanPdf.Status.PENDING
    )
    try:
        content = plan_pdf_content(learner=learner, own=pdf.requester_id == pdf.learner_id, notes=pdf.notes)
    except Exception:
        logger.exception("The plan PDF %s could not be made", pdf.pk)
        this_request.update(status=PlanPdf.Status.FAILED)
        return False
    made = this_request.update(
        status=PlanPdf.Status.READY, content=content, version=version, made_at=timezone.now()
    )
    return bool(made)
