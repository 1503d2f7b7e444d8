from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from .models import Membership, Partner, User


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["partner"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = BaseUserAdmin.fieldsets + (("Partnerpost", {"fields": ["is_secretariat_editor"]}),)
    list_display = ["username", "email", "first_name", "last_name", "is_secretariat_editor", "is_staff"]
    list_filter = ["is_secretariat_editor", "is_staff", "is_active"]
    inlines = [MembershipInline]


@admin.register(Partner)
class PartnerAdmin(admin.ModelAdmin):
    list_display = ["acronym", "name", "kind", "country", "display_order", "is_active"]
    list_editable = ["display_order", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "acronym"]
    prepopulated_fields = {"slug": ["acronym"]}
    autocomplete_fields = ["country", "region"]
