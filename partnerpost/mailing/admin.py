from django.contrib import admin

from partnerpost.content.admin import EvidenceAdmin

from .models import BounceRecord, OutboxMessage, ScheduledSend, SendAuditEntry, SendPause


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    list_display = ["created_at", "to", "subject"]
    search_fields = ["to", "subject"]


class ReadOnly(EvidenceAdmin):
    """Shown, never changed here: a pause is lifted on the edition's page or with `send SLUG --resume`,
    which write the audit row; the audit rows are evidence."""


@admin.register(SendPause)
class SendPauseAdmin(ReadOnly):
    list_display = ["edition", "since", "reason"]


@admin.register(SendAuditEntry)
class SendAuditEntryAdmin(ReadOnly):
    list_display = ["at", "edition", "action", "actor", "note"]
    list_filter = ["action"]


@admin.register(BounceRecord)
class BounceRecordAdmin(ReadOnly):
    """Bounces and complaints read by `partnerpost bounces read`: evidence, never changed here."""

    list_display = ["read_at", "kind", "status", "delivery", "subscriber", "counted", "source"]
    list_filter = ["kind", "counted"]
    search_fields = ["subscriber__email", "status", "diagnostic", "source"]


@admin.register(ScheduledSend)
class ScheduledSendAdmin(ReadOnly):
    """A schedule is set and cancelled on the edition's page or with `send SLUG --at` / `--cancel`."""

    list_display = ["edition", "run_at", "state", "scheduled_by", "created_at"]
    list_filter = ["state"]
