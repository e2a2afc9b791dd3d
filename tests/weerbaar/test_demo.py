import io

import pyotp
import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from api.demo import DEMO_CLIENTS
from weerbaar.constants import Role
from weerbaar.demo import ACCOUNTS, DEMO_PASSWORD, DEMO_TOTP_SECRET
from weerbaar.models import Membership, User


def seed():
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def test_demo_data_is_refused_outside_debug_and_demo_mode(organisations, settings):
    settings.DEBUG = False
    settings.DEMO_MODE = False
    with pytest.raises(CommandError):
        call_command("seed_demo", stdout=io.StringIO())
    assert not User.objects.exists()


def test_seed_demo_is_idempotent_and_covers_every_role(organisations, settings):
    settings.DEMO_MODE = True
    output = seed()
    seed()
    assert User.objects.filter(email__endswith=".demo").count() == len(ACCOUNTS)
    # The demo API clients act through service accounts of their own (api.demo).
    assert User.objects.filter(api_client__isnull=False).count() == len(DEMO_CLIENTS)
    # Everyone else is a made-up reporter of the history, without a membership.
    others = User.objects.exclude(email__endswith=".demo").filter(api_client__isnull=True)
    assert not others.filter(is_active=True).exists()
    assert not Membership.objects.filter(user__in=others).exists()
    roles = set(Membership.objects.values_list("role", flat=True))
    assert roles == {r.value for r in Role}
    kinds = set(Membership.objects.values_list("organisation__kind", flat=True))
    assert kinds == {"gemeente", "provincie", "waterschap", "national"}
    provinces = set(
        Membership.objects.filter(organisation__kind="gemeente").values_list(
            "organisation__province__code", flat=True
        )
    )
    assert len(provinces) >= 2
    assert DEMO_PASSWORD in output
    assert DEMO_TOTP_SECRET in output
    assert "griffier@utrecht.demo" in output


def test_demo_griffier_logs_in_with_password_and_printed_totp_secret(organisations, settings):
    settings.DEMO_MODE = True
    seed()
    client = Client()
    response = client.post(
        "/accounts/login/", {"login": "griffier@utrecht.demo", "password": DEMO_PASSWORD}
    )
    assert response["Location"].startswith("/accounts/2fa/authenticate/")
    client.post("/accounts/2fa/authenticate/", {"code": pyotp.TOTP(DEMO_TOTP_SECRET).now()})
    assert client.get("/").status_code == 200
