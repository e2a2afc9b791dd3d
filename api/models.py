from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from weerbaar.access import ScopedQuerySet
from weerbaar.constants import Role

from .constants import ClientStatus


class ApiClientQuerySet(ScopedQuerySet):
    def scope_q(self, user):
        """The clients of the organisations where ``user`` may request or approve one; a
        functioneel beheerder sees all."""
        from .rules import managed_q

        return managed_q(user)


class ApiClient(models.Model):
    """A system of one organisation that reads its meldingen over the API (OAuth 2 client
    credentials). It acts as ``role`` of ``organisation`` through a service account of its
    own (``account``), so every scope and audit line of the portal applies unchanged and
    names the client. Active only after a second person approved it (four eyes)."""

    name = models.CharField(_("naam"), max_length=100)
    organisation = models.ForeignKey(
        "weerbaar.Organisation",
        verbose_name=_("organisatie"),
        on_delete=models.PROTECT,
        related_name="api_clients",
    )
    role = models.CharField(_("werkt als"), max_length=32, choices=Role.choices)
    scopes = models.JSONField(_("rechten"), default=list)
    status = models.CharField(
        _("status"), max_length=16, choices=ClientStatus.choices, default=ClientStatus.PENDING
    )
    account = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("serviceaccount"),
        on_delete=models.PROTECT,
        related_name="api_client",
    )
    application = models.OneToOneField(
        settings.OAUTH2_PROVIDER_APPLICATION_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="api_client",
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("aangevraagd door"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("aangevraagd"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("besloten door"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("besloten"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ingetrokken door"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    revoked_at = models.DateTimeField(_("ingetrokken"), null=True, blank=True)

    objects = ApiClientQuerySet.as_manager()

    class Meta:
        verbose_name = _("API-koppeling")
        verbose_name_plural = _("API-koppelingen")
        ordering = ["-requested_at", "-pk"]
        constraints = [
            # Four eyes in the database too: the requester never decides.
            models.CheckConstraint(
                condition=Q(decided_by__isnull=True) | ~Q(decided_by=F("requested_by")),
                name="api_client_four_eyes",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def is_active(self):
        return self.status == ClientStatus.ACTIVE

    def has_scope(self, scope):
        return scope in self.scopes
