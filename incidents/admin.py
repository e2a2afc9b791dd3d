"""Admin for the functioneel beheerder: metadata only. The content of a melding (encrypted
fields, messages, notes, attachments) is not shown or editable here; cases are worked in
the portal, where access is scoped and every view is audited."""

from django.contrib import admin

from .models import JobRecord, Melding


@admin.register(Melding)
class MeldingAdmin(admin.ModelAdmin):
    list_display = (
        "reference",
        "status",
        "route",
        "route_organisation",
        "severity",
        "submitted_at",
        "escalation_level",
    )
    list_filter = ("status", "route", "severity")
    fields = (
        "status",
        "route",
        "route_organisation",
        "severity",
        "submitted_at",
        "acknowledged_at",
        "ack_deadline",
        "escalation_level",
        "closed_at",
        "anonymised_at",
    )
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(JobRecord)
class JobRecordAdmin(admin.ModelAdmin):
    list_display = ("melding", "kind", "level", "acted_at")
    list_filter = ("kind",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
