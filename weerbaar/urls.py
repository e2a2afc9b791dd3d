from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path, re_path

from . import (
    access_request_views,
    failures,
    invitation_views,
    language,
    membership_views,
    mfa_lockouts,
    people_views,
    profile_views,
    push_views,
    self_declaration_views,
    views,
)
from .sso import views as sso_views

admin.autodiscover()
admin.site.login = secure_admin_login(admin.site.login)

handler400 = "weerbaar.errors.bad_request"
handler500 = "weerbaar.errors.server_error"

urlpatterns = [
    path("", views.home, name="home"),
    path("berichten/", views.inbox, name="inbox"),
    path("berichten/gelezen/", views.inbox_mark_read, name="inbox_mark_read"),
    path("pushberichten/", push_views.push_settings, name="push_settings"),
    path("pushberichten/aanmelden/", push_views.push_subscribe, name="push_subscribe"),
    path(
        "pushberichten/<int:pk>/verwijderen/",
        push_views.push_unsubscribe,
        name="push_unsubscribe",
    ),
    path("push-sw.js", push_views.service_worker, name="service_worker"),
    path("rol/", views.switch_role, name="switch_role"),
    path("mijn-gegevens/", self_declaration_views.own_details, name="own_details"),
    path("mijn-gegevens/gender/", self_declaration_views.gender_answer, name="gender_answer"),
    path("organisatie/", profile_views.own_profile, name="organisation_profile"),
    path(
        "organisaties/<str:code>/profiel/",
        profile_views.organisation_profile,
        name="organisation_profile_of",
    ),
    path("mensen/", people_views.people, name="people"),
    path("mensen/verkiezingen/", people_views.people_election, name="people_election"),
    path("mensen/<int:pk>/beeindigen/", people_views.people_end, name="people_end"),
    path(
        "mensen/<int:pk>/einde-intrekken/",
        people_views.people_cancel_end,
        name="people_cancel_end",
    ),
    path("uitnodigingen/", invitation_views.invitation_list, name="invitation_list"),
    path("uitnodigingen/lijst/", invitation_views.invitation_bulk, name="invitation_bulk"),
    path(
        "uitnodigingen/<int:pk>/opnieuw/",
        invitation_views.invitation_resend,
        name="invitation_resend",
    ),
    path(
        "uitnodigingen/<int:pk>/intrekken/",
        invitation_views.invitation_revoke,
        name="invitation_revoke",
    ),
    path("rollen/", membership_views.membership_requests, name="membership_requests"),
    path("rollen/<int:pk>/", membership_views.membership_request, name="membership_request"),
    path("uitnodiging/<str:token>/", views.invitation_accept, name="invitation_accept"),
    path("toegang-aanvragen/", access_request_views.request_access, name="request_access"),
    path(
        "toegang-aanvragen/ontvangen/",
        access_request_views.request_sent,
        name="request_access_sent",
    ),
    path(
        "toegangsaanvragen/",
        access_request_views.access_request_list,
        name="access_request_list",
    ),
    path(
        "toegangsaanvragen/<int:pk>/",
        access_request_views.access_request_detail,
        name="access_request_detail",
    ),
    path(
        "toegankelijkheid/",
        views.page,
        {"template": "pages/toegankelijkheid.html"},
        name="accessibility",
    ),
    path("privacy/", views.page, {"template": "pages/privacy.html"}, name="privacy"),
    path("storingen/", failures.failure_list, name="sweep_failures"),
    path("storingen/<int:pk>/opgelost/", failures.failure_resolve, name="sweep_failure_resolve"),
    path("blokkades/", mfa_lockouts.lockout_list, name="mfa_lockouts"),
    path(
        "blokkades/<int:user_pk>/opheffen/",
        mfa_lockouts.lockout_unlock,
        name="mfa_lockout_unlock",
    ),
    path("health/", views.health, name="health"),
    path("i18n/setlang/", language.set_language, name="set_language"),
    # allauth's login, logout and OpenID callback, wrapped for SSO (weerbaar/sso/views.py).
    path("accounts/login/", sso_views.login, name="account_login"),
    path("accounts/logout/", sso_views.logout, name="account_logout"),
    path("accounts/uitgelogd/", sso_views.logged_out, name="sso_logged_out"),
    path(
        "accounts/oidc/<str:provider_id>/login/callback/",
        sso_views.callback,
        name="openid_connect_callback",
    ),
    # SSO links no accounts and signs nobody up (docs/sso.md): allauth's pages to connect
    # a provider to an account, to sign up through one, and their old addresses, are absent.
    path("accounts/3rdparty/", views.not_found),
    path("accounts/3rdparty/signup/", views.not_found),
    re_path(r"^accounts/social/", views.not_found),
    path("accounts/", include("allauth.urls")),
    path("beheer/", admin.site.urls),
    path("meldingen/", include("incidents.urls")),
    path("veilig-wonen/", include("veiligwonen.urls")),
    path("otwb/", include("otwb.urls")),
    path("monitor/", include("monitor.urls")),
    path("api/", include("api.urls")),
    path("koppelingen/", include("api.screen_urls")),
    path("koppelingen/<int:client_pk>/webhooks/", include("webhooks.urls")),
]
