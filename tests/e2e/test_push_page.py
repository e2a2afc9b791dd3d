"""The Pushberichten page in Chromium: the service worker registers for the whole portal
under the CSP, and the button subscribes this browser and sends the subscription to the
portal, which then pushes to it. The browser vendor's push service cannot run here, so the
browser's ``pushManager.subscribe`` answers with a subscription at a push service on
loopback (tests/pushreceiver.py) whose keys the test holds."""

import pyotp
import pytest
from allauth.mfa.totp.internal.auth import TOTP

from tests.factories import PASSWORD, make_user
from tests.pushreceiver import PushReceiver
from weerbaar.constants import Role
from weerbaar.models import PushSubscription
from weerbaar.notifications import deliver_pending, notify

from .helpers import assert_accessible, login, watch_console

pytestmark = pytest.mark.django_db(transaction=True)

ACUTE = "Er is een acute melding — open het portaal"

# In the page, before its scripts run: subscribe() returns the loopback subscription.
LOOPBACK_SUBSCRIPTION = """
(([endpoint, p256dh, auth]) => {
  PushManager.prototype.subscribe = async function () {
    return { toJSON: () => ({ endpoint, keys: { p256dh, auth } }) };
  };
  PushManager.prototype.getSubscription = async function () { return null; };
})(%s)
"""


@pytest.fixture
def griffier(gemeente_a):
    user = make_user(Role.GRIFFIER, gemeente_a, full_name="Gerda de Griffier")
    secret = pyotp.random_base32()
    TOTP.activate(user, secret)
    return user, secret


def test_griffier_subscribes_this_browser_and_receives_an_acute_push(
    live_server, page, griffier, settings
):
    user, secret = griffier
    with PushReceiver(settings.VAPID_PUBLIC_KEY) as receiver:
        settings.PUSH_SERVICES = [receiver.origin]
        browser = receiver.browser("chromium")
        page.context.grant_permissions(["notifications"], origin=live_server.url)
        page.add_init_script(
            LOOPBACK_SUBSCRIPTION
            % repr([receiver.endpoint("chromium"), browser.p256dh, browser.auth])
        )
        login(page, live_server.url, user.email, PASSWORD, totp_secret=secret)
        console = watch_console(page)
        page.goto(f"{live_server.url}/pushberichten/")
        assert_accessible(page)

        page.get_by_role("button", name="Pushberichten ontvangen op dit apparaat").click()
        page.get_by_text("Dit apparaat ontvangt nu pushberichten.").wait_for()
        scope = page.evaluate("navigator.serviceWorker.ready.then(r => r.scope)")
        assert scope == f"{live_server.url}/"
        console.assert_clean()

        subscription = PushSubscription.objects.get()
        assert subscription.user == user
        assert subscription.device.startswith("Chrome")

        notify(user, kind="test", subject="Nieuw", body="Log in.", link="/", push=ACUTE)
        assert deliver_pending() == 1
    assert receiver.rejected == []
    assert [p["payload"]["body"] for p in receiver.accepted] == [ACUTE]
