"""The Django admin is the functioneel beheerder's tool for organisations, people and
reference data. It is reached only through allauth login with MFA (see urls.py)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import AuditEvent, Invitation, Membership, Notification, Organisation, User


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "code", "province", "is_active"]
    list_filter = ["kind", "is_active", "province"]
    search_fields = ["name", "code"]
    list_select_related = ["province"]


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["organisation"]


@admin.register(User)
class UserAdmin(admin.ModelAdmin):
    list_display = ["email", "full_name", "is_active", "date_joined"]
    list_filter = ["is_active", "memberships__role"]
    search_fields = ["email", "full_name"]
    exclude = ["password", "groups", "user_permissions", "phone"]
    readonly_fields = ["last_login", "date_joined"]
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "organisation", "role", "position", "valid_from", "valid_until"]
    list_filter = ["role", "position", "organisation__kind"]
    search_fields = ["user__email", "organisation__name"]
    autocomplete_fields = ["user", "organisation"]
    list_select_related = ["user", "organisation"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "organisation", "role", "created_at", "expires_at", "accepted_at"]
    list_filter = ["role"]
    search_fields = ["email"]
    exclude = ["token_hash"]
    readonly_fields = ["invited_by", "accepted_by", "accepted_at", "expires_at"]
    list_select_related = ["organisation"]

    def has_add_permission(self, request):
        # Invitations are made in the portal, which emails the one-time link.
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ["created_at", "actor", "action", "object_type", "object_id", "ip_address"]
    list_filter = ["action", "object_type"]
    search_fields = ["object_id", "actor__email"]
    list_select_related = ["actor"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["created_at", "recipient", "kind", "status", "attempts", "next_attempt_at"]
    list_filter = ["status", "kind"]
    readonly_fields = [f.name for f in Notification._meta.fields]
    list_select_related = ["recipient"]
    actions = ["retry_now"]

    @admin.action(description=_("Opnieuw proberen te verzenden"))
    def retry_now(self, request, queryset):
        from django.utils import timezone

        from .constants import NotificationStatus

        # A row being sent is left alone: its claim's lease decides when it is due again.
        queryset.exclude(status__in=[NotificationStatus.SENT, NotificationStatus.SENDING]).update(
            status=NotificationStatus.PENDING, next_attempt_at=timezone.now()
        )

    def has_add_permission(self, request):
        return False
