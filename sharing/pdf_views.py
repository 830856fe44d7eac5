"""The plan's PDF pages: ask for it (POST), see it being prepared (htmx polls; without JavaScript
the page refreshes itself and has a link), download it. The learner's own copy and a mentor's copy
of a mentee's plan (only what the mentee shares); each requester sees and downloads only their own."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_safe

from accounts.http import AuthenticatedHttpRequest
from accounts.models import User
from accounts.throttling import limit_reached
from mentoring.views.mentor import mentorship_or_404
from roadmap.models import Plan
from sharing.models import PlanPdf
from sharing.pdf import plan_pdf_needed, plan_pdf_state
from sharing.services import plan_pdf_request

PDF_RATE = "30/h"
POLL_SECONDS = 2


def _page(
    request: AuthenticatedHttpRequest,
    *,
    learner: User,
    notes: str,
    page_url: str,
    download_url: str,
    whose: str,
) -> HttpResponse:
    if request.method == "POST":
        if learner == request.user:
            notes = "all" if request.POST.get("notes") == "1" else "none"
        version = plan_pdf_needed(requester=request.user, learner=learner, notes=notes)
        if version is None:
            pass  # the stored PDF is this one: nothing to make, nothing counted
        elif limit_reached(request, group="sharing.pdf", rate=PDF_RATE, key="user"):
            messages.error(request, "Too many PDFs in an hour; try again later.")
        else:
            plan_pdf_request(requester=request.user, learner=learner, notes=notes, version=version)
        return redirect(page_url)
    state = plan_pdf_state(requester=request.user, learner=learner)
    context: dict[str, Any] = {
        "state": state,
        "whose": whose,
        "own": learner == request.user,
        "page_url": page_url,
        "download_url": download_url,
        "poll_seconds": POLL_SECONDS,
    }
    if request.htmx:
        return render(request, "sharing/plan_pdf.html#state", context)
    return render(request, "sharing/plan_pdf.html", context)


def _download(request: AuthenticatedHttpRequest, *, learner: User, filename: str) -> HttpResponse:
    pdf = PlanPdf.objects.filter(requester=request.user, learner=learner, status=PlanPdf.Status.READY).first()
    if pdf is None:
        raise Http404("No PDF is ready: ask for one first.")
    response = HttpResponse(bytes(pdf.content), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}.pdf"'
    return response


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def plan_pdf_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not Plan.objects.filter(learner=request.user).exists():
        messages.info(request, "Tell us your goals first: the document is your plan.")
        return redirect("roadmap:onboarding")
    return _page(
        request,
        learner=request.user,
        notes="none",
        page_url=reverse("sharing:plan_pdf"),
        download_url=reverse("sharing:plan_pdf_download"),
        whose="Your",
    )


@login_required
@require_safe
def plan_pdf_download(request: AuthenticatedHttpRequest) -> HttpResponse:
    return _download(request, learner=request.user, filename="pathwise-plan")


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def mentee_plan_pdf_page(request: AuthenticatedHttpRequest, key: str) -> HttpResponse:
    mentorship = mentorship_or_404(request, key)
    learner = mentorship.learner
    return _page(
        request,
        learner=learner,
        notes="shared",
        page_url=reverse("sharing:mentee_plan_pdf", args=[key]),
        download_url=reverse("sharing:mentee_plan_pdf_download", args=[key]),
        whose=f"{learner.display_name or 'Your mentee'}'s",
    )


@login_required
@require_safe
def mentee_plan_pdf_download(request: AuthenticatedHttpRequest, key: str) -> HttpResponse:
    return _download(request, learner=mentorship_or_404(request, key).learner, filename="mentee-plan")
