"""Admin for mentorships, step comments and project reviews."""

from __future__ import annotations

from django.contrib import admin

from catalog.models import ITEM_FIELDS
from mentoring.models import Mentorship, ProjectReview, StepComment


@admin.register(Mentorship)
class MentorshipAdmin(admin.ModelAdmin):
    list_display = (
        "learner",
        "mentor",
        "invited_email",
        "channel",
        "status",
        "created_at",
        "sent_at",
        "responded_at",
    )
    list_filter = ("status", "channel")
    search_fields = ("learner__email", "mentor__email", "invited_email")
    list_select_related = ("learner", "mentor")
    autocomplete_fields = ("learner", "mentor")
    date_hierarchy = "created_at"


@admin.register(StepComment)
class StepCommentAdmin(admin.ModelAdmin):
    list_display = ("author", "progress", "created_at")
    search_fields = ("body", "author__email", "progress__learner__email")
    list_select_related = ("author", "progress__learner", *[f"progress__{f}" for f in ITEM_FIELDS])
    autocomplete_fields = ("author", "progress")
    date_hierarchy = "created_at"


@admin.register(ProjectReview)
class ProjectReviewAdmin(admin.ModelAdmin):
    list_display = ("progress", "status", "reviewer", "requested_at", "responded_at")
    list_filter = ("status",)
    search_fields = ("progress__learner__email", "reviewer__email", "evidence_url", "message")
    list_select_related = ("progress__learner", *[f"progress__{f}" for f in ITEM_FIELDS], "reviewer")
    autocomplete_fields = ("progress", "reviewer")
    date_hierarchy = "requested_at"
