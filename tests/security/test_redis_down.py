"""Redis down: every page still works — login (a staff user with TOTP too), filing, triage —
and the login limits still hold, on the database (``weerbaar.backends.cache``). The test runs
the production cache configuration against its own throwaway Redis and kills that."""

import copy
import shutil

import pyotp
import pytest
from allauth.mfa.totp.internal.auth import TOTP
from django.test import Client
from django.urls import reverse

from incidents.models import Melding
from tests.factories import PASSWORD
from tests.incidents.helpers import form_data
from weerbaar.constants import Position, Role

from .services import PrivateRedis

pytestmark = pytest.mark.faults

SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
WRONG = "Verkeerd-wachtwoord-123"


@pytest.fixture
def dead_redis(tmp_path, settings):
    """The settings' own cache configuration, pointed at a private Redis that is then killed."""
    if not shutil.which("redis-server"):
        pytest.skip("redis-server is not installed")
    server = PrivateRedis(tmp_path)
    server.start()
    configured = copy.deepcopy(settings.CACHES)
    configured["default"]["LOCATION"] = server.url
    configured["default"]["KEY_PREFIX"] = f"down{server.port}"
    settings.CACHES = configured
    server.stop()
    yield server
    server.stop()


def log_in(client, user, password=PASSWORD):
    client.get("/accounts/login/")
    return client.post("/accounts/login/", {"login": user.email, "password": password})


def form_errors(response):
    return " ".join(response.context["form"].non_field_errors())


def test_with_redis_down_people_log_in_file_and_triage(dead_redis, gemeente_a, user_factory):
    raadslid = user_factory(Role.OFFICE_HOLDER, gemeente_a, Position.RAADSLID)
    griffier = user_factory(Role.GRIFFIER, gemeente_a)
    TOTP.activate(griffier, SECRET)

    reporter = Client()
    response = log_in(reporter, raadslid)
    assert response.status_code == 302, "logging in must not depend on Redis"
    assert reporter.get("/").status_code == 200
    response = reporter.post(reverse("incidents:new"), form_data())
    assert response.status_code == 302
    melding = Melding.objects.get(reporter=raadslid)
    assert reporter.get(response["Location"]).status_code == 200

    triager = Client()
    response = log_in(triager, griffier)
    assert response["Location"].startswith("/accounts/2fa/authenticate/")
    code = pyotp.TOTP(SECRET).now()
    response = triager.post("/accounts/2fa/authenticate/", {"code": code})
    assert response.status_code == 302 and not response["Location"].startswith("/accounts/")
    assert triager.get(reverse("incidents:dashboard")).status_code == 200
    assert triager.get(reverse("incidents:case", args=[melding.pk])).status_code == 200
    response = triager.post(reverse("incidents:severity", args=[melding.pk]), {"severity": "high"})
    assert response.status_code == 302
    melding.refresh_from_db()
    assert melding.severity == "high"

    # The used TOTP code is remembered without Redis too: it does not open a second session.
    replay = Client()
    log_in(replay, griffier)
    response = replay.post("/accounts/2fa/authenticate/", {"code": code})
    assert response.status_code == 200
    assert replay.get(reverse("incidents:dashboard")).status_code == 302

    health = reporter.get("/health/").json()
    assert health["status"] == "degraded" and health["checks"]["cache"] == "error"


def test_with_redis_down_wrong_passwords_are_still_limited(dead_redis, gemeente_a, user_factory):
    griffier = user_factory(Role.GRIFFIER, gemeente_a)
    TOTP.activate(griffier, SECRET)
    for _attempt in range(5):
        response = log_in(Client(), griffier, WRONG)
        assert response.status_code == 200
        assert "niet correct" in form_errors(response)
    response = log_in(Client(), griffier)
    assert response.status_code == 200, "the right password must not get through after 5 misses"
    assert form_errors(response) == "Te veel inlogpogingen. Probeer het later nogmaals."
