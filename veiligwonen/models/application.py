from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from weerbaar.access import EVERYTHING, ScopedQuerySet
from weerbaar.constants import Position, Role
from weerbaar.fields import EncryptedTextField

from ..constants import CLOSED, OPEN, REVIEW_STAGE, WAITING_FOR_INTAKE, Status, UrgencyClass


class ApplicationQuerySet(ScopedQuerySet):
    def scope_q(self, user):
        """The applicant; the secretaris of the applicant's organisation (employer contact);
        every BZK intake officer (they work the whole queue); the CCV adviser assigned to
        the case; the BVA once an advice reaches review, or the reviewer of record. Nobody
        else — not the griffier, not another organisation's secretaris."""
        q = Q(applicant=user)
        roles = {m.role for m in user.active_memberships}
        employer_orgs = user.organisations_with_role(Role.SECRETARIS)
        if employer_orgs:
            q |= Q(organisation_id__in=employer_orgs)
        if Role.VW_INTAKE in roles:
            return EVERYTHING
        if Role.SECURITY_ADVISER in roles:
            q |= Q(adviser=user)
        if Role.BVA in roles:
            q |= Q(status__in=REVIEW_STAGE) | Q(advice__reviewer=user)
        return q

    def open(self):
        return self.exclude(status__in=CLOSED)

    def waiting_for_intake(self):
        return self.filter(status__in=WAITING_FOR_INTAKE)


