"""Pages of sharing: the settings page, the calendar feed, the public page and its card, badges and
their verification, the plan as a document (the learner's and a mentor's copy)."""

from __future__ import annotations

import json
import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Max
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.http import AuthenticatedHttpRequest
from accounts.models import User
from mentoring.views.mentor import mentorship_or_404
from roadmap.models import Plan
from sharing import selectors
from sharing.badges import download_document, issuer_profile, verify
from sharing.calendar import plan_calendar
from sharing.card import progress_card
from sharing.documents import document_map, plan_document, plan_markdown
from sharing.forms import PublicPageForm, SessionsForm, VerifyForm
from sharing.keys import public_jwks
from sharing.models import Credential, Sharing
from sharing.services import (
    PAGE_FIELDS,
    SharingError,
    badges_award,
    public_page_set,
    sharing_for,
    study_sessions_set,
    token_regenerate,
)

ICS = "text/calendar; charset=utf-8"


# ---------------------------------------------------------------- the learner's settings


@login_required
@require_safe
def settings_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    sharing = sharing_for(learner=request.user)
    sessions = SessionsForm(
        initial={
            "days": sharing.session_days,
            "start": sharing.session_start,
            "minutes": sharing.session_minutes,
        }
    )
    page = PublicPageForm(
        initial={"public": sharing.public, "handle": sharing.handle or ""}
        | {name: getattr(sharing, name) for name in PAGE_FIELDS}
    )
    return _settings(request, sharing, sessions=sessions, page=page)


def _settings(
    request: AuthenticatedHttpRequest, sharing: Sharing | None = None, **forms: Any
) -> HttpResponse:
    """The settings page with these forms; `sharing` when the caller has read it already."""
    sharing = sharing or sharing_for(learner=request.user)
    context = {
        "sharing": sharing,
        "feed_url": request.build_absolute_uri(reverse("sharing:feed", args=[sharing.feed_token])),
        "card_url": request.build_absolute_uri(reverse("sharing:card", args=[sharing.card_token])),
        "page_url": request.build_absolute_uri(reverse("sharing:public", args=[sharing.handle]))
        if sharing.handle
        else "",
        **forms,
    }
    return render(
        request,
        "sharing/settings.html",
        context,
        status=400 if any(f.errors for f in forms.values()) else 200,
    )


@login_required
@require_POST
def sessions(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = SessionsForm(request.POST)
    if not form.is_valid():
        return _settings(request, sessions=form, page=PublicPageForm())
    data = form.cleaned_data
    try:
        study_sessions_set(
            learner=request.user, days=data["days"], start=data["start"], minutes=data["minutes"]
        )
    except SharingError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "Study sessions saved: your calendar shows them at its next refresh.")
    return redirect("sharing:settings")


@login_required
@require_POST
def public_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = PublicPageForm(request.POST)
    if not form.is_valid():
        return _settings(request, sessions=SessionsForm(), page=form)
    data = form.cleaned_data
    try:
        public_page_set(learner=request.user, **data)
    except SharingError as error:
        form.add_error("handle", str(error))
        return _settings(request, sessions=SessionsForm(), page=form)
    messages.success(request, "Your public page is on." if data["public"] else "Your public page is off.")
    return redirect("sharing:settings")


REGENERATED = {
    "feed": "New calendar address made: the old one no longer works.",
    "card": "New card address made: the old one no longer works.",
}


@login_required
@require_POST
def address_regenerate(request: AuthenticatedHttpRequest, which: str) -> HttpResponse:
    """A new calendar-feed or card address (the URL says which)."""
    token_regenerate(learner=request.user, which=which)
    messages.success(request, REGENERATED[which])
    return redirect("sharing:settings")


# ---------------------------------------------------------------- the calendar


def _calendar(learner: User, sharing: Any) -> bytes:
    changed = (
        Plan.objects.filter(learner=learner)
        .annotate(last=Max("learner__progress__updated_at"))
        .values_list("built_at", "last")
        .first()
    )
    plan = selectors.shared_plan(learner)
    return plan_calendar(sharing=sharing, plan=plan, changed=max(filter(None, changed or ()), default=None))


