"""Every write of the jobs app: save and delete a job ad, aim the plan at one and stop."""

from __future__ import annotations

from django.db import transaction

from accounts.models import User
from jobs.focus import focus_forget
from jobs.matching import SkillMatch, analyse_ad
from jobs.models import COMPANY_MAX_LENGTH, MAX_SAVED_ADS, TITLE_MAX_LENGTH, AdSkill, JobFocus, SavedAd
from jobs.validation import AdTextError, clean_ad_text
from roadmap.models import Plan

NO_SKILL = "We found no skills we know in this ad."


def ad_analyse(*, text: str) -> tuple[str, tuple[SkillMatch, ...]]:
    """The cleaned text and what it asks for; AdTextError when there is nothing to analyse or keep."""
    cleaned = clean_ad_text(text)
    matches = analyse_ad(cleaned)
    if not matches:
        raise AdTextError(NO_SKILL)
    return cleaned, matches


@transaction.atomic
def ad_save(*, learner: User, text: str, title: str, company: str = "") -> SavedAd:
    """Keep an ad for the learner with the skills it asks for (analysed again here, never trusted)."""
    title, company = title.strip(), company.strip()
    if not title:
        raise AdTextError("Give the ad a title, such as the job's name.")
    if len(title) > TITLE_MAX_LENGTH or len(company) > COMPANY_MAX_LENGTH:
        raise AdTextError(f"Keep the title and the company under {TITLE_MAX_LENGTH} characters.")
    if "\x00" in title + company:
        raise AdTextError("The title or company holds characters we cannot keep.")
    User.objects.select_for_update().filter(pk=learner.pk).first()  # one save at a time per learner
    if SavedAd.objects.filter(learner=learner).count() >= MAX_SAVED_ADS:
        raise AdTextError(f"You can keep at most {MAX_SAVED_ADS} ads; delete one first.")
    cleaned, matches = ad_analyse(text=text)
    ad = SavedAd.objects.create(learner=learner, title=title, company=company, text=cleaned)
    AdSkill.objects.bulk_create(AdSkill(ad=ad, skill_id=m.skill_id, required=m.required) for m in matches)
    return ad


@transaction.atomic
def ad_delete(*, learner: User, ad: SavedAd) -> None:
    """Delete one of the learner's ads; a plan focused on it is re-planned without the focus."""
    if ad.learner_id != learner.pk:
        raise AdTextError("That ad is not yours.")
    focused = JobFocus.objects.filter(learner=learner, ad=ad).exists()
    ad.delete()
    if focused:
        focus_forget(learner.pk)
        _replan(learner)


@transaction.atomic
def focus_set(*, learner: User, ad: SavedAd) -> None:
    """Aim the learner's plan at this ad (replacing any other focus) and re-plan."""
    if ad.learner_id != learner.pk:
        raise AdTextError("That ad is not yours.")
    JobFocus.objects.update_or_create(learner=learner, defaults={"ad": ad})
    focus_forget(learner.pk)
    _replan(learner)


@transaction.atomic
def focus_remove(*, learner: User) -> None:
    """Stop aiming the plan at a job; the ad stays saved."""
    deleted, _ = JobFocus.objects.filter(learner=learner).delete()
    if deleted:
        focus_forget(learner.pk)
        _replan(learner)


def _replan(learner: User) -> None:
    from roadmap.services import plan_rebuild

    if Plan.objects.filter(learner=learner).exists():
        plan_rebuild(learner=learner)
