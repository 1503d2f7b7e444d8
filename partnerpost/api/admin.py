"""API tokens in the back office: to see who made which, and when it was last used.
They are made and revoked on the workspace page, where the secret is shown once."""

from django.contrib import admin

from partnerpost.content.admin import EvidenceAdmin

from .models import ApiToken


@admin.register(ApiToken)
class ApiTokenAdmin(EvidenceAdmin):
    list_display = ["name", "partner", "display", "created_by", "created_at", "last_used_at", "expires_at", "revoked_at"]
    list_filter = ["partner"]
    search_fields = ["name", "prefix"]
    exclude = ["key_hash"]