@require_safe
def feed(request: HttpRequest, token: str) -> HttpResponse:
    """The subscription: the token is the credential (calendar apps send no cookies)."""
    sharing = selectors.sharing_by_feed_token(token[:64])
    if sharing is None:
        raise Http404
    response = HttpResponse(_calendar(sharing.learner, sharing), content_type=ICS)
    patch_cache_control(response, private=True, max_age=300)
    response["X-Robots-Tag"] = "noindex"
    return response


@login_required
@require_safe
def calendar_download(request: AuthenticatedHttpRequest) -> HttpResponse:
    sharing = sharing_for(learner=request.user)
    response = HttpResponse(_calendar(request.user, sharing), content_type=ICS)
    response["Content-Disposition"] = 'attachment; filename="pathwise-plan.ics"'
    return response


# ---------------------------------------------------------------- the public page and its card


def _json_ld(data: dict[str, Any]) -> str:
    """JSON for a <script> element: nothing in it can close the element."""
    text = json.dumps(data, ensure_ascii=False)
    return text.replace("<", "\\u003C").replace(">", "\\u003E").replace("&", "\\u0026")


@require_safe
def public(request: HttpRequest, handle: str) -> HttpResponse:
    sharing = selectors.sharing_by_handle(handle[:40])
    if sharing is None:
        raise Http404
    learner = sharing.learner
    plan = selectors.shared_plan(learner)
    name = learner.display_name or sharing.handle or ""
    url = request.build_absolute_uri()
    context: dict[str, Any] = {"sharing": sharing, "name": name, "plan": plan, "page_url": url}
    if plan is not None:
        summary = plan.summary
        context["summary"] = summary
        if sharing.show_map:
            context["map_svg"] = mark_safe(document_map(plan))  # map_svg escapes every text
    if sharing.show_progress:
        context["tracks"] = selectors.track_names(learner=learner)
    if sharing.show_projects:
        context["projects"] = selectors.finished_projects(learner=learner)
    if sharing.show_badges:
        context["badges"] = selectors.learner_badges(learner=learner)
    if sharing.show_streak:
        time_zone = plan.summary.pace.time_zone if plan else None
        context["streak"] = selectors.current_streak(learner=learner, time_zone=time_zone)
    percent = plan.summary.overall.percent if plan else 0
    description = f"{name}'s learning roadmap on Pathwise: {percent}% done."
    context["description"] = description
    context["card_image"] = request.build_absolute_uri(reverse("sharing:card", args=[sharing.card_token]))
    context["json_ld"] = mark_safe(  # escaped for a script element by _json_ld
        _json_ld(
            {
                "@context": "https://schema.org",
                "@type": "ProfilePage",
                "url": url,
                "name": f"{name} on Pathwise",
                "description": description,
                "mainEntity": {
                    "@type": "Person",
                    "name": name,
                    "knowsAbout": selectors.top_skills(plan) if plan else [],
                },
            }
        )
    )
    response = render(request, "sharing/public.html", context)
    if not sharing.indexable:
        response["X-Robots-Tag"] = "noindex"
    # Shareable, but never served from a cache without asking: turning the page off takes effect at
    # once, for visitors behind a shared cache too.
    patch_cache_control(response, public=True, no_cache=True, max_age=0)
    return response


