"""The monitor's precomputed summary: the meldingen counted per organisation, month and key
of each figure, refreshed by a sweep (``monitor.summary``), so the page reads a few
thousand summary rows instead of every melding of the period."""

from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils.translation import gettext_lazy as _

# The states of the published cells of closed periods (docs/monitor.md, finding 6).
from .publication import Publication

__all__ = [
    "MonitorSnapshot",
    "Publication",
    "SummaryCell",
    "SummaryDuration",
    "SummaryGroupCell",
    "SummaryMonth",
    "SummaryState",
]


class Dimension(models.TextChoices):
    TOTAL = "total", _("totaal")
    CHANNEL = "channel", _("kanaal")
    CATEGORY = "category", _("soort voorval")
    POSITION = "position", _("functie")
    GENDER = "gender", _("gender")
    GENDER_POSITION = "gender_position", _("gender en functie")
    GENDER_ONLINE = "gender_online", _("gender en online")
    AANGIFTE = "aangifte", _("aangifte")
    IN_TIME = "in_time", _("op tijd bevestigd")
    ESCALATED = "escalated", _("geëscaleerd")
    ACKNOWLEDGED = "acknowledged", _("ontvangst bevestigd")


class SummaryCell(models.Model):
    """The counted meldingen of one organisation, month of sending and route (confidential
    or not: an organisation's own figures leave the confidential route out) with one key
    of one figure: how many, and the first few different people behind them.

    ``people`` holds at most ``people_cap`` (the suppression threshold) person keys, the
    smallest: whether a cell of a period comes from fewer people than the threshold is
    decided exactly by the union of its months' keys (a month with the cap full already
    makes the union that large), and that comparison is all the people count is used for.
    A person key is the reporter's id, or minus the melding's id once retention removed the
    reporter, as in ``monitor.aggregates.meldingen.persons``."""

    organisation = models.ForeignKey(
        "weerbaar.Organisation",
        verbose_name=_("organisatie"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    month = models.DateField(_("maand"))
    confidential = models.BooleanField(_("vertrouwelijke route"))
    dimension = models.CharField(_("figuur"), max_length=16, choices=Dimension.choices)
    key = models.CharField(_("sleutel"), max_length=64, blank=True)
    n = models.PositiveIntegerField(_("meldingen"))
    people = ArrayField(models.BigIntegerField(), verbose_name=_("eerste personen"))

    class Meta:
        verbose_name = _("cel van de monitorsamenvatting")
        verbose_name_plural = _("cellen van de monitorsamenvatting")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "month", "dimension", "confidential", "key"],
                name="monitor_summary_cell_once",
            )
        ]

    def __str__(self):
        return f"{self.organisation_id} {self.month:%Y-%m} {self.dimension} {self.key}"


class SummaryGroupCell(models.Model):
    """The same counts per group of the national figures (organisation kind and province,
    ``0`` for none), both routes together: the national page reads about 25 groups instead
    of every organisation. Built from the organisations' cells of the month (their
    smallest person keys contain the group's smallest), with the grouping of organisations
    recorded in ``SummaryState.groups``."""

    kind = models.CharField(_("soort"), max_length=16)
    province = models.BigIntegerField(_("provincie"))
    month = models.DateField(_("maand"))
    dimension = models.CharField(_("figuur"), max_length=16, choices=Dimension.choices)
    key = models.CharField(_("sleutel"), max_length=64, blank=True)
    n = models.PositiveIntegerField(_("meldingen"))
    people = ArrayField(models.BigIntegerField(), verbose_name=_("eerste personen"))

    class Meta:
        verbose_name = _("groepscel van de monitorsamenvatting")
        verbose_name_plural = _("groepscellen van de monitorsamenvatting")
        constraints = [
            models.UniqueConstraint(
                fields=["month", "dimension", "kind", "province", "key"],
                name="monitor_summary_group_cell_once",
            )
        ]

    def __str__(self):
        return f"{self.kind} {self.province} {self.month:%Y-%m} {self.dimension} {self.key}"


