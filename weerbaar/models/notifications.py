from urllib.parse import urlsplit

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ..constants import NotificationStatus
from ..fields import EncryptedTextField

DELIVERABLE = (NotificationStatus.PENDING, NotificationStatus.SENDING)


class NotificationQuerySet(models.QuerySet):
    def due(self, now):
        """Pending rows whose time has come, and rows whose delivery claim ran out (the
        worker that claimed them died): a claim sets ``next_attempt_at`` to its lease's end."""
        return self.filter(status__in=DELIVERABLE, next_attempt_at__lte=now)

    def unread_for(self, user):
        return self.filter(recipient=user, read_at__isnull=True)


class Notification(models.Model):
    """The outbox. A row is written in the same transaction as the change it reports; the
    ``deliver_notifications`` sweep emails it (and pushes it, when ``push_text`` is set, to
    the recipient's browsers). The in-app inbox shows it at once.

    Subject and body never hold the sensitive content itself, only that there is something
    to look at and where: the link leads to a page behind login and the access rules.

    A row is for an account (``recipient``, also shown in the inbox) or, for someone
    without an account (an invitee, a person named on a registration), for an ``email``
    address only; an invitee's one-time ``secret_link`` is encrypted and erased once sent.
    An ``attachment`` ("kind:reference", e.g. "otwb.session:12") is rendered when the email
    is sent, by the function its app registered (``notifications.register_attachment``),
    so the outbox stores no files and a resent mail carries the current version."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ontvanger"),
        on_delete=models.CASCADE,
        related_name="notifications",
        null=True,
        blank=True,
    )
    email = models.EmailField(_("e-mailadres zonder account"), blank=True)
    attachment = models.CharField(_("bijlage"), max_length=80, blank=True)
    # A link that is a key (an invitation's): encrypted at rest and erased once emailed.
    secret_link = EncryptedTextField(blank=True)
    kind = models.CharField(_("soort"), max_length=60)
    subject = models.CharField(_("onderwerp"), max_length=200)
    body = models.TextField(_("bericht"))
    link = models.CharField(_("link"), max_length=300, blank=True)
    # Makes queuing idempotent: the same event for the same person is queued once.
    dedupe_key = models.CharField(max_length=200, null=True, blank=True, unique=True)
    created_at = models.DateTimeField(_("aangemaakt"), auto_now_add=True)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=NotificationStatus.choices,
        default=NotificationStatus.PENDING,
    )
    attempts = models.PositiveSmallIntegerField(_("pogingen"), default=0)
    next_attempt_at = models.DateTimeField(_("volgende poging"))
    last_error = models.CharField(_("laatste fout"), max_length=300, blank=True)
    # When the current (or last) delivery run claimed the row: committed before anything is
    # sent, so a crash after the mail server accepted leaves a row in SENDING, not PENDING.
    claimed_at = models.DateTimeField(_("geclaimd"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("gemaild"), null=True, blank=True)
    # The text of a Web Push notice ("Er is een acute melding — open het portaal"); empty
    # for none. Generic like the subject: a push passes through the browser vendor's service.
    push_text = models.CharField(_("pushtekst"), max_length=120, blank=True)
    sent_at = models.DateTimeField(_("verzonden"), null=True, blank=True)
    read_at = models.DateTimeField(_("gelezen"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("bericht")
        verbose_name_plural = _("berichten")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(recipient__isnull=False) | ~Q(email=""),
                name="notification_has_recipient_or_email",
            ),
        ]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                name="notification_deliver_idx",
                condition=Q(status__in=["pending", "sending"]),
            ),
            # Unread, per recipient and kind, with the link: a list's "new message" flag
            # reads one kind's few unread links, not every unread notification of the user.
            models.Index(
                fields=["recipient", "kind"],
                include=["link"],
                name="notification_unread_kind_idx",
                condition=Q(read_at__isnull=True),
            ),
            models.Index(fields=["recipient", "-created_at"]),
        ]

    def __str__(self):
        return self.subject

    @property
    def address(self):
        return self.recipient.email if self.recipient_id else self.email

    @property
    def message_id(self):
        """The email's Message-ID, the same at every attempt, so that a message sent again
        after a crash is recognisable as the same one (mail clients and servers drop the
        copy). The creation time keeps it unique if a database's ids ever start over."""
        domain = urlsplit(settings.SITE_URL).hostname or "weerbaarbestuur.nl"
        return f"<notification-{self.pk}.{self.created_at:%Y%m%d%H%M%S%f}@{domain}>"
