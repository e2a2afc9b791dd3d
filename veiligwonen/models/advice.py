from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from weerbaar.fields import EncryptedTextField

from ..constants import (
    Domain,
    MeasureCategory,
    MeasurePriority,
    MeasureStatus,
    ResponsibleParty,
)


class MeasureType(models.Model):
    """The maintained catalogue an adviser chooses measures from (editable in the admin)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("naam"), max_length=200)
    description = models.TextField(_("toelichting"), blank=True)
    domain = models.CharField(_("domein"), max_length=16, choices=Domain.choices)
    category = models.CharField(_("categorie"), max_length=16, choices=MeasureCategory.choices)
    responsible_party = models.CharField(
        _("verantwoordelijk"), max_length=16, choices=ResponsibleParty.choices
    )
    estimated_cost = models.DecimalField(
        _("geschatte kosten (EUR)"), max_digits=9, decimal_places=2
    )
    priority = models.PositiveSmallIntegerField(
        _("prioriteit"), choices=MeasurePriority.choices, default=MeasurePriority.NORMAL
    )
    is_active = models.BooleanField(_("actief"), default=True)

    class Meta:
        verbose_name = _("maatregel (catalogus)")
        verbose_name_plural = _("maatregelencatalogus")
        ordering = ["priority", "domain", "name"]

    def __str__(self):
        return self.name


class Advice(models.Model):
    """The tailored advice: drafted by a CCV adviser, reviewed by a BVA who is never the
    author, then issued."""

    application = models.OneToOneField(
        "veiligwonen.Application", on_delete=models.CASCADE, related_name="advice"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("opgesteld door"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    summary = EncryptedTextField(_("samenvatting van het advies"), blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("beoordeeld door"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    review_remarks = EncryptedTextField(_("opmerkingen van de BVA"), blank=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("advies")
        verbose_name_plural = _("adviezen")

    def __str__(self):
        return f"Advies {self.application}"


class Measure(models.Model):
    """One advised measure and, once the advice is issued, its execution by the employer."""

    advice = models.ForeignKey(Advice, on_delete=models.CASCADE, related_name="measures")
    measure_type = models.ForeignKey(
        MeasureType, verbose_name=_("maatregel"), on_delete=models.PROTECT, related_name="+"
    )
    domain = models.CharField(_("domein"), max_length=16, choices=Domain.choices)
    category = models.CharField(_("categorie"), max_length=16, choices=MeasureCategory.choices)
    responsible_party = models.CharField(
        _("verantwoordelijk"), max_length=16, choices=ResponsibleParty.choices
    )
    estimated_cost = models.DecimalField(
        _("geschatte kosten (EUR)"), max_digits=9, decimal_places=2
    )
    priority = models.PositiveSmallIntegerField(_("prioriteit"), choices=MeasurePriority.choices)
    notes = EncryptedTextField(_("toelichting van de adviseur"), blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=MeasureStatus.choices, default=MeasureStatus.PLANNED
    )
    decline_reason = models.CharField(_("reden van afzien"), max_length=300, blank=True)
    actual_cost = models.DecimalField(
        _("werkelijke kosten (EUR)"), max_digits=9, decimal_places=2, null=True, blank=True
    )
    completed_on = models.DateField(_("datum"), null=True, blank=True)

    class Meta:
        verbose_name = _("maatregel")
        verbose_name_plural = _("maatregelen")
        ordering = ["priority", "domain", "pk"]
        indexes = [models.Index(fields=["status", "completed_on"])]

    def __str__(self):
        return str(self.measure_type)
