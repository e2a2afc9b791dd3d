from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..constants import DEFAULT_CASES_PER_WEEK, DEFAULT_SLA_WORKING_DAYS, UrgencyClass


class SlaSettingQuerySet(models.QuerySet):
    def working_days(self):
        """{class: intake deadline in working days}, with the scheme's defaults for any class
        the functioneel beheerder has not configured."""
        configured = dict(self.values_list("urgency_class", "intake_working_days"))
        return {c: configured.get(c, DEFAULT_SLA_WORKING_DAYS[c]) for c in UrgencyClass}


class SlaSetting(models.Model):
    """The intake deadline per urgency class, editable in the admin."""

    urgency_class = models.CharField(
        _("urgentieklasse"), max_length=16, choices=UrgencyClass.choices, unique=True
    )
    intake_working_days = models.PositiveSmallIntegerField(_("intake binnen (werkdagen)"))

    objects = SlaSettingQuerySet.as_manager()

    class Meta:
        verbose_name = _("termijn per urgentieklasse")
        verbose_name_plural = _("termijnen per urgentieklasse")

    def __str__(self):
        return f"{self.get_urgency_class_display()}: {self.intake_working_days}"


class StaffProfile(models.Model):
    """Veilig Wonen settings for a BZK or CCV employee: an adviser's capacity drives the
    expected waiting time; a team lead receives SLA escalations. Kept here, not on the user,
    because only this scheme needs them."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("medewerker"),
        on_delete=models.CASCADE,
        related_name="vw_profile",
    )
    cases_per_week = models.PositiveSmallIntegerField(
        _("zaken per week"), default=DEFAULT_CASES_PER_WEEK
    )
    is_team_lead = models.BooleanField(_("teamleider intake"), default=False)

    class Meta:
        verbose_name = _("medewerkersinstelling Veilig Wonen")
        verbose_name_plural = _("medewerkersinstellingen Veilig Wonen")

    def __str__(self):
        return str(self.user)