class Application(models.Model):
    """An office holder's request for a woningscan and security advice.

    The home address, household and phone number are encrypted and shown only to the
    people who need them (``veiligwonen.access.can_see_private_details``); everything the
    queue sorts or filters on lives in plain columns."""

    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("aanvrager"),
        on_delete=models.PROTECT,
        related_name="vw_applications",
    )
    organisation = models.ForeignKey(
        "weerbaar.Organisation",
        verbose_name=_("werkgever"),
        on_delete=models.PROTECT,
        related_name="vw_applications",
    )
    position = models.CharField(_("functie"), max_length=32, choices=Position.choices)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ingediend door"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    home_address = EncryptedTextField(_("woonadres"))
    household = EncryptedTextField(_("samenstelling huishouden"), blank=True)
    phone = EncryptedTextField(_("telefoonnummer"), blank=True)
    urgency_notes = EncryptedTextField(_("toelichting op de urgentie"), blank=True)

    recent_threats = models.BooleanField(_("recente bedreigingen"), default=False)
    public_exposure = models.BooleanField(_("publieke blootstelling"), default=False)
    incidents_at_home = models.BooleanField(_("eerdere incidenten bij de woning"), default=False)
    planned_move = models.BooleanField(_("verhuizing gepland"), default=False)
    linked_meldingen = models.JSONField(_("gekoppelde meldingen"), default=list, blank=True)

    urgency_class = models.CharField(
        _("urgentieklasse"), max_length=16, choices=UrgencyClass.choices
    )
    status = models.CharField(
        _("status"), max_length=24, choices=Status.choices, default=Status.SUBMITTED
    )
    submitted_at = models.DateTimeField(_("ingediend op"), default=timezone.now)
    score = models.IntegerField(_("prioriteitsscore"), default=0)
    scored_at = models.DateTimeField(null=True, blank=True)
    sla_warn_at = models.DateTimeField(null=True, blank=True)
    sla_due_at = models.DateTimeField(_("intake uiterlijk"), null=True, blank=True)

    intake_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("intakemedewerker"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    claimed_at = models.DateTimeField(null=True, blank=True)
    adviser = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("beveiligingsadviseur"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    intake_planned_for = models.DateTimeField(_("intakegesprek op"), null=True, blank=True)
    intake_held_at = models.DateTimeField(_("intakegesprek gehouden"), null=True, blank=True)
    intake_findings = EncryptedTextField(_("bevindingen intakegesprek"), blank=True)
    scan_planned_for = models.DateTimeField(_("woningscan op"), null=True, blank=True)
    scan_done_at = models.DateTimeField(_("woningscan uitgevoerd"), null=True, blank=True)
    handoff_note = EncryptedTextField(_("toelichting overdracht"), blank=True)
    decision_reason = models.CharField(_("reden"), max_length=300, blank=True)
    advice_issued_at = models.DateTimeField(_("advies uitgebracht"), null=True, blank=True)
    closed_at = models.DateTimeField(_("afgesloten"), null=True, blank=True)
    purged_at = models.DateTimeField(_("gegevens verwijderd"), null=True, blank=True)
    # When the measure-reminder sweep next has something to do (``veiligwonen.reminders``).
    measure_reminder_at = models.DateTimeField(null=True, blank=True, editable=False)
    # When the SLA sweep next warns or escalates, and when the hand-off receipt reminder is
    # due (``veiligwonen.reminders``).
    sla_reminder_at = models.DateTimeField(null=True, blank=True, editable=False)
    handoff_reminder_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        verbose_name = _("aanvraag Veilig Wonen")
        verbose_name_plural = _("aanvragen Veilig Wonen")
        indexes = [
            models.Index(
                fields=["-score", "submitted_at"],
                name="vw_queue_idx",
                condition=Q(status__in=sorted(WAITING_FOR_INTAKE)),
            ),
            # The queue's count per urgency class (the expected waits), from the index
            # alone: 2.3 → 0.1 ms at scale 1.
            models.Index(
                fields=["urgency_class"],
                name="vw_waiting_class_idx",
                condition=Q(status__in=sorted(WAITING_FOR_INTAKE)),
            ),
            # Only what waits for its intake: closed files without one (withdrawn, not
            # eligible) would pile up in the index over the years.
            models.Index(
                fields=["sla_warn_at"],
                name="vw_sla_warn_waiting_idx",
                condition=Q(intake_held_at__isnull=True, status__in=sorted(WAITING_FOR_INTAKE)),
            ),
            models.Index(
                fields=["sla_due_at"],
                name="vw_sla_due_waiting_idx",
                condition=Q(intake_held_at__isnull=True, status__in=sorted(WAITING_FOR_INTAKE)),
            ),
            models.Index(
                fields=["advice_issued_at"],
                name="vw_measures_open_idx",
                condition=Q(status__in=["advice_issued", "measures_in_progress"]),
            ),
            models.Index(
                fields=["measure_reminder_at"],
                name="vw_measure_reminder_idx",
                condition=Q(measure_reminder_at__isnull=False),
            ),
            models.Index(
                fields=["sla_reminder_at"],
                name="vw_sla_reminder_idx",
                condition=Q(sla_reminder_at__isnull=False),
            ),
            models.Index(
                fields=["handoff_reminder_at"],
                name="vw_handoff_reminder_idx",
                condition=Q(handoff_reminder_at__isnull=False),
            ),
            models.Index(
                fields=["closed_at"], name="vw_retention_idx", condition=Q(purged_at__isnull=True)
            ),
            # The daily rescoring reads only open applications scored before the last
            # working day began (or whose inputs changed: a trigger clears scored_at).
            models.Index(
                fields=["scored_at"],
                name="vw_rescore_idx",
                condition=Q(status__in=sorted(OPEN)),
            ),
            models.Index(fields=["organisation", "status"]),
            # An adviser's open cases, oldest first (the start page): its first rows and its
            # count up to a cap read this adviser's range, not every case they advised on.
            models.Index(
                fields=["adviser", "submitted_at", "id"],
                name="vw_adviser_open_idx",
                condition=Q(status__in=sorted(OPEN)),
            ),
            # The advice waiting for the BVA's review, oldest first (the BVA's start page):
            # its first rows and its count up to a cap stop early in this order.
            models.Index(
                fields=["submitted_at", "id"],
                name="vw_under_review_idx",
                condition=Q(status="under_review"),
            ),
        ]

    def __str__(self):
        return f"VW-{self.pk:05d}" if self.pk else "VW-nieuw"

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("veiligwonen:detail", args=[self.pk])

    @property
    def reference(self):
        return str(self)


# The encrypted text of an application: what a purge empties and what lists do not read.
PRIVATE_FIELDS = tuple(
    f.name for f in Application._meta.concrete_fields if getattr(f, "encrypted", False)
)
