"""The OTWB tour over the API: sessions and driehoek registrations. The OTWB coordinator's
client sees all of them; an organisation's client (acting as its griffier, the OTWB's
contact) what its griffier sees: its own registrations and the sessions it is in or may
register for (``Session.objects.visible_to``). The names and e-mail addresses of a
registered driehoek only with ``otwb:persoonsgegevens``; every registration read is
audited, attributed to the client."""

import django_filters
from django.db.models import Count, IntegerField, OuterRef, Prefetch, Subquery
from django.db.models.functions import Coalesce
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import generics, serializers
from rest_framework.pagination import CursorPagination

from otwb.constants import RegistrationStatus, SessionKind, SessionStatus
from otwb.models import Registration, Session
from weerbaar.models import Organisation

from .common import (
    ERRORS,
    AuditedDetail,
    AuditedList,
    client_of,
    has_scope,
    visible_or_404,
)
from .constants import Scope

__all__ = ["RegistrationDetail", "RegistrationList", "SessionDetail", "SessionList"]


def _count(status):
    rows = (
        Registration.objects.filter(session=OuterRef("pk"), status=status)
        .order_by()
        .values("session")
        .annotate(n=Count("*"))
        .values("n")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), 0)


def scoped_sessions(request):
    if client_of(request) is None:
        return Session.objects.none()
    return (
        Session.objects.visible_to(request.user)
        .prefetch_related(
            Prefetch("organisations", queryset=Organisation.objects.only("code").order_by("code"))
        )
        .annotate(
            confirmed=_count(RegistrationStatus.CONFIRMED),
            waiting=_count(RegistrationStatus.WAITING),
        )
    )


class SessionFilter(django_filters.FilterSet):
    """The planner's filters: kind, status and the period the session starts in."""

    kind = django_filters.ChoiceFilter(choices=SessionKind.choices)
    status = django_filters.ChoiceFilter(choices=SessionStatus.choices)
    starts_from = django_filters.DateFilter(field_name="starts_at", lookup_expr="date__gte")
    starts_until = django_filters.DateFilter(field_name="starts_at", lookup_expr="date__lte")

    class Meta:
        model = Session
        fields = []


class SessionCursor(CursorPagination):
    """By start, earliest first, as the planner lists them."""

    ordering = ("starts_at", "id")
    page_size = 25
    page_size_query_param = "pageSize"
    max_page_size = 100


class SessionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=SessionKind.choices)
    title = serializers.CharField()
    status = serializers.ChoiceField(choices=SessionStatus.choices)
    startsAt = serializers.DateTimeField(source="starts_at")
    endsAt = serializers.DateTimeField(source="ends_at")
    place = serializers.CharField(help_text="Leeg voor een online sessie.")
    online = serializers.SerializerMethodField()
    organisations = serializers.SerializerMethodField()
    capacity = serializers.IntegerField(help_text="Aantal driehoeken (regionale sessie).")
    registrationClosesAt = serializers.SerializerMethodField()
    confirmedRegistrations = serializers.IntegerField(source="confirmed")
    waitingRegistrations = serializers.IntegerField(source="waiting")

    def get_online(self, session) -> bool:
        return bool(session.online_url)

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_organisations(self, session):
        return [org.code for org in session.organisations.all()]

    @extend_schema_field(serializers.DateTimeField(allow_null=True))
    def get_registrationClosesAt(self, session):
        if not session.takes_registrations:
            return None
        return serializers.DateTimeField().to_representation(session.registration_closes_at)


class _SessionView:
    serializer_class = SessionSerializer
    required_scopes = {"GET": [Scope.OTWB_LEZEN]}

    def get_queryset(self):
        return scoped_sessions(self.request)


