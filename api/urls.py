from django.urls import path
from drf_spectacular.views import SpectacularJSONAPIView
from oauth2_provider.views import TokenView

from webhooks import api_views as webhook_views

from . import doc_views, views

app_name = "api"

urlpatterns = [
    path("v1/openapi.json", SpectacularJSONAPIView.as_view(), name="schema"),
    path("v1/docs/", doc_views.documentation, name="docs"),
    path("v1/oauth/token", TokenView.as_view(), name="token"),
    path("v1/meldingen", views.MeldingList.as_view(), name="meldingen"),
    path("v1/meldingen/<int:pk>", views.MeldingDetail.as_view(), name="melding"),
    path("v1/meldingen/<int:pk>/aangifte", views.AangifteView.as_view(), name="aangifte"),
    path("v1/webhooks", webhook_views.WebhookList.as_view(), name="webhooks"),
    path("v1/webhooks/<int:pk>", webhook_views.WebhookDetail.as_view(), name="webhook"),
]
