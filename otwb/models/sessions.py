from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from weerbaar.fields import EncryptedTextField

from .. import conf
from ..access import SessionQuerySet
from ..constants import Rating, SessionKind, SessionStatus


class Session(models.Model):
    """A session of the tour: for one council or Staten, a follow-up training, or a regional
    driehoek session for several gemeenten (with registrations)."""

    tour = models.ForeignKey(
        "otwb.Tour", verbose_name=_("ronde"), on_delete=models.PROTECT, related_name="sessions"
    )
    kind = models.CharField(_("soort"), max_length=16, choices=SessionKind.choices)
    title = models.CharField(_("titel"), max_length=200)
    starts_at = models.DateTimeField(_("begint om"))
    ends_at = models.DateTimeField(_("eindigt om"))
    place = models.CharField(_("plaats"), max_length=300, blank=True)
    online_url = models.URLField(_("online link"), blank=True)
    organisations = models.ManyToManyField(
        "weerbaar.Organisation",
        verbose_name=_("organisaties"),
        blank=True,
        related_name="otwb_sessions",
    )
    status = models.CharField(
        _("status"), max_length=16, choices=SessionStatus.choices, default=SessionStatus.PLANNED
    )
    # Asked on the confirmation page: cancelling cannot be undone.
    cancel_reason = models.CharField(_("reden van annuleren"), max_length=500, blank=True)
    capacity = models.PositiveSmallIntegerField(
        _("aantal driehoeken"), default=conf.driehoek_capacity
    )
    min_vertrouwenspersonen = models.PositiveSmallIntegerField(
        _("minimum aantal vertrouwenspersonen"), default=conf.min_vertrouwenspersonen
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # When the reminder sweep and the evaluation sweep next have something to do for the
    # session (``otwb.reminders``); written by ``save``.
    reminder_at = models.DateTimeField(null=True, blank=True, editable=False)
    evaluation_request_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = SessionQuerySet.as_manager()

    class Meta:
        verbose_name = _("sessie")
        verbose_name_plural = _("sessies")
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="session_ends_after_start"
            ),
            models.CheckConstraint(
                condition=~Q(place="") | ~Q(online_url=""), name="session_has_place_or_link"
            ),
        ]
        indexes = [
            models.Index(
                fields=["starts_at"],
                name="session_upcoming_idx",
                condition=Q(status__in=["planned", "confirmed"]),
            ),
            models.Index(fields=["ends_at"], name="session_held_idx", condition=Q(status="held")),
            # The coordinator's week (``otwb.start``): the sessions of a week that are not
            # cancelled are one range, in order, not a scan of every session of every tour
            # (issue 25 §2).
            models.Index(
                fields=["starts_at", "id"],
                name="session_week_idx",
                condition=~Q(status="cancelled"),
            ),
            models.Index(
                fields=["reminder_at"],
                name="session_reminder_idx",
                condition=Q(reminder_at__isnull=False),
            ),
            models.Index(
                fields=["evaluation_request_at"],
                name="session_evaluation_idx",
                condition=Q(evaluation_request_at__isnull=False),
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, **kwargs):
        """Saves with the sweeps' next moments worked out from what is saved."""
        # Imported here: ``otwb.reminders`` builds on the models.
        from ..reminders import SESSION_COLUMNS, current_moments

        self.reminder_at, self.evaluation_request_at = current_moments(self)
        if fields := kwargs.get("update_fields"):
            kwargs["update_fields"] = {*fields, *SESSION_COLUMNS}
        super().save(**kwargs)

    @property
    def registration_closes_at(self):
        return self.starts_at - timedelta(days=conf.registration_close_days())

    @property
    def takes_registrations(self):
        return self.kind == SessionKind.DRIEHOEK

    @property
    def is_open(self):
        return self.status in (SessionStatus.PLANNED, SessionStatus.CONFIRMED)

    @property
    def location(self):
        return self.place or self.online_url


class Evaluation(models.Model):
    """A participant's short evaluation of a session, one per person."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="evaluations")
    respondent = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # A named driehoek member without an account answers through a signed link:
    # "r<registration id>:<role>" keeps them to one evaluation too.
    respondent_key = models.CharField(max_length=40, blank=True)
    overall = models.PositiveSmallIntegerField(_("totaaloordeel"), choices=Rating.choices)
    usefulness = models.PositiveSmallIntegerField(
        _("bruikbaarheid in de praktijk"), choices=Rating.choices
    )
    trainers = models.PositiveSmallIntegerField(
        _("begeleiding door de trainers"), choices=Rating.choices
    )
    comment = EncryptedTextField(_("toelichting"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("evaluatie")
        verbose_name_plural = _("evaluaties")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "respondent"], name="evaluation_once_per_person"
            ),
            models.UniqueConstraint(
                fields=["session", "respondent_key"],
                condition=~Q(respondent_key=""),
                name="evaluation_once_per_named_person",
            ),
        ]

    def __str__(self):
        return f"{self.session} – {self.get_overall_display()}"
