from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from weerbaar.access import ScopedQuerySet
from weerbaar.fields import EncryptedBinaryField, EncryptedTextField

from ..constants import DocumentKind


class DocumentQuerySet(ScopedQuerySet):
    def scope_q(self, user):
        """The documents of applications the user may see. The scan report (it describes
        the home) is further limited to those who see the private details: see
        ``veiligwonen.access.can_see_document``."""
        from .application import Application

        return models.Q(application__in=Application.objects.visible_to(user).values("pk"))


class Document(models.Model):
    """A scan report, quote or invoice attached to an application: checked and cleaned by
    ``weerbaar.uploads`` like a melding's attachments, encrypted in the database, served only
    through a permission-checked, audited view."""

    application = models.ForeignKey(
        "veiligwonen.Application", on_delete=models.CASCADE, related_name="documents"
    )
    kind = models.CharField(_("soort document"), max_length=16, choices=DocumentKind.choices)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Encrypted: a file name often says what it is about ("offerte camera Dorpsstraat 4.pdf").
    filename = EncryptedTextField(_("bestandsnaam"))
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    data = EncryptedBinaryField()

    objects = DocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documenten")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return self.filename


class MessageQuerySet(ScopedQuerySet):
    def scope_q(self, user):
        from .application import Application

        return models.Q(application__in=Application.objects.visible_to(user).values("pk"))


class Message(models.Model):
    """A message in the application's thread between the applicant, BZK and the CCV
    adviser (``veiligwonen.access.in_thread``)."""

    application = models.ForeignKey(
        "veiligwonen.Application", on_delete=models.CASCADE, related_name="messages"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    body = EncryptedTextField(_("bericht"))

    objects = MessageQuerySet.as_manager()

    class Meta:
        verbose_name = _("bericht")
        verbose_name_plural = _("berichten")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"Bericht {self.pk}"


class ThreadRead(models.Model):
    """Until when a participant has read the thread: what is newer is marked new for them."""

    application = models.ForeignKey(
        "veiligwonen.Application", on_delete=models.CASCADE, related_name="+"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    read_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["application", "user"], name="vw_thread_read_once")
        ]

    def __str__(self):
        return f"{self.user_id} las {self.application_id}"
