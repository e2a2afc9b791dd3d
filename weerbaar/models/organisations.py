from django.db import models
from django.utils.translation import gettext_lazy as _

from ..constants import OrganisationKind


class Organisation(models.Model):
    """A gemeente, provincie, waterschap (CBS code) or a national body (BZK, CCV, OTWB)."""

    kind = models.CharField(_("soort"), max_length=16, choices=OrganisationKind.choices)
    code = models.CharField(_("code"), max_length=16, unique=True)
    name = models.CharField(_("naam"), max_length=200)
    province = models.ForeignKey(
        "self",
        verbose_name=_("provincie"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"kind": OrganisationKind.PROVINCIE},
    )
    is_active = models.BooleanField(_("actief"), default=True)

    class Meta:
        verbose_name = _("organisatie")
        verbose_name_plural = _("organisaties")
        ordering = ["kind", "name"]
        indexes = [models.Index(fields=["kind", "name"])]

    def __str__(self):
        if self.kind == OrganisationKind.NATIONAL:
            return self.code
        # The enum's label, not get_kind_display(): that builds the choices dict on every
        # call, and lists show an organisation per row.
        return f"{OrganisationKind(self.kind).label} {self.name}"
