from django.contrib import admin

from partnerpost.content.admin import EvidenceAdmin

from .models import EditionAuditEntry


@admin.register(EditionAuditEntry)
class EditionAuditEntryAdmin(EvidenceAdmin):
    list_display = ["at", "edition", "action", "actor", "from_state", "to_state"]
    list_filter = ["action"]
