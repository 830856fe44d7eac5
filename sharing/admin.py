"""Admin of sharing: learners' sharing settings and the badges issued (revocable by staff)."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone

from sharing.models import Credential, Sharing


@admin.register(Sharing)
class SharingAdmin(admin.ModelAdmin):
    list_display = ["learner", "public", "handle", "indexable", "updated_at"]
    list_filter = ["public", "indexable"]
    search_fields = ["learner__email", "handle"]
    list_select_related = ["learner"]
    autocomplete_fields = ["learner"]
    # The tokens are credentials: staff need not see them (regenerating is the learner's).
    exclude = ["feed_token", "card_token"]


@admin.action(description="Revoke the selected badges")
def revoke(modeladmin: CredentialAdmin, request: HttpRequest, queryset: QuerySet[Credential]) -> None:
    queryset.filter(revoked_at__isnull=True).update(
        revoked_at=timezone.now(), revoked_reason="Revoked by Pathwise staff."
    )


@admin.register(Credential)
class CredentialAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "learner", "issued_at", "revoked_at"]
    list_filter = ["kind", "revoked_at"]
    search_fields = ["name", "learner__email", "subject"]
    list_select_related = ["learner"]
    readonly_fields = ["id", "learner", "kind", "subject", "name", "issued_at", "jws"]
    actions = [revoke]
