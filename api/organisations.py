"""Organisations and their readiness. The list is public knowledge (name, kind, CBS code,
province) for any client, whatever its scopes. The readiness (issue 19 §3) only as the
portal shows it: to the organisation's own client acting as its griffier or secretaris
(the start page's checklist) and to the OTWB coordinator's client (the national page); for
anyone else an organisation's readiness is a 404."""

import django_filters
from django.utils.translation import get_language
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.exceptions import NotFound
from rest_framework.pagination import CursorPagination
from rest_framework.response import Response

from incidents import readiness
from weerbaar.constants import OrganisationKind, Role
from weerbaar.models import Organisation

from .common import ERRORS, client_of
from .constants import Scope

__all__ = [
    "OrganisationDetail",
    "OrganisationList",
    "ReadinessDetail",
    "ReadinessList",
    "may_see_readiness",
]

# As the portal: the start page's checklist for these roles of the organisation itself
# (``incidents.apps.KEEPERS``), the national page for the OTWB coordinator.
OWN_READINESS_ROLES = frozenset({Role.GRIFFIER, Role.SECRETARIS})
NATIONAL_READINESS_ROLES = frozenset({Role.OTWB_COORDINATOR})


def may_see_readiness(client, organisation):
    if client.role in NATIONAL_READINESS_ROLES:
        return True
    return client.role in OWN_READINESS_ROLES and client.organisation_id == organisation.pk


class OrganisationFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=OrganisationKind.choices)
    province = django_filters.CharFilter(
        field_name="province__code", help_text="CBS-code van de provincie, bijv. PV26."
    )

    class Meta:
        model = Organisation
        fields = []


class OrganisationCursor(CursorPagination):
    ordering = ("code",)
    page_size = 100
    page_size_query_param = "pageSize"
    max_page_size = 400


class OrganisationSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="CBS-code (GM0344, PV26, WS0636) of BZK/CCV/OTWB.")
    name = serializers.CharField()
    kind = serializers.ChoiceField(choices=OrganisationKind.choices)
    province = serializers.CharField(source="province.code", allow_null=True, default=None)


def _organisations():
    return (
        Organisation.objects.filter(is_active=True)
        .select_related("province")
        .only("code", "name", "kind", "province__code")
    )


class OrganisationList(generics.ListAPIView):
    """Every active organisation: gemeenten, provincies, waterschappen, national bodies."""

    serializer_class = OrganisationSerializer
    pagination_class = OrganisationCursor
    filter_backends = [django_filters.rest_framework.DjangoFilterBackend]
    filterset_class = OrganisationFilter
    required_scopes = {"GET": []}

    def get_queryset(self):
        return _organisations()

    @extend_schema(
        operation_id="organisaties_list",
        responses={200: OrganisationSerializer(many=True), **ERRORS},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class OrganisationDetail(generics.RetrieveAPIView):
    serializer_class = OrganisationSerializer
    required_scopes = {"GET": []}
    lookup_field = "code"

    def get_queryset(self):
        return _organisations()

    @extend_schema(
        operation_id="organisaties_retrieve", responses={200: OrganisationSerializer, **ERRORS}
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class ReadinessItemSerializer(serializers.Serializer):
    key = serializers.ChoiceField(
        choices=[readiness.ADDRESS, readiness.ROUTES, readiness.TEXT, readiness.ACCOUNTS]
    )
    label = serializers.CharField()
    done = serializers.BooleanField()
    gap = serializers.CharField(help_text="Wat ontbreekt; leeg als het punt gereed is.")


class ReadinessSerializer(serializers.Serializer):
    organisation = serializers.CharField()
    ready = serializers.BooleanField()
    items = ReadinessItemSerializer(many=True)


def _readiness_data(rows):
    return [
        {
            "organisation": row.organisation.code,
            "ready": row.ready,
            "items": [
                {"key": i.key, "label": i.label, "done": i.done, "gap": "" if i.done else i.gap}
                for i in row.items
            ],
        }
        for row in rows
    ]


class ReadinessDetail(generics.GenericAPIView):
    """The readiness checklist of one organisation (a gemeente, provincie or waterschap)."""

    serializer_class = ReadinessSerializer
    required_scopes = {"GET": [Scope.PARAATHEID_LEZEN]}

    @extend_schema(
        operation_id="organisaties_paraatheid_retrieve",
        responses={200: ReadinessSerializer, **ERRORS},
    )
    def get(self, request, code):
        client = client_of(request)
        organisation = readiness.organisations().filter(code=code).first()
        if organisation is None or not may_see_readiness(client, organisation):
            raise NotFound
        rows = readiness.of_organisations([organisation.pk], language=get_language())
        return Response(ReadinessSerializer(_readiness_data(rows)[0]).data)


class ReadinessFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=[(k.value, k.label) for k in readiness.KINDS])
    province = django_filters.CharFilter(
        method="filter_province", help_text="CBS-code van de provincie: zijzelf en wie erin ligt."
    )

    class Meta:
        model = Organisation
        fields = []

    def filter_province(self, queryset, name, value):
        from django.db.models import Q

        return queryset.filter(Q(province__code=value) | Q(code=value))


class ReadinessList(generics.ListAPIView):
    """The readiness of every organisation the client may see it of: for the OTWB
    coordinator's client all gemeenten, provincies and waterschappen (the national page),
    for an organisation's client its own. Computed per page with the same few queries
    whatever its length, and kept as the portal keeps it (``readiness.of_organisations``)."""

    serializer_class = ReadinessSerializer
    pagination_class = OrganisationCursor
    filter_backends = [django_filters.rest_framework.DjangoFilterBackend]
    filterset_class = ReadinessFilter
    required_scopes = {"GET": [Scope.PARAATHEID_LEZEN]}

    def get_queryset(self):
        client = client_of(self.request)
        organisations = readiness.organisations().order_by("code")
        if client is None:
            return organisations.none()
        if client.role in NATIONAL_READINESS_ROLES:
            return organisations
        if client.role in OWN_READINESS_ROLES:
            return organisations.filter(pk=client.organisation_id)
        return organisations.none()

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        rows = readiness.of_organisations([o.pk for o in page], language=get_language())
        by_pk = {row.organisation.pk: row for row in rows}
        data = _readiness_data([by_pk[o.pk] for o in page])
        return self.get_paginated_response(ReadinessSerializer(data, many=True).data)

    @extend_schema(
        operation_id="paraatheid_list", responses={200: ReadinessSerializer(many=True), **ERRORS}
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)