@require_safe
def card(request: HttpRequest, token: str) -> HttpResponse:
    sharing = selectors.sharing_by_card_token(token[:64])
    if sharing is None:
        raise Http404
    plan = selectors.shared_plan(sharing.learner)
    overall = plan.summary.overall if plan else None
    svg = progress_card(
        name=sharing.learner.display_name or sharing.handle or "",
        percent=overall.percent if overall else 0,
        complete=overall.complete if overall else 0,
        total=overall.total if overall else 0,
        skills=selectors.top_skills(plan) if plan else [],
        page_url=request.build_absolute_uri(reverse("sharing:public", args=[sharing.handle])),
    )
    response = HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")
    # Like the page: revalidated on every view, so a page turned off takes its card with it at once.
    patch_cache_control(response, public=True, no_cache=True, max_age=0)
    response["X-Robots-Tag"] = "noindex"
    response["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'"
    return response


# ---------------------------------------------------------------- badges


@login_required
@require_safe
def badges(request: AuthenticatedHttpRequest) -> HttpResponse:
    # Awarded when the learner looks: one place that knows every condition (see the README).
    badges_award(learner=request.user)
    return render(request, "sharing/badges.html", {"badges": selectors.learner_badges(learner=request.user)})


@login_required
@require_safe
def badge_download(request: AuthenticatedHttpRequest, pk: str) -> HttpResponse:
    try:
        key = uuid.UUID(pk[:40])
    except ValueError:
        raise Http404 from None
    credential = Credential.objects.filter(pk=key, learner=request.user, revoked_at__isnull=True).first()
    if credential is None:
        raise Http404
    response = JsonResponse(
        download_document(credential), json_dumps_params={"indent": 2, "ensure_ascii": False}
    )
    response["Content-Disposition"] = f'attachment; filename="pathwise-badge-{credential.pk}.json"'
    return response


@require_http_methods(["GET", "POST"])
def verify_page(request: HttpRequest) -> HttpResponse:
    form = VerifyForm(request.POST or None, request.FILES or None)
    verdict = None
    if request.method == "POST" and form.is_valid():
        verdict = verify(str(form.cleaned_data["credential"]))
    status = 400 if request.method == "POST" and form.errors else 200
    return render(request, "sharing/verify.html", {"form": form, "verdict": verdict}, status=status)


@require_safe
def issuer(request: HttpRequest) -> HttpResponse:
    profile = issuer_profile() | {"verificationMethod": request.build_absolute_uri(reverse("sharing:jwks"))}
    response = JsonResponse(profile)
    patch_cache_control(response, public=True, max_age=3600)
    return response


@require_safe
def jwks(request: HttpRequest) -> HttpResponse:
    response = JsonResponse(public_jwks(), content_type="application/jwk-set+json")
    patch_cache_control(response, public=True, max_age=3600)
    return response


# ---------------------------------------------------------------- the plan as a document


def _markdown_response(*, learner: User, whose: str, notes: str, filename: str) -> HttpResponse:
    """The Markdown copy, made in the request (it is cheap); the PDF is made by a worker (pdf_views)."""
    plan = selectors.shared_plan(learner)
    if plan is None:
        raise Http404("There is no plan yet.")
    document = plan_document(learner=learner, plan=plan, whose=whose, notes=notes)
    response = HttpResponse(plan_markdown(document), content_type="text/markdown; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.md"'
    return response


@login_required
@require_safe
def plan_download(request: AuthenticatedHttpRequest, fmt: str) -> HttpResponse:
    if not Plan.objects.filter(learner=request.user).exists():
        messages.info(request, "Tell us your goals first: the document is your plan.")
        return redirect("roadmap:onboarding")
    if fmt == "pdf":  # made by a worker: the page that asks for it and offers it when ready
        return redirect("sharing:plan_pdf")
    if fmt != "md":
        raise Http404
    notes = "all" if request.GET.get("notes") == "1" else "none"
    return _markdown_response(learner=request.user, whose="My", notes=notes, filename="pathwise-plan")


@login_required
@require_safe
def mentee_plan_download(request: AuthenticatedHttpRequest, key: str, fmt: str) -> HttpResponse:
    mentorship = mentorship_or_404(request, key)
    if fmt == "pdf":
        return redirect("sharing:mentee_plan_pdf", key=key)
    if fmt != "md":
        raise Http404
    learner = mentorship.learner
    whose = f"{learner.display_name or 'Your mentee'}'s"
    return _markdown_response(learner=learner, whose=whose, notes="shared", filename="mentee-plan")
