"""Admin for the functioneel beheerder: the catalogue, the SLA per class and the staff
settings. Applications themselves are read-only here and show no private details."""

from django.contrib import admin

from .models import Application, MeasureType, SlaSetting, StaffProfile


@admin.register(MeasureType)
class MeasureTypeAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "domain",
        "category",
        "responsible_party",
        "estimated_cost",
        "priority",
        "is_active",
    ]
    list_filter = ["domain", "category", "responsible_party", "is_active"]
    search_fields = ["name", "code"]


@admin.register(SlaSetting)
class SlaSettingAdmin(admin.ModelAdmin):
    list_display = ["urgency_class", "intake_working_days"]


@admin.register(StaffProfile)
class StaffProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "cases_per_week", "is_team_lead"]
    list_filter = ["is_team_lead"]
    raw_id_fields = ["user"]


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    list_display = [
        "__str__",
        "organisation",
        "position",
        "urgency_class",
        "status",
        "score",
        "submitted_at",
    ]
    list_filter = ["status", "urgency_class", "position"]
    fields = [
        "organisation",
        "position",
        "urgency_class",
        "status",
        "score",
        "submitted_at",
        "closed_at",
        "purged_at",
    ]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
