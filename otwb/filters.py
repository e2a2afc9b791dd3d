"""FilterSets behind the tour's lists."""

from hashlib import sha256

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

    def form_key(self, params):
        """What the rendered form depends on, for the fragment cache of the trajecten list:
        its own parameters (``params``, without the search and the page) and the tours and
        provinces it offers. Those are read here, once, and handed to the fields as fixed
        choices, so a cached form can never offer a list other than the one in force (a
        tour added shows at once, with no signal to forget it), and a form rendered afresh
        does not read them again."""
        offered = []
        for name in ("tour", "province"):
            field = self.form.fields[name]
            options = [(obj.pk, field.label_from_instance(obj)) for obj in field.queryset]
            empty = [("", field.empty_label)] if field.empty_label is not None else []
            # The widget renders these; the field still checks a value against its queryset.
            field.widget.choices = empty + options
            offered.append(options)
        digest = sha256(repr(offered).encode()).hexdigest()[:16]
        return f"{'bound' if self.is_bound else 'unbound'}:{params}:{digest}"


class SessionFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(label=_("Soort"), choices=SessionKind.choices)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=SessionStatus.choices)

    class Meta:
        model = Session
        fields = ["kind", "status"]
