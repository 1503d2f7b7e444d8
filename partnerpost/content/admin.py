"""Back-office records. Editorial work (submit, approve, publish) happens in the workspace, not here."""

from django.contrib import admin

from .models import AuditEntry, AwardCategory, AwardProgramme, Country, Item, Region, Series, Theme


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "parent"]
    search_fields = ["name", "code"]


@admin.register(Country)
class CountryAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "region"]
    search_fields = ["name", "code"]
    list_filter = ["region"]


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "sdg_number", "display_order"]
    list_filter = ["kind"]


admin.site.register(Series)


class AwardCategoryInline(admin.TabularInline):
    model = AwardCategory
    extra = 1


@admin.register(AwardProgramme)
class AwardProgrammeAdmin(admin.ModelAdmin):
    inlines = [AwardCategoryInline]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Item)
class ItemAdmin(admin.ModelAdmin):
    """Read-mostly: the state fields can only change through the workspace's workflow."""

    list_display = ["title", "kind", "partner", "state", "sort_date"]
    list_filter = ["kind", "state", "partner"]
    search_fields = ["title", "summary"]
    readonly_fields = ["state", "go_live_at", "first_published_at", "last_published_at", "submitted_at", "rejection_reason", "revision"]
    filter_horizontal = ["themes", "countries", "regions", "award_categories"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class EvidenceAdmin(admin.ModelAdmin):
    """Records kept as evidence (audit rows, consent records): readable, never added, changed or deleted here."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(EvidenceAdmin):
    list_display = ["at", "item", "action", "actor", "from_state", "to_state"]
    list_filter = ["action"]
