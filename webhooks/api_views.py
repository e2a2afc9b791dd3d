"""A client's own webhooks over the API (scope ``webhooks:beheren``): list, add (the secret
in that one response), remove. The same service as the screen, so the same address checks
and audit lines, attributed to the client; another client's webhook is a 404."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import NotFound
from rest_framework.exceptions import ValidationError as InvalidParams
from rest_framework.response import Response

from api.constants import Scope

from . import services
from .models import Subscription
from .serializers import NewSubscriptionSerializer, SubscriptionSerializer

__all__ = ["WebhookDetail", "WebhookList"]

PROBLEM = OpenApiResponse(description=_("Probleem (RFC 9457, application/problem+json)"))
ERRORS = {401: PROBLEM, 403: PROBLEM, 404: PROBLEM, 429: PROBLEM}
MANAGE = [Scope.WEBHOOKS_BEHEREN]


def _own(request):
    client = getattr(request, "api_client", None) if request is not None else None
    if client is None:
        return Subscription.objects.none()  # the schema generator's stand-in request
    return Subscription.objects.filter(client=client).order_by("pk")


class WebhookList(generics.GenericAPIView):
    """The webhooks of the calling client."""

    serializer_class = SubscriptionSerializer
    pagination_class = None
    required_scopes = {"GET": MANAGE, "POST": MANAGE}

    def get_queryset(self):
        return _own(self.request)

    @extend_schema(
        operation_id="webhooks_list", responses={200: SubscriptionSerializer(many=True), **ERRORS}
    )
    def get(self, request):
        return Response(SubscriptionSerializer(self.get_queryset(), many=True).data)

    @extend_schema(
        operation_id="webhooks_create",
        request=SubscriptionSerializer,
        responses={201: NewSubscriptionSerializer, 400: PROBLEM, **ERRORS},
    )
    def post(self, request):
        incoming = SubscriptionSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        try:
            subscription, secret = services.subscribe(
                actor=request.user,
                client=request.api_client,
                http_request=request,
                url=incoming.validated_data["url"],
                events=incoming.validated_data["events"],
            )
        except ValidationError as exc:
            field = "url" if exc.code == "url" else "events"
            raise InvalidParams({field: exc.messages}) from None
        subscription.secret = secret
        return Response(NewSubscriptionSerializer(subscription).data, status.HTTP_201_CREATED)


class WebhookDetail(generics.GenericAPIView):
    serializer_class = SubscriptionSerializer
    required_scopes = {"GET": MANAGE, "DELETE": MANAGE}

    def _subscription(self):
        found = _own(self.request).filter(pk=self.kwargs["pk"]).first()
        if found is None:
            raise NotFound
        return found

    @extend_schema(
        operation_id="webhooks_retrieve", responses={200: SubscriptionSerializer, **ERRORS}
    )
    def get(self, request, pk):
        return Response(SubscriptionSerializer(self._subscription()).data)

    @extend_schema(operation_id="webhooks_destroy", responses={204: None, **ERRORS})
    def delete(self, request, pk):
        services.remove(actor=request.user, subscription=self._subscription(), http_request=request)
        return Response(status=status.HTTP_204_NO_CONTENT)
