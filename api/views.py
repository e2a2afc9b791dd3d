"""The API's resources. Every melding comes through ``Melding.objects.visible_to`` for the
client's service account (acting as the client's role), so a client of another
organisation gets 404 for a guessed id, as a person would. Each melding read is audited as
a view by that account, naming the client."""

from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from incidents.constants import Status
from incidents.models import Aangifte, Melding
from incidents.services import followup
from incidents.services.common import NotAllowed

from .common import ERRORS, PROBLEM, audit_views, client_of, visible_or_404
from .constants import Scope
from .filters import ApiMeldingFilter
from .pagination import MeldingCursor
from .serializers import (
    AangifteSerializer,
    AangifteWriteSerializer,
    MeldingDetailSerializer,
    MeldingSerializer,
)

__all__ = ["AangifteView", "MeldingDetail", "MeldingList"]


def _scoped(request):
    if client_of(request) is None:
        return Melding.objects.none()  # the schema generator's stand-in request
    return (
        Melding.objects.visible_to(request.user)
        .exclude(status=Status.DRAFT)
        .select_related("organisation", "aangifte")
    )


def _audit_views(request, meldingen):
    """One view line per melding read, in one statement, as the case page writes one."""
    audit_views(request, meldingen, organisation_id=lambda m: m.route_organisation_id)


def _visible_or_404(request, queryset, pk):
    """The melding if the client's role sees it; otherwise 404, with the attempt audited
    when the melding exists (a guessed id), as ``weerbaar.access.get_visible_or_404``."""
    return visible_or_404(request, queryset, pk=pk)


class MeldingList(generics.ListAPIView):
    """The meldingen of the client's organisation that its role sees, newest first."""

    serializer_class = MeldingSerializer
    pagination_class = MeldingCursor
    filter_backends = [DjangoFilterBackend]
    filterset_class = ApiMeldingFilter
    required_scopes = {"GET": [Scope.MELDINGEN_LEZEN]}

    def get_queryset(self):
        return _scoped(self.request)

    @extend_schema(
        operation_id="meldingen_list", responses={200: MeldingSerializer(many=True), **ERRORS}
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        if page:
            _audit_views(self.request, page)
        return page


class MeldingDetail(generics.RetrieveAPIView):
    """One melding; its free text and the reporter's name only with ``meldingen:inhoud``."""

    serializer_class = MeldingDetailSerializer
    required_scopes = {"GET": [Scope.MELDINGEN_LEZEN]}

    def get_queryset(self):
        queryset = _scoped(self.request)
        if self._with_content():
            queryset = queryset.select_related("reporter")
        return queryset

    def _with_content(self):
        return Scope.MELDINGEN_INHOUD in self.request.auth.scope.split() and (
            self.request.api_client.has_scope(Scope.MELDINGEN_INHOUD)
        )

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "with_content": self._with_content()}

    def get_object(self):
        melding = _visible_or_404(self.request, self.get_queryset(), self.kwargs["pk"])
        _audit_views(self.request, [melding])
        return melding

    @extend_schema(
        operation_id="meldingen_retrieve", responses={200: MeldingDetailSerializer, **ERRORS}
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class AangifteView(generics.GenericAPIView):
    """The aangifte of a melding: read with ``meldingen:lezen``, changed with
    ``aangifte:schrijven`` through the same service as the case page (timeline line,
    audit line, reminder clock)."""

    serializer_class = AangifteSerializer
    required_scopes = {
        "GET": [Scope.MELDINGEN_LEZEN],
        "PATCH": [Scope.AANGIFTE_SCHRIJVEN],
    }

    def _melding(self):
        return _visible_or_404(self.request, _scoped(self.request), self.kwargs["pk"])

    @extend_schema(operation_id="aangifte_retrieve", responses={200: AangifteSerializer, **ERRORS})
    def get(self, request, pk):
        melding = self._melding()
        try:
            aangifte = melding.aangifte
        except Aangifte.DoesNotExist:
            raise NotFound from None
        _audit_views(request, [melding])
        return Response(AangifteSerializer(aangifte).data)

    @extend_schema(
        operation_id="aangifte_partial_update",
        request=AangifteWriteSerializer,
        responses={200: AangifteSerializer, 400: PROBLEM, **ERRORS},
    )
    def patch(self, request, pk):
        melding = self._melding()
        incoming = AangifteWriteSerializer(data=request.data, partial=False)
        incoming.is_valid(raise_exception=True)
        try:
            aangifte = followup.save_aangifte(
                melding, actor=request.user, data=incoming.validated_data, request=request
            )
        except NotAllowed:
            raise NotFound from None
        return Response(AangifteSerializer(aangifte).data, status=status.HTTP_200_OK)
