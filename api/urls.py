from django.urls import path
from drf_spectacular.views import SpectacularJSONAPIView
from oauth2_provider.views import TokenView

from . import doc_views, views

app_name = "api"

urlpatterns = [
    path("v1/openapi.json", SpectacularJSONAPIView.as_view(), name="schema"),
    path("v1/docs/", doc_views.documentation, name="docs"),
    path("v1/oauth/token", TokenView.as_view(), name="token"),
    path("v1/meldingen", views.MeldingList.as_view(), name="meldingen"),
    path("v1/meldingen/<int:pk>", views.MeldingDetail.as_view(), name="melding"),
    path("v1/meldingen/<int:pk>/aangifte", views.AangifteView.as_view(), name="aangifte"),
]