class SummaryDuration(models.Model):
    """The medians and percentiles of one organisation's own figures for every period of
    one year's cube (its ended months, their quarters and the year), counted by the sweep
    with the live statement's own aggregate (``percentile_cont`` over the same rows), so
    the page need not sort every melding of the organisation at every request.

    ``figures``: {period code: [acknowledged, median and 90th percentile of the time to
    acknowledgement, closed, median time to closing]}, the times in microseconds; a
    period without meldingen has no entry. ``until`` is the last month counted: a row is
    read only while it is the cube's last month (``monitor.summary.durations``). Own
    figures only: the confidential route is left out, as on the page."""

    organisation = models.ForeignKey(
        "weerbaar.Organisation",
        verbose_name=_("organisatie"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    year = models.PositiveSmallIntegerField(_("jaar"))
    until = models.DateField(_("geteld tot en met maand"))
    figures = models.JSONField(_("doorlooptijden"))
    built_at = models.DateTimeField(_("berekend"))

    class Meta:
        verbose_name = _("doorlooptijden van de monitorsamenvatting")
        verbose_name_plural = _("doorlooptijden van de monitorsamenvatting")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "year"], name="monitor_summary_duration_once"
            )
        ]

    def __str__(self):
        return f"{self.organisation_id} {self.year} tot {self.until:%Y-%m}"


class SummaryMonth(models.Model):
    """When a month's cells were last rebuilt (the start of that run): the sweep rebuilds
    the months it finds changed first, then those never built, then the longest unbuilt
    ones, so every month is rebuilt daily in small steps and a first build that does not
    fit in one run carries on in the next."""

    month = models.DateField(_("maand"), unique=True)
    built_at = models.DateTimeField(_("herberekend"))

    class Meta:
        verbose_name = _("maand van de monitorsamenvatting")
        verbose_name_plural = _("maanden van de monitorsamenvatting")

    def __str__(self):
        return f"{self.month:%Y-%m}"


class SummaryState(models.Model):
    """One row: up to when the summary is known to be complete. ``refreshed_at`` is the
    moment the last refresh started in which every organisation-month it rebuilt was
    written; the page shows it and reads the summary only while it is recent."""

    refreshed_at = models.DateTimeField(_("bijgewerkt tot"), null=True, blank=True)
    rebuilt_at = models.DateTimeField(_("volledig herberekend"), null=True, blank=True)
    people_cap = models.PositiveSmallIntegerField(_("personen per cel"), default=0)
    # A digest of every decentral organisation's kind and province when the group cells
    # were built: a regrouped organisation makes the page count live until they are rebuilt.
    groups = models.CharField(_("indeling in groepen"), max_length=32, blank=True)

    class Meta:
        verbose_name = _("stand van de monitorsamenvatting")
        verbose_name_plural = _("stand van de monitorsamenvatting")

    def __str__(self):
        return f"{self._meta.verbose_name} {self.refreshed_at}"


class MonitorSnapshot(models.Model):
    """The protected figures of one selection of the national monitor, as a page shows
    them, built from the summary of ``refreshed_at`` on ``day`` (the periods of the year's
    cube and the default period follow the date). ``key`` names the selection, the
    language and what the decisions depend on besides (``monitor.snapshot.key``); a row
    of another refresh or another day is never read. See docs/monitor.md "The snapshot"."""

    refreshed_at = models.DateTimeField(_("samenvatting bijgewerkt op"))
    day = models.DateField(_("dag"))
    key = models.CharField(_("selectie"), max_length=120)
    data = models.JSONField(_("cijfers"))
    built_at = models.DateTimeField(_("gemaakt op"))

    class Meta:
        verbose_name = _("momentopname van de monitor")
        verbose_name_plural = _("momentopnamen van de monitor")
        constraints = [
            models.UniqueConstraint(
                fields=["refreshed_at", "day", "key"], name="monitor_snapshot_once"
            )
        ]

    def __str__(self):
        return f"{self.key} {self.refreshed_at:%Y-%m-%d %H:%M}"
