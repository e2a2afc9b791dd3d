"""The triage dashboard's filters. Every filter works on plain indexed columns; the
category filter on the melding's copy of its categories (``Melding.category_codes``), so it
needs no join: a join would repeat a melding per category and need a DISTINCT over the whole
list, and a semi-join on the category rows read every row of that category in the
country."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from weerbaar.constants import Position

from .constants import Category, Channel, Severity, Status
from .models import Melding

POSITION_CHOICES = [*Position.choices, ("civil_servant", _("Ambtenaar"))]
ORDERING = [
    ("-submitted_at", _("Nieuwste eerst")),
    ("submitted_at", _("Oudste eerst")),
    ("ack_deadline", _("Termijn eerst verlopen")),
    ("-severity_rank", _("Ernstigste eerst")),
]


class MeldingFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        empty_label=_("Alle"),
        choices=[c for c in Status.choices if c[0] != "draft"],
    )
    severity = django_filters.ChoiceFilter(
        label=_("Ernst"), choices=Severity.choices, empty_label=_("Alle")
    )
    category = django_filters.ChoiceFilter(
        label=_("Categorie"),
        choices=Category.choices,
        empty_label=_("Alle"),
        method="filter_category",
    )
    channel = django_filters.ChoiceFilter(
        label=_("Hoe"), choices=Channel.choices, empty_label=_("Alle")
    )
    position = django_filters.ChoiceFilter(
        label=_("Functie melder"),
        choices=POSITION_CHOICES,
        empty_label=_("Alle"),
        method="filter_position",
    )
    submitted_from = django_filters.DateFilter(
        label=_("Verstuurd vanaf"),
        field_name="submitted_at",
        lookup_expr="date__gte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    submitted_until = django_filters.DateFilter(
        label=_("Verstuurd tot en met"),
        field_name="submitted_at",
        lookup_expr="date__lte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    overdue = django_filters.BooleanFilter(
        label=_("Alleen termijn verlopen"), method="filter_overdue", widget=forms.CheckboxInput
    )
    mine = django_filters.BooleanFilter(
        label=_("Alleen aan mij toegewezen"), method="filter_mine", widget=forms.CheckboxInput
    )
    sort = django_filters.OrderingFilter(
        label=_("Sorteren"),
        empty_label=None,
        choices=ORDERING,
        fields={
            "submitted_at": "submitted_at",
            "ack_deadline": "ack_deadline",
            "severity_rank": "severity_rank",
        },
    )

    class Meta:
        model = Melding
        fields = []

    def filter_category(self, queryset, name, value):
        if not value:
            return queryset
        # The copy on the melding (kept with the rows by services.filing), which the triage
        # scope index holds: the count is read from the index alone.
        return queryset.filter(category_codes__contains=Melding.codes_containing(value))

    def filter_position(self, queryset, name, value):
        if value == "civil_servant":
            return queryset.filter(reporter_position="")
        return queryset.filter(reporter_position=value) if value else queryset

    def filter_overdue(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(status=Status.SUBMITTED, ack_deadline__lt=timezone.now())

    def filter_mine(self, queryset, name, value):
        return queryset.filter(assigned_to=self.request.user) if value else queryset


def overdue_q(now=None):
    return Q(status=Status.SUBMITTED, ack_deadline__lt=now or timezone.now())
