"""Filters of the intake queue."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from weerbaar.constants import Position

from .constants import ELIGIBLE_POSITIONS, WAITING_FOR_INTAKE, Status, UrgencyClass
from .models import Application

SCOPE_CHOICES = [
    ("wacht", _("Wacht op intake")),
    ("open", _("Alle lopende aanvragen")),
    ("alle", _("Alle aanvragen")),
]
CLAIM_CHOICES = [("mijn", _("Door mij opgepakt")), ("vrij", _("Nog niet opgepakt"))]


class QueueFilter(django_filters.FilterSet):
    fase = django_filters.ChoiceFilter(
        label=_("Fase"), choices=SCOPE_CHOICES, method="filter_phase", empty_label=None
    )
    urgentie = django_filters.ChoiceFilter(
        label=_("Urgentieklasse"),
        field_name="urgency_class",
        choices=UrgencyClass.choices,
        empty_label=_("Alle klassen"),
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=Status.choices, empty_label=_("Alle statussen")
    )
    functie = django_filters.ChoiceFilter(
        label=_("Functie"),
        field_name="position",
        choices=[(p.value, p.label) for p in Position if p in ELIGIBLE_POSITIONS],
        empty_label=_("Alle functies"),
    )
    opgepakt = django_filters.ChoiceFilter(
        label=_("Opgepakt"),
        choices=CLAIM_CHOICES,
        method="filter_claim",
        empty_label=_("Iedereen"),
    )
    # A checkbox, not a yes/no/"Onbekend" select: the filter is either on or off.
    te_laat = django_filters.BooleanFilter(
        label=_("Alleen termijn overschreden"),
        method="filter_overdue",
        widget=forms.CheckboxInput,
    )

    class Meta:
        model = Application
        fields = []

    def __init__(self, data=None, *args, **kwargs):
        data = data.copy() if data is not None else {}
        data.setdefault("fase", "wacht")
        super().__init__(data, *args, **kwargs)

    def filter_phase(self, queryset, name, value):
        if value == "wacht":
            return queryset.filter(status__in=WAITING_FOR_INTAKE)
        if value == "open":
            return queryset.open()
        return queryset

    def filter_claim(self, queryset, name, value):
        if value == "mijn":
            return queryset.filter(intake_officer=self.request.user)
        return queryset.filter(intake_officer__isnull=True)

    def filter_overdue(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(
            Q(intake_held_at__isnull=True), sla_due_at__lt=timezone.now()
        ).filter(status__in=WAITING_FOR_INTAKE)
