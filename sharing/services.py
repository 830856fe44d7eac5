"""Every write of sharing: the learner's settings and tokens, badges issued and revoked, plan PDFs asked for."""

from __future__ import annotations

import datetime as dt
import re

from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import User
from mentoring.models import ProjectReview
from sharing.badges import Achievement, credential_document, sign
from sharing.models import Credential, PlanPdf, Sharing, new_token
from sharing.pdf import NOTES
from sharing.selectors import finished_stages, finished_tracks, shared_plan
from sharing.tasks import plan_pdf_make

HANDLE = re.compile(r"[a-z0-9](?:[a-z0-9-]{1,28}[a-z0-9])")
# Handles that would read as the site speaking, or collide with paths people expect.
RESERVED_HANDLES = frozenset(
    {
        "admin", "administrator", "root", "staff", "support", "help", "about", "api", "app", "www",
        "mail", "email", "pathwise", "accounts", "account", "login", "logout", "signup", "settings",
        "plan", "map", "mentor", "mentors", "badges", "badge", "verify", "card", "feed", "calendar",
        "static", "media", "healthz", "null", "none", "undefined", "me", "you", "official", "security",
    }
)  # fmt: skip


class SharingError(ValueError):
    """A change that cannot be stored; the message is meant for the learner."""


def sharing_for(*, learner: User) -> Sharing:
    """The learner's sharing settings, made (everything off) on first use."""
    sharing, _ = Sharing.objects.get_or_create(learner=learner)
    return sharing


def handle_problem(handle: str, *, learner: User) -> str:
    """Why this handle cannot be the learner's ("" when it can)."""
    if not HANDLE.fullmatch(handle):
        return (
            "Use 3 to 30 lower-case letters, digits or hyphens, starting and ending with a letter or digit."
        )
    if handle in RESERVED_HANDLES:
        return "That handle is reserved; choose another."
    if Sharing.objects.filter(handle=handle).exclude(learner=learner).exists():
        return "That handle is taken; choose another."
    return ""


# What each private address is called in messages, by the Sharing field holding its token.
TOKEN_FIELDS = {"feed": "feed_token", "card": "card_token"}


@transaction.atomic
def token_regenerate(*, learner: User, which: str) -> Sharing:
    """A new calendar-feed or card address ("feed" or "card"): the old one stops answering at once."""
    if which not in TOKEN_FIELDS:
        raise SharingError("There is no such address to renew.")
    sharing = sharing_for(learner=learner)
    setattr(sharing, TOKEN_FIELDS[which], new_token())
    sharing.updated_at = timezone.now()
    sharing.save(update_fields=[TOKEN_FIELDS[which], "updated_at"])
    return sharing


@transaction.atomic
def study_sessions_set(*, learner: User, days: list[int], start: dt.time, minutes: int) -> Sharing:
    if any(not 0 <= day <= 6 for day in days):
        raise SharingError("Choose days from Monday to Sunday.")
    if not 15 <= minutes <= 480:
        raise SharingError("A session lasts from 15 minutes to 8 hours.")
    sharing = sharing_for(learner=learner)
    sharing.session_days = sorted(set(days))
    sharing.session_start = start.replace(second=0, microsecond=0)
    sharing.session_minutes = minutes
    sharing.updated_at = timezone.now()
    sharing.save(update_fields=["session_days", "session_start", "session_minutes", "updated_at"])
    return sharing


PAGE_FIELDS = (
    "indexable", "show_progress", "show_stages", "show_map", "show_projects", "show_badges", "show_streak",
)  # fmt: skip


def public_page_set(*, learner: User, public: bool, handle: str, **shown: bool) -> Sharing:
    """Turn the public page on or off, with its handle and what it shows; off takes effect at once."""
    handle = handle.strip().lower()
    if public or handle:
        problem = handle_problem(handle, learner=learner)
        if problem:
            raise SharingError(problem)
    try:
        with transaction.atomic():
            sharing = Sharing.objects.select_for_update().get(pk=sharing_for(learner=learner).pk)
            sharing.public = public
            sharing.handle = handle or None
            for name in PAGE_FIELDS:
                setattr(sharing, name, bool(shown.get(name, False)))
            sharing.updated_at = timezone.now()
            sharing.save()
    except IntegrityError as error:  # another learner took the handle a moment ago
        raise SharingError("That handle is taken; choose another.") from error
    return sharing


