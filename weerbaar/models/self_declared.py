from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..constants import Gender


class GenderDeclaration(models.Model):
    """A reporter's own answer to the gender question, used by the monitor's aggregates and
    nowhere else.

    A table of its own, so no form, serializer, export or admin of the ``User`` carries it by
    accident; the relation is hidden (``related_name="+"``): ``user.<anything>`` does not
    reach it, only a query that names ``declared_gender`` does. The value is a plain column,
    not encrypted: the monitor groups by it in SQL, which AES-GCM with a random nonce does
    not allow, and a deterministic encryption of four values would hide nothing from
    someone who can read the table (the distribution gives them away). What protects it is
    that only the aggregates read it, under the monitor's suppression.

    A row means the question was put and answered: ``gender`` blank is "not answered"
    (dismissed, or removed later), so the question is not asked again. Erasure deletes the
    row (``weerbaar.retention``)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("gebruiker"),
        on_delete=models.CASCADE,
        related_name="+",
        related_query_name="declared_gender",
    )
    gender = models.CharField(_("gender"), max_length=16, choices=Gender.choices, blank=True)
    answered_at = models.DateTimeField(_("beantwoord"), default=timezone.now)

    class Meta:
        verbose_name = _("opgegeven gender")
        verbose_name_plural = _("opgegeven genders")

    def __str__(self):
        return f"{self._meta.verbose_name} {self.pk}"
