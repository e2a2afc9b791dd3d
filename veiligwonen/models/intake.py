from django.db import models
from django.utils.translation import gettext_lazy as _

from weerbaar.fields import EncryptedTextField

from ..constants import Domain


class ScanFinding(models.Model):
    """What the woningscan found in one of the four domains."""

    application = models.ForeignKey(
        "veiligwonen.Application", on_delete=models.CASCADE, related_name="scan_findings"
    )
    domain = models.CharField(_("domein"), max_length=16, choices=Domain.choices)
    findings = EncryptedTextField(_("bevindingen"))

    class Meta:
        verbose_name = _("bevinding woningscan")
        verbose_name_plural = _("bevindingen woningscan")
        constraints = [
            models.UniqueConstraint(fields=["application", "domain"], name="vw_scan_domain_once")
        ]
        ordering = ["domain"]

    def __str__(self):
        return self.get_domain_display()
