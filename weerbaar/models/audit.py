from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..constants import AuditAction


class AuditEventQuerySet(models.QuerySet):
    def for_object(self, obj):
        return self.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk))

    def update(self, **kwargs):
        raise TypeError("the audit log is append-only")

    def delete(self):
        raise TypeError("the audit log is append-only")


class AuditEvent(models.Model):
    """Who did what to which record, when and from where. Append-only: the model refuses
    updates and deletes, on PostgreSQL a trigger refuses them too, and the app's database
    role may only insert and read (weerbaar/dbroles.py). No payload beyond non-sensitive
    identifiers is ever stored here.

    Tamper-evident on PostgreSQL: a trigger puts each line in a hash chain (``lane``,
    ``seq``, ``prev_hash``, ``hash``; weerbaar/audit_chain.py says how and why it does not
    serialise inserts), and ``manage.py verify_audit`` finds a changed, removed or forged
    line. The app never sets these four fields; the trigger overwrites them."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("door"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    action = models.CharField(_("handeling"), max_length=40, choices=AuditAction.choices)
    object_type = models.CharField(_("soort record"), max_length=100, blank=True)
    object_id = models.CharField(_("record"), max_length=64, blank=True)
    organisation = models.ForeignKey(
        "weerbaar.Organisation",
        verbose_name=_("organisatie"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("tijdstip"), auto_now_add=True, db_index=True)
    ip_address = models.GenericIPAddressField(_("IP-adres"), null=True, blank=True)
    detail = models.JSONField(_("details"), default=dict, blank=True)
    lane = models.PositiveSmallIntegerField(_("keten"), null=True, editable=False)
    seq = models.BigIntegerField(_("volgnummer in de keten"), null=True, editable=False)
    prev_hash = models.CharField(_("vorige hash"), max_length=64, blank=True, editable=False)
    hash = models.CharField(_("hash"), max_length=64, blank=True, editable=False)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("auditregel")
        verbose_name_plural = _("auditlog")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["object_type", "object_id", "created_at"]),
            models.Index(fields=["actor", "created_at"]),
        ]
        constraints = [
            models.UniqueConstraint(fields=["lane", "seq"], name="weerbaar_auditevent_lane_seq"),
        ]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action} {self.object_type}#{self.object_id}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise TypeError("the audit log is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("the audit log is append-only")
