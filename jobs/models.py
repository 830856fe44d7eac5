"""Job ads a learner saved (private to them), the skills each asks for, and the plan's focus on one."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from catalog.models import Skill

TITLE_MAX_LENGTH = 200
COMPANY_MAX_LENGTH = 200
MAX_SAVED_ADS = 100  # per learner: the market view and the export stay small


class SavedAd(models.Model):
    """A job ad a learner pasted and kept. Only its owner ever sees its text."""

    learner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="job_ads")
    title = models.CharField(max_length=TITLE_MAX_LENGTH)
    company = models.CharField(max_length=COMPANY_MAX_LENGTH, blank=True)
    text = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)
    skills = models.ManyToManyField(Skill, through="AdSkill", related_name="+")

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["learner", "created_at"])]

    def __str__(self) -> str:
        return f"{self.title} ({self.company})" if self.company else self.title


class AdSkill(models.Model):
    """A skill a saved ad asks for, as the matcher found it when the ad was saved."""

    ad = models.ForeignKey(SavedAd, on_delete=models.CASCADE, related_name="ad_skills")
    skill = models.ForeignKey(Skill, on_delete=models.CASCADE, related_name="+")
    required = models.BooleanField(default=True)

    class Meta:
        ordering = ["ad", "-required", "skill__name"]
        constraints = [models.UniqueConstraint(fields=["ad", "skill"], name="unique_ad_skill")]

    def __str__(self) -> str:
        return f"{self.ad_id}: {self.skill_id}"


class JobFocus(models.Model):
    """The one saved ad a learner's plan is aimed at (at most one per learner; removing it keeps the ad)."""

    learner = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="job_focus"
    )
    ad = models.ForeignKey(SavedAd, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name_plural = "job focuses"

    def __str__(self) -> str:
        return f"{self.learner} focused on {self.ad}"
