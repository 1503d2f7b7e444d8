from django.contrib import admin

from partnerpost.content.admin import EvidenceAdmin

from .models import ConsentRecord, Subscriber


class ConsentInline(admin.TabularInline):
    model = ConsentRecord
    extra = 0
    can_delete = False
    readonly_fields = ["at", "action", "source", "text_shown", "ip_hash", "operator", "note"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Subscriber)
class SubscriberAdmin(admin.ModelAdmin):
    """Status and preference changes go through the subscription pages (or `partnerpost subscribers`),
    so that each leaves a consent record: here they are shown, not edited."""

    list_display = ["email", "name", "language", "country", "status", "created_at"]
    list_filter = ["status", "language"]
    search_fields = ["email_key", "name", "organization"]
    readonly_fields = ["email", "language", "partners", "themes", "status", "confirmed_at", "unsubscribed_at",
                       "hard_bounces"]

    def has_add_permission(self, request):
        return False  # people subscribe themselves, or are imported with a statement of their consent
    inlines = [ConsentInline]

    def has_delete_permission(self, request, obj=None):
        return False  # consent evidence is never deleted silently


@admin.register(ConsentRecord)
class ConsentRecordAdmin(EvidenceAdmin):
    list_display = ["at", "subscriber", "action", "source"]
    list_filter = ["action", "source"]
