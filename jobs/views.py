"""The Job ads pages: paste and analyse an ad, keep it, the saved ads, the market view, the plan's focus."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe

from accounts.http import AuthenticatedHttpRequest
from accounts.throttling import limit_reached
from jobs.forms import AdForm
from jobs.highlight import highlighted
from jobs.matching import analyse_ad
from jobs.models import JobFocus, SavedAd
from jobs.selectors import ad_report, market_view, market_view_all
from jobs.services import NO_SKILL, ad_analyse, ad_delete, ad_save, focus_remove, focus_set
from jobs.validation import AdTextError

LIMITED = "Too many job ads in a short time. Wait a minute, then try again."


def _ads_page(request: AuthenticatedHttpRequest, form: AdForm, status: int = 200) -> HttpResponse:
    ads = SavedAd.objects.filter(learner=request.user).only("pk", "title", "company", "created_at")
    focus = JobFocus.objects.filter(learner=request.user).values_list("ad_id", flat=True).first()
    context = {"form": form, "ads": ads, "focus_id": focus, "no_skill": NO_SKILL}
    return render(request, "jobs/ads.html", context, status=status)


@login_required
@require_safe
def ads(request: AuthenticatedHttpRequest) -> HttpResponse:
    return _ads_page(request, AdForm())


def _with_posted_ad(
    request: AuthenticatedHttpRequest, answer: Callable[[AdForm], HttpResponse], *, error_field: str | None
) -> HttpResponse:
    """`answer` to the posted ad form when it is valid and within the rate limit; else, or when the
    ad's text is refused (the error shown on `error_field`), the answer saying why."""
    if limit_reached(request, group="job-ad", rate=settings.JOB_AD_RATE, key="user"):
        return render(request, "roadmap/status_limited.html", {"message": LIMITED}, status=429)
    form = AdForm(request.POST)
    if not form.is_valid():
        return _ads_page(request, form, status=400)
    try:
        return answer(form)
    except AdTextError as error:
        form.add_error(error_field, str(error))
        return _ads_page(request, form, status=400)


@login_required
@require_POST
def analyse(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Analyse a pasted ad and show it; nothing is kept until the learner saves it."""

    def show(form: AdForm) -> HttpResponse:
        text, matches = ad_analyse(text=form.cleaned_data["text"])
        report = ad_report(learner=request.user, matches=matches)
        context = {"form": form, "report": report, "marked": highlighted(text, report.rows), "ad": None}
        return render(request, "jobs/ad.html", context)

    return _with_posted_ad(request, show, error_field="text")


@login_required
@require_POST
def save(request: AuthenticatedHttpRequest) -> HttpResponse:
    def keep(form: AdForm) -> HttpResponse:
        ad = ad_save(learner=request.user, **form.cleaned_data)
        messages.success(request, f"Saved “{ad.title}”.")
        return HttpResponseRedirect(reverse("jobs:ad", args=[ad.pk]))

    return _with_posted_ad(request, keep, error_field=None)


@login_required
@require_safe
def ad(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    saved = get_object_or_404(SavedAd, pk=pk, learner=request.user)
    report = ad_report(learner=request.user, matches=analyse_ad(saved.text))
    focused = JobFocus.objects.filter(learner=request.user, ad=saved).exists()
    context = {
        "ad": saved,
        "report": report,
        "marked": highlighted(saved.text, report.rows),
        "focused": focused,
    }
    return render(request, "jobs/ad.html", context)


@login_required
@require_POST
def delete(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    saved = get_object_or_404(SavedAd, pk=pk, learner=request.user)
    ad_delete(learner=request.user, ad=saved)
    messages.success(request, f"Deleted “{saved.title}”.")
    return HttpResponseRedirect(reverse("jobs:ads"))


def _replan_limited(request: AuthenticatedHttpRequest) -> HttpResponse | None:
    if limit_reached(request, group="plan-change", rate=settings.PLAN_CHANGE_RATE, key="user"):
        return render(request, "roadmap/status_limited.html", {"message": LIMITED}, status=429)
    return None


@login_required
@require_POST
def focus(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    if refused := _replan_limited(request):
        return refused
    saved = get_object_or_404(SavedAd, pk=pk, learner=request.user)
    focus_set(learner=request.user, ad=saved)
    messages.success(request, f"Your plan is now focused on “{saved.title}”.")
    return HttpResponseRedirect(reverse("roadmap:plan"))


@login_required
@require_POST
def unfocus(request: AuthenticatedHttpRequest) -> HttpResponse:
    if refused := _replan_limited(request):
        return refused
    focus_remove(learner=request.user)
    messages.success(request, "Your plan is no longer focused on a job.")
    return HttpResponseRedirect(reverse("roadmap:plan"))


@login_required
@require_safe
def market(request: AuthenticatedHttpRequest) -> HttpResponse:
    rows = market_view(learner=request.user)
    return render(request, "jobs/market.html", {"rows": rows, "total": rows[0].total if rows else 0})


@staff_member_required
@require_safe
def market_all(request: HttpRequest) -> HttpResponse:
    """What every learner's saved ads ask for: counts only, no ad text, no learner."""
    total, rows = market_view_all()
    return render(request, "jobs/market_all.html", {"rows": rows, "total": total})
