"""The national readiness page (issue 19 §3) for the functioneel beheerder and the OTWB
coordinator; anyone else gets a 404. Every organisation on one page, filtered by province
and kind, sorted by name or state, and exported as CSV (audited as an export). The state is
computed (``incidents.readiness``), so sorting by it happens after the filter."""

import csv

import django_filters
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from weerbaar import audit
from weerbaar.constants import AuditAction, OrganisationKind, Role
from weerbaar.models import Organisation

from .. import readiness

__all__ = ["ReadinessFilter", "export_csv", "national"]

VIEWERS = (Role.FUNCTIONEEL_BEHEERDER, Role.OTWB_COORDINATOR)
SORTS = [
    ("name", gettext_lazy("Naam (A-Z)")),
    ("-name", gettext_lazy("Naam (Z-A)")),
    ("state", gettext_lazy("Gereed eerst")),
    ("-state", gettext_lazy("Meeste ontbrekend eerst")),
]


class ReadinessFilter(django_filters.FilterSet):
    province = django_filters.ModelChoiceFilter(
        label=gettext_lazy("Provincie"),
        empty_label=gettext_lazy("Alle"),
        queryset=Organisation.objects.filter(kind=OrganisationKind.PROVINCIE).only(
            "kind", "code", "name"
        ),
        method="filter_province",
    )
    kind = django_filters.ChoiceFilter(
        label=gettext_lazy("Soort"),
        empty_label=gettext_lazy("Alle"),
        choices=[(k.value, k.label) for k in readiness.KINDS],
    )
    sort = django_filters.ChoiceFilter(
        label=gettext_lazy("Sorteren"), empty_label=None, choices=SORTS, method="filter_sort"
    )

    class Meta:
        model = Organisation
        fields = []

    def filter_province(self, queryset, name, value):
        """The province itself and the organisations in it."""
        return queryset.filter(Q(province=value) | Q(pk=value.pk)) if value else queryset

    def filter_sort(self, queryset, name, value):
        return queryset  # the state is computed: ``_sorted`` orders after computing


def _allowed(request):
    if not request.user.has_role(*VIEWERS):
        raise Http404


def _state(request):
    filterset = ReadinessFilter(request.GET or None, queryset=readiness.organisations())
    rows = list(readiness.national(language=get_language()))
    chosen = filterset.form.cleaned_data if filterset.is_bound and filterset.is_valid() else {}
    province, kind = chosen.get("province"), chosen.get("kind")
    if province:  # the province itself and the organisations in it
        rows = [r for r in rows if province.pk in (r.organisation.province_id, r.organisation.pk)]
    if kind:
        rows = [r for r in rows if r.organisation.kind == kind]
    sort = chosen.get("sort", "")
    if sort in ("state", "-state"):
        rows.sort(key=lambda r: len(r.gaps), reverse=sort == "-state")  # stable: by name
    elif sort == "-name":
        rows.reverse()
    return filterset, rows


@login_required
def national(request):
    _allowed(request)
    filterset, rows = _state(request)
    ready = sum(1 for r in rows if r.ready)
    return render(
        request,
        "incidents/readiness.html",
        {
            "filter": filterset,
            "rows": rows,
            "ready_count": ready,
            "not_ready_count": len(rows) - ready,
            # Only the functioneel beheerder may open every organisation's profile and
            # protocol: no links to a 404 for the coordinator.
            "may_fix": request.user.has_role(Role.FUNCTIONEEL_BEHEERDER),
            "querystring": request.GET.urlencode(),
            # The table is kept as HTML too, until the rows change (``readiness.version``).
            "table_key": f"{readiness.version()}:{request.GET.urlencode()}",
            "table_seconds": readiness.CACHE_SECONDS,
        },
    )


@login_required
def export_csv(request):
    _allowed(request)
    filterset, rows = _state(request)
    audit.record(
        AuditAction.EXPORT,
        request=request,
        kind="readiness.csv",
        count=len(rows),
        filters=sorted(k for k in request.GET if k in filterset.filters),
    )
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="gereedheid.csv"'
    response["Cache-Control"] = "no-store"
    writer = csv.writer(response, delimiter=";")
    writer.writerow(
        [
            _("Code"),
            _("Organisatie"),
            _("Soort"),
            _("Provincie"),
            _("Gereed"),
            _("Ontbreekt"),
            _("Accounts"),
        ]
    )
    for row in rows:
        org = row.organisation
        writer.writerow(
            [
                org.code,
                org.name,
                OrganisationKind(org.kind).label,
                org.province_name,
                _("ja") if row.ready else _("nee"),
                "; ".join(item.gap for item in row.gaps),
                ", ".join(f"{label}: {n}" for label, n in row.counts),
            ]
        )
    return response