class SessionList(_SessionView, generics.ListAPIView):
    pagination_class = SessionCursor
    filter_backends = [django_filters.rest_framework.DjangoFilterBackend]
    filterset_class = SessionFilter

    @extend_schema(
        operation_id="otwb_sessies_list", responses={200: SessionSerializer(many=True), **ERRORS}
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class SessionDetail(_SessionView, generics.RetrieveAPIView):
    def get_object(self):
        return visible_or_404(self.request, self.get_queryset(), pk=self.kwargs["pk"])

    @extend_schema(
        operation_id="otwb_sessies_retrieve", responses={200: SessionSerializer, **ERRORS}
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class RegistrationFilter(django_filters.FilterSet):
    session = django_filters.NumberFilter(field_name="session_id")
    status = django_filters.ChoiceFilter(choices=RegistrationStatus.choices)
    kind = django_filters.ChoiceFilter(field_name="session__kind", choices=SessionKind.choices)
    starts_from = django_filters.DateFilter(
        field_name="session__starts_at", lookup_expr="date__gte"
    )
    starts_until = django_filters.DateFilter(
        field_name="session__starts_at", lookup_expr="date__lte"
    )

    class Meta:
        model = Registration
        fields = []


class RegistrationCursor(CursorPagination):
    ordering = ("created_at", "id")
    page_size = 25
    page_size_query_param = "pageSize"
    max_page_size = 100


class DriehoekSerializer(serializers.Serializer):
    burgemeesterName = serializers.CharField(source="burgemeester_name")
    burgemeesterEmail = serializers.EmailField(source="burgemeester_email")
    griffierName = serializers.CharField(source="griffier_name")
    griffierEmail = serializers.EmailField(source="griffier_email")
    secretarisName = serializers.CharField(source="secretaris_name")
    secretarisEmail = serializers.EmailField(source="secretaris_email")


class RegistrationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    session = serializers.IntegerField(source="session_id")
    organisation = serializers.CharField(source="organisation.code")
    status = serializers.ChoiceField(choices=RegistrationStatus.choices)
    createdAt = serializers.DateTimeField(source="created_at")
    promotedAt = serializers.DateTimeField(source="promoted_at", allow_null=True)
    cancelledAt = serializers.DateTimeField(source="cancelled_at", allow_null=True)
    driehoek = serializers.SerializerMethodField(
        help_text="Alleen met otwb:persoonsgegevens; anders null."
    )

    @extend_schema_field(DriehoekSerializer(allow_null=True))
    def get_driehoek(self, registration):
        if not self.context.get("with_personal"):
            return None
        return DriehoekSerializer(registration).data


_PEOPLE = tuple(
    f"{who}_{what}"
    for who in ("burgemeester", "griffier", "secretaris")
    for what in ("name", "email")
)


class _RegistrationView:
    serializer_class = RegistrationSerializer
    required_scopes = {"GET": [Scope.OTWB_LEZEN]}

    def _with_personal(self):
        return has_scope(self.request, Scope.OTWB_PERSOONSGEGEVENS)

    def get_queryset(self):
        if client_of(self.request) is None:
            return Registration.objects.none()
        queryset = Registration.objects.visible_to(self.request.user).select_related("organisation")
        return queryset if self._with_personal() else queryset.defer(*_PEOPLE)

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "with_personal": self._with_personal()}


def _organisation(registration):
    return registration.organisation_id


class RegistrationList(AuditedList, _RegistrationView, generics.ListAPIView):
    audit_organisation = staticmethod(_organisation)

    pagination_class = RegistrationCursor
    filter_backends = [django_filters.rest_framework.DjangoFilterBackend]
    filterset_class = RegistrationFilter

    @extend_schema(
        operation_id="otwb_aanmeldingen_list",
        responses={200: RegistrationSerializer(many=True), **ERRORS},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class RegistrationDetail(AuditedDetail, _RegistrationView, generics.RetrieveAPIView):
    audit_organisation = staticmethod(_organisation)

    @extend_schema(
        operation_id="otwb_aanmeldingen_retrieve",
        responses={200: RegistrationSerializer, **ERRORS},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)