# ---------------------------------------------------------------- badges


def earned_achievements(*, learner: User) -> list[Achievement]:
    """What the learner has earned now: finished tracks and stages, projects a mentor approved."""
    plan = shared_plan(learner)
    found: list[Achievement] = []
    if plan is not None:
        for track in finished_tracks(learner=learner, plan=plan):
            found.append(
                Achievement(
                    "track", f"track:{track.slug}", f"Finished the {track.name} track",
                    f"Finished every stage of the {track.name} track on Pathwise.",
                    "Every scheduled step of every stage of the track done (or known already).",
                )
            )  # fmt: skip
        for stage in finished_stages(plan):
            found.append(
                Achievement(
                    "stage", f"stage:{stage.label}", f"Finished the stage {stage.label}",
                    f"Finished the stage {stage.label} of a Pathwise roadmap.",
                    "Every scheduled step of the stage done (or known already).",
                )
            )  # fmt: skip
    approved = (
        ProjectReview.objects.filter(progress__learner=learner, status=ProjectReview.Status.APPROVED)
        .order_by("responded_at", "id")
        .values_list("progress__project__slug", "progress__project__title", "evidence_url")
    )
    seen: set[str] = set()
    for slug, title, evidence in approved:
        if slug and slug not in seen:
            seen.add(slug)
            found.append(
                Achievement(
                    "project", f"project:{slug}", f"Project approved: {title}",
                    f"Built the project {title}; a mentor reviewed the work and approved it.",
                    "The project's work, reviewed and approved by the learner's mentor on Pathwise.",
                    [(evidence, "The work the mentor reviewed")],
                )
            )  # fmt: skip
    return found


def badges_award(*, learner: User) -> list[Credential]:
    """Issue a signed credential for each achievement the learner has earned and has no badge for
    yet; one per subject (the database's constraint), so racing calls issue it once."""
    have = set(Credential.objects.filter(learner=learner).values_list("subject", flat=True))
    issued = []
    recipient = learner.display_name or "A Pathwise learner"
    for achievement in earned_achievements(learner=learner):
        if achievement.subject in have:
            continue
        credential = Credential(learner=learner, kind=achievement.kind, subject=achievement.subject)
        credential.name = achievement.name
        document = credential_document(
            credential_id=credential.pk,
            achievement=achievement,
            recipient=recipient,
            issued_at=credential.issued_at,
        )
        credential.jws = sign(document)
        try:
            with transaction.atomic():
                credential.save(force_insert=True)
        except IntegrityError:
            continue
        issued.append(credential)
    return issued


@transaction.atomic
def sharing_revoke_all(*, learner: User, reason: str) -> int:
    """Before an account is deleted: every badge revoked (the rows outlive the user, so verification
    says "revoked"), the feed, card and page with the Sharing row (it cascades with the user)."""
    count = Credential.objects.filter(learner=learner, revoked_at__isnull=True).update(
        revoked_at=timezone.now(), revoked_reason=reason
    )
    Sharing.objects.filter(learner=learner).delete()
    return count


# ---------------------------------------------------------------- plan PDFs


@transaction.atomic
def plan_pdf_request(*, requester: User, learner: User, notes: str, version: str) -> PlanPdf:
    """Ask for the PDF `plan_pdf_needed` said is missing: the row reset to pending with its version,
    and a task queued once the transaction commits. The caller checks who may ask."""
    if notes not in NOTES:
        raise ValueError(f"notes must be one of {NOTES}")
    values = {
        "notes": notes,
        "version": version,
        "status": PlanPdf.Status.PENDING,
        "content": b"",
        "requested_at": timezone.now(),
        "made_at": None,
    }
    try:
        with transaction.atomic():
            pdf, _ = PlanPdf.objects.update_or_create(requester=requester, learner=learner, defaults=values)
    except IntegrityError:  # a concurrent first request made the row: ours resets it
        pdf = PlanPdf.objects.get(requester=requester, learner=learner)
        for name, value in values.items():
            setattr(pdf, name, value)
        pdf.save()
    pk, at = pdf.pk, pdf.requested_at
    transaction.on_commit(lambda: _queue(pk, at))
    return pdf


def _queue(pk: int, requested_at: dt.datetime) -> None:
    plan_pdf_make.delay(pk, requested_at.isoformat())
