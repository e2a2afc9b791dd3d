"""The functioneel beheerder's page for identity providers (/beheer/). Every change is
audited with the names of the changed fields (never the secret). A provider is switched
off, not deleted: audit lines and the login history keep pointing at it. The client secret
is write-only: the form never shows it, and leaving it empty keeps the stored one."""

from django import forms
from django.contrib import admin
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from .. import audit
from ..constants import AuditAction
from ..models import IdentityProvider


class IdentityProviderForm(forms.ModelForm):
    server_url = forms.URLField(
        label=_("issuer-URL"),
        assume_scheme="https",
        help_text=IdentityProvider._meta.get_field("server_url").help_text,
    )
    client_secret = forms.CharField(
        label=_("client-secret"),
        required=False,
        widget=forms.PasswordInput(render_value=False),
        help_text=_("Laat leeg om het opgeslagen secret te houden."),
    )

    class Meta:
        model = IdentityProvider
        fields = [
            "name",
            "slug",
            "is_active",
            "server_url",
            "client_id",
            "client_secret",
            "organisations",
            "email_domains",
            "trusted_for_mfa",
            "accepted_amr",
            "accepted_acr",
        ]

    def clean_client_secret(self):
        secret = self.cleaned_data.get("client_secret")
        if secret:
            return secret
        if self.instance.pk:
            return IdentityProvider.objects.get(pk=self.instance.pk).client_secret
        raise forms.ValidationError(_("Vul het client-secret in."))


@admin.register(IdentityProvider)
class IdentityProviderAdmin(admin.ModelAdmin):
    form = IdentityProviderForm
    list_display = ["name", "slug", "server_url", "trusted_for_mfa", "is_active"]
    list_filter = ["is_active", "trusted_for_mfa"]
    search_fields = ["name", "slug"]
    filter_horizontal = ["organisations"]
    fieldsets = [
        (None, {"fields": ["name", "slug", "is_active"]}),
        (_("Verbinding"), {"fields": ["server_url", "client_id", "client_secret"]}),
        (_("Wie mag inloggen"), {"fields": ["organisations", "email_domains"]}),
        (
            _("Tweestapsverificatie"),
            {"fields": ["trusted_for_mfa", "accepted_amr", "accepted_acr"]},
        ),
    ]

    def has_delete_permission(self, request, obj=None):
        return False

    def save_related(self, request, form, formsets, change):
        with transaction.atomic():
            super().save_related(request, form, formsets, change)
            changed = sorted(name for name in form.changed_data if name != "client_secret")
            if form.data.get("client_secret"):
                changed.append("client_secret")
            audit.record(
                AuditAction.UPDATE if change else AuditAction.CREATE,
                request=request,
                obj=form.instance,
                fields=changed,
            )
