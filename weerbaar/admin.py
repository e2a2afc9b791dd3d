"""The Django admin is the functioneel beheerder's tool for organisations, people and
reference data. It is reached only through allauth login with MFA (see urls.py).

Memberships, membership requests and invitations are read-only here: a role is asked for
with an invitation and takes effect through ``weerbaar.memberships`` (four eyes for the
sensitive ones), so the beheerder cannot give anyone — themselves included — a role from
the admin. Ending a membership is an action that calls the service. An account's address
and its admin flags are read-only too: changing a griffier's address to one's own and
resetting the password would be a self-grant by another door."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import memberships
from .models import (
    AuditEvent,
    Invitation,
    Membership,
    MembershipRequest,
    Notification,
    Organisation,
    User,
)
from .sso import admin as sso_admin  # noqa: F401 (registers IdentityProviderAdmin)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "code", "province", "is_active"]
    list_filter = ["kind", "is_active", "province"]
    search_fields = ["name", "code"]
    list_select_related = ["province"]


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    fields = ["organisation", "role", "position", "valid_from", "valid_until"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(User)
class UserAdmin(admin.ModelAdmin):
    list_display = ["email", "full_name", "is_active", "date_joined"]
    list_filter = ["is_active", "memberships__role"]
    search_fields = ["email", "full_name"]
    exclude = ["password", "groups", "user_permissions", "phone"]
    readonly_fields = ["email", "is_staff", "is_superuser", "last_login", "date_joined"]
    inlines = [MembershipInline]

    def has_add_permission(self, request):
        # Accounts come by invitation, in the portal.
        return False


@admin.register(Membership)
class MembershipAdmin(ReadOnlyAdmin):
    list_display = ["user", "organisation", "role", "position", "valid_from", "valid_until"]
    list_filter = ["role", "position", "organisation__kind"]
    search_fields = ["user__email", "organisation__name"]
    list_select_related = ["user", "organisation"]
    actions = ["end_memberships"]

    @admin.action(description=_("Geselecteerde lidmaatschappen beëindigen"))
    def end_memberships(self, request, queryset):
        ended = 0
        for membership in queryset.active().select_related("organisation"):
            try:
                memberships.end(
                    membership=membership,
                    actor=request.user,
                    reason="beheer",
                    http_request=request,
                )
            except PermissionDenied:
                continue
            ended += 1
        self.message_user(
            request,
            ngettext("%d lidmaatschap beëindigd.", "%d lidmaatschappen beëindigd.", ended) % ended,
            messages.SUCCESS,
        )


@admin.register(MembershipRequest)
class MembershipRequestAdmin(ReadOnlyAdmin):
    list_display = ["requested_at", "email", "organisation", "role", "decision", "decided_by"]
    list_filter = ["decision", "role", "four_eyes"]
    search_fields = ["email", "organisation__name"]
    list_select_related = ["organisation", "decided_by"]


@admin.register(Invitation)
class InvitationAdmin(ReadOnlyAdmin):
    list_display = ["email", "organisation", "role", "created_at", "expires_at", "accepted_at"]
    list_filter = ["role"]
    search_fields = ["email"]
    exclude = ["token_hash"]
    list_select_related = ["organisation"]
    # Invitations are made in the portal, which emails the one-time link; changing the role
    # or address of an open one here would slip past the request it belongs to.


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
    list_display = [
        "created_at",
        "recipient",
        "email",
        "kind",
        "status",
        "attempts",
        "next_attempt_at",
    ]
    list_filter = ["status", "kind"]
    # An invitation's link is a key: only its invitee ever sees it, in the email.
    exclude = ["secret_link"]
    readonly_fields = [f.name for f in Notification._meta.fields if f.name != "secret_link"]
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
