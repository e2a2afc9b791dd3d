from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..access import NOTHING, ScopedQuerySet
from ..constants import Position, RequestDecision, Role, position_title, role_title


class MembershipRequestQuerySet(ScopedQuerySet):
    def scope_q(self, user):
        """What the user asked for, what was asked for them, and what they may approve
        (``weerbaar.membership_rules.approvable_q``); nothing else, so anyone else's
        request is a 404."""
        from ..membership_rules import approvable_q

        own = Q(requested_by=user) | Q(user=user)
        approvable = approvable_q(user)
        return own if approvable == NOTHING else own | approvable

    def pending(self):
        return self.filter(decision=RequestDecision.PENDING)


class MembershipRequest(models.Model):
    """A request to give someone a role in an organisation. A role that sees other people's
    cases takes effect only when a second, different person approves it (four eyes); a
    reporter role is approved in the same step by whoever requested it. Written only by
    ``weerbaar.memberships``. The grantee is known by address (``email``) from the start and
    as an account (``user``) once they accepted their invitation."""

    organisation = models.ForeignKey(
        "weerbaar.Organisation",
        verbose_name=_("organisatie"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    role = models.CharField(_("rol"), max_length=32, choices=Role.choices)
    position = models.CharField(_("functie"), max_length=32, choices=Position.choices, blank=True)
    email = models.EmailField(_("e-mailadres"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("voor"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="membership_requests",
    )
    invitation = models.OneToOneField(
        "weerbaar.Invitation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="membership_request",
    )
    # Empty for a membership the system made (demo data, tests, a load run).
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("aangevraagd door"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("aangevraagd"), default=timezone.now)
    # When the role starts (a new council's installation date); empty: when it is granted.
    valid_from = models.DateTimeField(_("gaat in op"), null=True, blank=True)
    # The end of the membership it grants, set at request (a candidate's election period).
    valid_until = models.DateTimeField(_("geldig tot"), null=True, blank=True)
    four_eyes = models.BooleanField(_("tweede persoon nodig"), default=True)
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
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("besloten"), null=True, blank=True)
    reason = models.TextField(_("toelichting"), blank=True)
    membership = models.OneToOneField(
        "weerbaar.Membership",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="grant_request",
    )

    objects = MembershipRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("rolaanvraag")
        verbose_name_plural = _("rolaanvragen")
        ordering = ["-requested_at", "-pk"]
        indexes = [models.Index(fields=["decision", "role", "organisation"])]
        constraints = [
            # Four eyes in the database too: whoever decides a four-eyes request is neither
            # the one who asked nor the one who gets the role.
            models.CheckConstraint(
                condition=Q(four_eyes=False)
                | Q(decided_by__isnull=True)
                | (~Q(decided_by=models.F("requested_by")) & ~Q(decided_by=models.F("user"))),
                name="membership_request_four_eyes",
            ),
        ]

    def __str__(self):
        return f"{self.email} → {self.label}, {self.organisation}"

    @property
    def label(self):
        if self.position:
            return position_title(self.role, self.position)
        return str(role_title(self.role, self.organisation.kind))

    @property
    def is_pending(self):
        return self.decision == RequestDecision.PENDING
