from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..access import NOTHING, ScopedQuerySet
from ..constants import Position, RequestDecision, Role, position_title, role_title
from ..fields import EncryptedTextField


class AccessRequestQuerySet(ScopedQuerySet):
    def scope_q(self, user):
        """The requests for a role ``user`` may ask for in that organisation (the table of
        ``weerbaar.membership_rules``): the griffier and secretaris of their own
        organisation, the functioneel beheerder everywhere. Anyone else's is a 404."""
        from ..membership_rules import ANY, RULES

        q = NOTHING
        for role, rule in RULES.items():
            for held, scope in rule.requesters:
                for m in user.active_memberships:
                    if m.role != held:
                        continue
                    q |= (
                        Q(role=role)
                        if scope == ANY
                        else Q(role=role, organisation_id=m.organisation_id)
                    )
        return q

    def pending(self):
        return self.filter(decision=RequestDecision.PENDING)


class AccessRequest(models.Model):
    """Someone without an account asks for one on the public page. The griffier or
    secretaris of the organisation decides: approving sends the normal invitation (and with
    it the membership request of ``weerbaar.memberships``), refusing tells the requester
    without a reason. Personal data: deleted ``ACCESS_REQUEST_RETENTION_DAYS`` after it was
    decided, or after it was filed when nobody decided (``access_requests.purge_old``)."""

    name = models.CharField(_("naam"), max_length=200)
    email = models.EmailField(_("e-mailadres"))
    organisation = models.ForeignKey(
        "weerbaar.Organisation",
        verbose_name=_("organisatie"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    role = models.CharField(_("rol"), max_length=32, choices=Role.choices)
    position = models.CharField(_("functie"), max_length=32, choices=Position.choices, blank=True)
    # What the requester chose to tell: may say more about them than needed, so encrypted.
    message = EncryptedTextField(_("toelichting"), blank=True)
    created_at = models.DateTimeField(_("aangevraagd"), default=timezone.now)
    decision = models.CharField(
        _("besluit"),
        max_length=16,
        choices=RequestDecision.choices,
        default=RequestDecision.PENDING,
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("besloten door"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("besloten"), null=True, blank=True)
    # Why it was refused: for the organisation's own record, never sent to the requester.
    reason = models.TextField(_("reden"), blank=True)
    invitation = models.OneToOneField(
        "weerbaar.Invitation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="access_request",
    )

    objects = AccessRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("toegangsaanvraag")
        verbose_name_plural = _("toegangsaanvragen")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["organisation", "decision", "created_at"])]

    def __str__(self):
        return f"{self.name} → {self.label}, {self.organisation}"

    @property
    def label(self):
        if self.position:
            return position_title(self.role, self.position)
        return str(role_title(self.role, self.organisation.kind))

    @property
    def is_pending(self):
        return self.decision == RequestDecision.PENDING
