from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from weerbaar.fields import EncryptedTextField

from ..access import TrajectChildQuerySet, TrajectQuerySet
from ..constants import InvitationChannel, TourKind, TrajectStatus


class Tour(models.Model):
    """A campaign of the Ondersteuningsteam with a period, e.g. mid-2022 to December 2025.
    A follow-up campaign points at the tour it follows up."""

    name = models.CharField(_("naam"), max_length=200)
    kind = models.CharField(_("soort"), max_length=16, choices=TourKind.choices)
    starts_on = models.DateField(_("begint op"))
    ends_on = models.DateField(_("eindigt op"))
    follows = models.ForeignKey(
        "self",
        verbose_name=_("vervolg op"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="follow_ups",
    )

    class Meta:
        verbose_name = _("ronde")
        verbose_name_plural = _("rondes")
        ordering = ["-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="tour_period"
            )
        ]

    def __str__(self):
        return self.name


class Traject(models.Model):
    """The path of one gemeente or provincie through a tour. The timestamps of the milestones
    are kept as columns so coverage can be counted in SQL."""

    tour = models.ForeignKey(
        Tour, verbose_name=_("ronde"), on_delete=models.PROTECT, related_name="trajecten"
    )
    organisation = models.ForeignKey(
        "weerbaar.Organisation",
        verbose_name=_("organisatie"),
        on_delete=models.PROTECT,
        related_name="otwb_trajecten",
    )
    status = models.CharField(
        _("status"),
        max_length=24,
        choices=TrajectStatus.choices,
        default=TrajectStatus.NOT_APPROACHED,
    )
    status_changed_at = models.DateTimeField(_("status gewijzigd"), auto_now_add=True)
    invitation_channel = models.CharField(
        _("uitgenodigd per"), max_length=8, choices=InvitationChannel.choices, blank=True
    )
    invited_at = models.DateTimeField(_("uitgenodigd op"), null=True, blank=True)
    voorgesprek_held_at = models.DateTimeField(_("voorgesprek gehouden op"), null=True, blank=True)
    session_held_at = models.DateTimeField(_("sessie gehouden op"), null=True, blank=True)
    declined_reason = models.CharField(_("reden van afzien"), max_length=500, blank=True)

    objects = TrajectQuerySet.as_manager()

    class Meta:
        verbose_name = _("traject")
        verbose_name_plural = _("trajecten")
        ordering = ["organisation__name"]
        constraints = [
            models.UniqueConstraint(fields=["tour", "organisation"], name="traject_once_per_tour"),
            models.CheckConstraint(
                condition=~Q(status="declined") | ~Q(declined_reason=""),
                name="traject_declined_has_reason",
            ),
        ]
        indexes = [
            models.Index(fields=["tour", "status"]),
            models.Index(
                fields=["status_changed_at"],
                name="traject_awaiting_session_idx",
                condition=Q(status="voorgesprek_held"),
            ),
        ]

    def __str__(self):
        return f"{self.organisation} – {self.tour}"


class TrajectEvent(models.Model):
    """The timeline of a traject, written in the same transaction as the change."""

    traject = models.ForeignKey(Traject, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(_("tijdstip"), auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    from_status = models.CharField(max_length=24, choices=TrajectStatus.choices, blank=True)
    to_status = models.CharField(max_length=24, choices=TrajectStatus.choices, blank=True)
    note = models.CharField(_("toelichting"), max_length=500, blank=True)

    objects = TrajectChildQuerySet.as_manager()

    class Meta:
        verbose_name = _("trajectgebeurtenis")
        verbose_name_plural = _("trajectgebeurtenissen")
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.traject_id}: {self.from_status} → {self.to_status}"


class Voorgesprek(models.Model):
    """The preparatory talk with the griffie. Its needs inventory (themes and notes) is only
    for the coordinator and the organisation itself."""

    traject = models.ForeignKey(Traject, on_delete=models.CASCADE, related_name="voorgesprekken")
    planned_at = models.DateTimeField(_("gepland op"))
    held_at = models.DateTimeField(_("gehouden op"), null=True, blank=True)
    themes = models.JSONField(_("thema's"), default=list, blank=True)
    notes = EncryptedTextField(_("behoeften en aantekeningen"), blank=True)

    objects = TrajectChildQuerySet.as_manager()

    class Meta:
        verbose_name = _("voorgesprek")
        verbose_name_plural = _("voorgesprekken")
        ordering = ["planned_at"]

    def __str__(self):
        return f"{self.traject} – {self.planned_at:%d-%m-%Y}"

    def theme_labels(self):
        from ..constants import Theme

        labels = dict(Theme.choices)
        return [labels.get(t, t) for t in self.themes]


class FollowUpAgreement(models.Model):
    """An agreement made after a session: who does what by when."""

    traject = models.ForeignKey(Traject, on_delete=models.CASCADE, related_name="agreements")
    description = models.CharField(_("afspraak"), max_length=300)
    owner = models.CharField(_("eigenaar"), max_length=200)
    due_on = models.DateField(_("uiterlijk op"))
    done_at = models.DateTimeField(_("afgerond op"), null=True, blank=True)
    # The day the overdue sweep is to flag it (the day after ``due_on``), while it is open
    # and not flagged; empty otherwise. Set by ``services.trajecten``, cleared by the sweep.
    flag_on = models.DateField(null=True, blank=True, editable=False)

    objects = TrajectChildQuerySet.as_manager()

    class Meta:
        verbose_name = _("vervolgafspraak")
        verbose_name_plural = _("vervolgafspraken")
        ordering = ["due_on", "pk"]
        indexes = [
            models.Index(
                fields=["due_on"], name="agreement_open_idx", condition=Q(done_at__isnull=True)
            ),
            # The overdue sweep: with nothing due an empty range, however many are open.
            models.Index(
                fields=["flag_on"], name="agreement_flag_idx", condition=Q(flag_on__isnull=False)
            ),
        ]

    def __str__(self):
        return self.description
