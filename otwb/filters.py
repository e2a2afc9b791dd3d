"""FilterSets behind the tour's lists."""

import django_filters
from django.utils.translation import gettext_lazy as _

from weerbaar.constants import OrganisationKind
from weerbaar.models import Organisation

from .constants import SessionKind, SessionStatus, TrajectStatus
from .models import Session, Tour, Traject


class TrajectFilter(django_filters.FilterSet):
    tour = django_filters.ModelChoiceFilter(label=_("Ronde"), queryset=Tour.objects.all())
    status = django_filters.ChoiceFilter(label=_("Status"), choices=TrajectStatus.choices)
    province = django_filters.ModelChoiceFilter(
        label=_("Provincie"),
        field_name="organisation__province",
        queryset=Organisation.objects.filter(kind=OrganisationKind.PROVINCIE),
    )
    name = django_filters.CharFilter(
        label=_("Naam bevat"), field_name="organisation__name", lookup_expr="icontains"
    )

    class Meta:
        model = Traject
        fields = ["tour", "status", "province", "name"]


class SessionFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(label=_("Soort"), choices=SessionKind.choices)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=SessionStatus.choices)

    class Meta:
        model = Session
        fields = ["kind", "status"]
