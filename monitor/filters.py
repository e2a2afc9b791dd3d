"""The monitor's filters: a fixed calendar period (a year, a quarter or a month), province
and organisation kind — and nothing finer, so no selection can narrow down to a single
organisation, let alone a person, and no two periods differ by a run of months a user
could choose. A griffier or secretaris only chooses the period: their view is their own
organisation.

Addresses of before the fixed periods (``?van=2026-03&tot=2026-04``) still answer: they
lead to the smallest fixed period that holds the months asked for, with a message saying so
(``legacy_period``, ``monitor.views``)."""

import django_filters
from django import forms
from django.utils import timezone
from django.utils.dates import MONTHS
from django.utils.translation import gettext_lazy as _

from weerbaar.constants import OrganisationKind
from weerbaar.models import Organisation

from .selection import KINDS, MONTH, QUARTER, YEAR, Period, Selection, default_period

__all__ = ["MonitorFilter", "legacy_period"]

# The earliest year anyone may ask about; older dates are certainly input errors.
EARLIEST = 2015

QUARTERS = [
    ("1", _("1e kwartaal (januari tot en met maart)")),
    ("2", _("2e kwartaal (april tot en met juni)")),
    ("3", _("3e kwartaal (juli tot en met september)")),
    ("4", _("4e kwartaal (oktober tot en met december)")),
]


class PeriodPart(django_filters.ChoiceFilter):
    """A part of the period; the period is applied by every aggregation, not to the
    organisation list."""

    def filter(self, qs, value):
        return qs


class PeriodForm(forms.Form):
    def clean(self):
        data = super().clean()
        today = timezone.localdate()
        year, quarter, month = (
            int(data[name]) if data.get(name) else None for name in ("jaar", "kwartaal", "maand")
        )
        if year is None:
            return data
        if quarter and month and (month - 1) // 3 + 1 != quarter:
            self.add_error(
                "maand",
                _("Deze maand ligt niet in het gekozen kwartaal. Kies een kwartaal of een maand."),
            )
            return data
        period = _period(year, quarter, month)
        if period.start > today:
            self.add_error(
                "jaar" if period.kind == YEAR else ("maand" if month else "kwartaal"),
                _("Deze periode is nog niet begonnen. Kies een periode tot en met nu."),
            )
        data["period"] = period
        return data


def _period(year, quarter, month):
    if month:
        return Period(year, MONTH, month)
    if quarter:
        return Period(year, QUARTER, quarter)
    return Period(year)


class MonitorFilter(django_filters.FilterSet):
    jaar = PeriodPart(
        label=_("Jaar"),
        empty_label=None,
        help_text=_("De cijfers gaan altijd over een heel jaar, een kwartaal of een maand."),
    )
    kwartaal = PeriodPart(
        label=_("Kwartaal (niet verplicht)"),
        choices=QUARTERS,
        empty_label=_("Heel jaar"),
    )
    maand = PeriodPart(
        label=_("Maand (niet verplicht)"),
        choices=[(str(n), name) for n, name in MONTHS.items()],
        empty_label=_("Geen maand: heel jaar of kwartaal"),
    )
    soort = django_filters.ChoiceFilter(
        label=_("Soort organisatie"),
        field_name="kind",
        choices=[(k.value, k.label) for k in KINDS],
        empty_label=_("Alle soorten"),
    )
    provincie = django_filters.ModelChoiceFilter(
        label=_("Provincie"),
        field_name="province",
        queryset=Organisation.objects.filter(kind=OrganisationKind.PROVINCIE).order_by("name"),
        empty_label=_("Alle provincies"),
    )

    class Meta:
        model = Organisation
        fields = []
        form = PeriodForm

    def __init__(self, data=None, *, organisation=None, **kwargs):
        super().__init__(data, queryset=Organisation.objects.none(), **kwargs)
        self.organisation = organisation
        if organisation is not None:
            del self.filters["soort"], self.filters["provincie"]
        else:
            self.form.fields["provincie"].label_from_instance = lambda province: province.name
        today = timezone.localdate()
        years = range(today.year, EARLIEST - 1, -1)
        self.form.fields["jaar"].choices = [(str(y), str(y)) for y in years]
        self.form.fields["jaar"].required = False
        self.form.fields["jaar"].initial = str(default_period(today).year)

    def selection(self):
        """The Selection for valid input; the default period where none is chosen."""
        data = self.form.cleaned_data if self.is_valid() else {}
        return Selection(
            period=data.get("period") or default_period(),
            organisation=self.organisation,
            kind=data.get("soort") or "",
            province=data.get("provincie"),
        )


def legacy_period(data):
    """(first month, last month, fixed period) for an address of before the fixed periods
    (``van`` and ``tot``, months ``YYYY-MM``), or None. The period is the smallest one that
    holds both months; for months in two years, the year of the last."""
    field = forms.DateField(input_formats=["%Y-%m", "%Y-%m-%d"])
    try:
        start, end = field.clean(data.get("van")), field.clean(data.get("tot"))
    except forms.ValidationError:
        return None
    start, end = min(start, end), max(start, end)
    if start.year < EARLIEST or start > timezone.localdate():
        return None
    return start, end, Period.containing(start, min(end, timezone.localdate()))
