import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..access import EVERYTHING, NOTHING, ScopedQuerySet
from ..constants import Position, Role, role_title


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_token() -> str:
    return secrets.token_urlsafe(32)


class InvitationQuerySet(ScopedQuerySet):
    def scope_q(self, user):
        """The functioneel beheerder sees every invitation; a griffier or secretaris those of
        their own organisations; nobody else any."""
        if user.has_role(Role.FUNCTIONEEL_BEHEERDER):
            return EVERYTHING
        orgs = user.organisations_with_role(Role.GRIFFIER, Role.SECRETARIS)
        return Q(organisation_id__in=orgs) if orgs else NOTHING

    def open(self, now=None):
        """Not accepted, not revoked, not expired."""
        return self.filter(
            accepted_at__isnull=True,
            revoked_at__isnull=True,
            expires_at__gt=now or timezone.now(),
        )

    def expired(self, now=None):
        return self.filter(
            accepted_at__isnull=True,
            revoked_at__isnull=True,
            expires_at__lte=now or timezone.now(),
        )


class Invitation(models.Model):
    """A single-use, expiring invitation to join an organisation in a role. Only the hash of
    the token is stored; the token itself exists only in the email to the invitee."""

    email = models.EmailField(_("e-mailadres"))
    full_name = models.CharField(_("naam"), max_length=200, blank=True)
    organisation = models.ForeignKey(
        "weerbaar.Organisation", verbose_name=_("organisatie"), on_delete=models.CASCADE
    )
    role = models.CharField(_("rol"), max_length=32, choices=Role.choices)
    position = models.CharField(_("functie"), max_length=32, choices=Position.choices, blank=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uitgenodigd door"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("verstuurd"), auto_now_add=True)
    expires_at = models.DateTimeField(_("verloopt"))
    accepted_at = models.DateTimeField(_("aanvaard"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The last time the link was sent (a resend makes a new token and sends it again).
    sent_at = models.DateTimeField(_("laatst verstuurd"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("ingetrokken"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = InvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("uitnodiging")
        verbose_name_plural = _("uitnodigingen")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.email} → {role_title(self.role, self.organisation.kind)} {self.organisation}"

    @property
    def is_expired(self):
        return timezone.now() >= self.expires_at

    @property
    def is_usable(self):
        return self.accepted_at is None and self.revoked_at is None and not self.is_expired

    @property
    def last_sent_at(self):
        return self.sent_at or self.created_at
