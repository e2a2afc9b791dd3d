"""The monitor's filters: period (whole months), province and organisation kind — and
nothing finer, so no selection can narrow down to a single organisation, let alone a
person. A griffier or secretaris only chooses the period: their view is their own
organisation."""

from datetime import date

import django_filters
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from weerbaar.constants import OrganisationKind
from weerbaar.models import Organisation

from .selection import KINDS, Selection, default_period, first_of_month

__all__ = ["MonitorFilter"]

# The earliest month anyone may ask about; older dates are certainly input errors.
EARLIEST = date(2015, 1, 1)


class MonthInput(forms.DateInput):
    input_type = "month"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m")


class MonthField(forms.DateField):
    widget = MonthInput
    input_formats = ["%Y-%m", "%Y-%m-%d"]

    def to_python(self, value):
        value = super().to_python(value)
        return first_of_month(value) if value else value


class MonthFilter(django_filters.Filter):
    field_class = MonthField

    def filter(self, qs, value):
        # The period is applied by every aggregation, not to the organisation list.
        return qs


class PeriodForm(forms.Form):
    def clean(self):
        data = super().clean()
        start, end = data.get("van"), data.get("tot")
        now = first_of_month(timezone.localdate())
        for name in ("van", "tot"):
            value = data.get(name)
            if value and not EARLIEST <= value <= now:
                self.add_error(name, _("Kies een maand tussen januari 2015 en nu."))
        if start and end and start > end:
            self.add_error("tot", _("De eindmaand ligt vóór de beginmaand."))
        return data


class MonitorFilter(django_filters.FilterSet):
    van = MonthFilter(label=_("Vanaf maand"), help_text=_("Bijvoorbeeld 2025-01"))
    tot = MonthFilter(label=_("Tot en met maand"), help_text=_("Bijvoorbeeld 2025-12"))
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
        start, end = default_period()
        self.form.fields["van"].initial = start
        self.form.fields["tot"].initial = end

    def selection(self):
        """The Selection for valid input; the default period where a field is empty."""
        start, end = default_period()
        data = self.form.cleaned_data if self.is_valid() else {}
        start, end = data.get("van") or start, data.get("tot") or end
        return Selection(
            start=min(start, end),
            end=end,
            organisation=self.organisation,
            kind=data.get("soort") or "",
            province=data.get("provincie"),
        )
