"""The Pushberichten page: subscribing this browser (CSRF, only for those who triage or are
escalated to, only to known push services, valid keys), seeing and removing one's own
subscriptions (someone else's answers 404), and the service worker at the site root."""

import json

import pytest
from django.test import Client
from django.urls import reverse

from tests.pushreceiver import Browser
from weerbaar.backends import auth as auth_backend
from weerbaar.constants import Role
from weerbaar.models import AuditEvent, PushSubscription
from weerbaar.push_subscriptions import subscribe

from ..conftest import mark_mfa_passed

FCM = "https://fcm.googleapis.com/fcm/send/"
CHROME_ANDROID = "Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 Chrome/126.0 Mobile"


def strict_client(user):
    client = Client(enforce_csrf_checks=True, HTTP_USER_AGENT=CHROME_ANDROID)
    client.force_login(user, backend=auth_backend.PATH)
    mark_mfa_passed(client, user)
    return client


def csrf_token(client):
    page = client.get(reverse("push_settings"))
    assert page.status_code == 200
    return str(page.context["csrf_token"])


def browser_json(endpoint):
    browser = Browser("x")
    return json.dumps(
        {"endpoint": endpoint, "keys": {"p256dh": browser.p256dh, "auth": browser.auth}}
    )


def post_subscription(client, body, *, token=None):
    headers = {"HTTP_X_CSRFTOKEN": token} if token else {}
    return client.post(reverse("push_subscribe"), body, content_type="application/json", **headers)


def test_griffier_subscribes_this_browser_with_csrf(griffier_a):
    client = strict_client(griffier_a)
    body = browser_json(FCM + "abc")
    assert post_subscription(client, body).status_code == 403  # no CSRF token
    assert not PushSubscription.objects.exists()

    response = post_subscription(client, body, token=csrf_token(client))
    assert response.status_code == 201
    subscription = PushSubscription.objects.get()
    assert subscription.user == griffier_a
    assert subscription.device == "Chrome op Android"
    assert subscription.auth == json.loads(body)["keys"]["auth"]
    assert AuditEvent.objects.filter(
        actor=griffier_a, object_type="weerbaar.pushsubscription"
    ).exists()
    page = client.get(reverse("push_settings"))
    assert "Chrome op Android" in page.content.decode()


@pytest.mark.parametrize(
    ("endpoint", "keys"),
    [
        ("http://127.0.0.1:6379/", None),  # not a push service: the portal would post there
        ("https://fcm.googleapis.com.evil.example/x", None),
        ("https://user@fcm.googleapis.com/x", None),
        (FCM + "abc", {"p256dh": "AAAA", "auth": "AAAA"}),  # not a P-256 key
    ],
)
def test_subscription_to_an_unknown_service_or_with_bad_keys_is_refused(griffier_a, endpoint, keys):
    client = strict_client(griffier_a)
    body = json.loads(browser_json(endpoint))
    if keys:
        body["keys"] = keys
    response = post_subscription(client, json.dumps(body), token=csrf_token(client))
    assert response.status_code == 400
    assert response.json()["error"]
    assert not PushSubscription.objects.exists()


def test_a_reporter_cannot_subscribe(user_factory, gemeente_a):
    raadslid = user_factory(Role.OFFICE_HOLDER, gemeente_a)
    client = strict_client(raadslid)
    response = post_subscription(client, browser_json(FCM + "r"), token=csrf_token(client))
    assert response.status_code == 403
    assert not PushSubscription.objects.exists()
    assert "data-push-form" not in client.get(reverse("push_settings")).content.decode()


def test_anonymous_cannot_subscribe(client, db):
    response = client.post(
        reverse("push_subscribe"), browser_json(FCM + "a"), content_type="application/json"
    )
    assert response.status_code == 302
    assert not PushSubscription.objects.exists()


def own(user, endpoint):
    browser = Browser("x")
    return subscribe(user=user, endpoint=endpoint, p256dh=browser.p256dh, auth=browser.auth)


def test_user_sees_and_removes_only_own_subscriptions(griffier_a, griffier_b, client_for):
    mine = own(griffier_a, FCM + "mine")
    theirs = own(griffier_b, FCM + "theirs")
    client = client_for(griffier_a)

    page = client.get(reverse("push_settings")).content.decode()
    assert reverse("push_unsubscribe", args=[mine.pk]) in page
    assert reverse("push_unsubscribe", args=[theirs.pk]) not in page

    assert client.post(reverse("push_unsubscribe", args=[theirs.pk])).status_code == 404
    assert PushSubscription.objects.filter(pk=theirs.pk).exists()
    assert client.get(reverse("push_unsubscribe", args=[mine.pk])).status_code == 405
    response = client.post(reverse("push_unsubscribe", args=[mine.pk]))
    assert response.status_code == 302
    assert not PushSubscription.objects.filter(pk=mine.pk).exists()


def test_unsubscribe_needs_csrf(griffier_a):
    mine = own(griffier_a, FCM + "mine")
    client = strict_client(griffier_a)
    assert client.post(reverse("push_unsubscribe", args=[mine.pk])).status_code == 403
    assert PushSubscription.objects.filter(pk=mine.pk).exists()


def test_a_browser_subscribing_again_for_someone_else_moves_to_them(griffier_a, griffier_b):
    """The endpoint is the browser: whoever signs in there and subscribes receives; the
    previous user's notices no longer go to a browser they left."""
    own(griffier_a, FCM + "shared")
    own(griffier_b, FCM + "shared")
    assert list(PushSubscription.objects.values_list("user", flat=True)) == [griffier_b.pk]


def test_service_worker_is_served_from_the_root_as_javascript(client, db):
    response = client.get(reverse("service_worker"))
    assert reverse("service_worker") == "/push-sw.js"
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert b'addEventListener("push"' in response.content


def test_page_loads_its_script_with_the_csp_nonce_and_the_public_key(griffier_a, client_for):
    response = client_for(griffier_a).get(reverse("push_settings"))
    html = response.content.decode()
    nonce = response.wsgi_request.csp_nonce
    assert f'src="/static/vendor/js/push.js" nonce="{nonce}"' in html
    assert "<script>" not in html
    assert f'data-vapid-key="{response.context["vapid_public_key"]}"' in html
    assert response.context["vapid_public_key"]
