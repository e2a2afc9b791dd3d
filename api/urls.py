from django.urls import path
from drf_spectacular.views import SpectacularJSONAPIView
from oauth2_provider.views import TokenView

from webhooks import api_views as webhook_views

from . import doc_views, organisations, otwb, timeline, veiligwonen, views

app_name = "api"

urlpatterns = [
    path("v1/openapi.json", SpectacularJSONAPIView.as_view(), name="schema"),
    path("v1/docs/", doc_views.documentation, name="docs"),
    path("v1/oauth/token", TokenView.as_view(), name="token"),
    path("v1/meldingen", views.MeldingList.as_view(), name="meldingen"),
    path("v1/meldingen/<int:pk>", views.MeldingDetail.as_view(), name="melding"),
    path("v1/meldingen/<int:pk>/aangifte", views.AangifteView.as_view(), name="aangifte"),
    path("v1/meldingen/<int:pk>/tijdlijn", timeline.TimelineList.as_view(), name="tijdlijn"),
    path(
        "v1/veilig-wonen/aanvragen",
        veiligwonen.ApplicationList.as_view(),
        name="vw_aanvragen",
    ),
    path(
        "v1/veilig-wonen/aanvragen/<int:pk>",
        veiligwonen.ApplicationDetail.as_view(),
        name="vw_aanvraag",
    ),
    path("v1/veilig-wonen/maatregelen", veiligwonen.MeasureList.as_view(), name="vw_maatregelen"),
    path("v1/otwb/sessies", otwb.SessionList.as_view(), name="otwb_sessies"),
    path("v1/otwb/sessies/<int:pk>", otwb.SessionDetail.as_view(), name="otwb_sessie"),
    path("v1/otwb/aanmeldingen", otwb.RegistrationList.as_view(), name="otwb_aanmeldingen"),
    path(
        "v1/otwb/aanmeldingen/<int:pk>",
        otwb.RegistrationDetail.as_view(),
        name="otwb_aanmelding",
    ),
    path("v1/organisaties", organisations.OrganisationList.as_view(), name="organisaties"),
    path(
        "v1/organisaties/<str:code>",
        organisations.OrganisationDetail.as_view(),
        name="organisatie",
    ),
    path("v1/paraatheid", organisations.ReadinessList.as_view(), name="paraatheid_lijst"),
    path(
        "v1/organisaties/<str:code>/paraatheid",
        organisations.ReadinessDetail.as_view(),
        name="paraatheid",
    ),
    path("v1/webhooks", webhook_views.WebhookList.as_view(), name="webhooks"),
    path("v1/webhooks/<int:pk>", webhook_views.WebhookDetail.as_view(), name="webhook"),
]
