import time_machine
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from tests.factories import PASSWORD
from weerbaar.constants import Role


def login(user):
    client = Client()
    client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    return client


def test_session_ends_after_inactivity_for_staff_after_30_minutes(
    gemeente_a, user_factory, client_for
):
    griffier = user_factory(Role.GRIFFIER, gemeente_a)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        client = client_for(griffier)
        assert client.get("/").status_code == 200
    with time_machine.travel(start + timezone.timedelta(minutes=29), tick=False):
        assert client.get("/").status_code == 200
    with time_machine.travel(start + timezone.timedelta(minutes=29 + 31), tick=False):
        response = client.get("/")
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
        # The server-side session is gone, not just the cookie.
        assert client.get("/").status_code == 302


def test_reporter_session_lasts_longer_than_a_staff_session(gemeente_a, user_factory):
    raadslid = user_factory(Role.OFFICE_HOLDER, gemeente_a)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        client = login(raadslid)
        assert client.get("/").status_code == 200
    with time_machine.travel(start + timezone.timedelta(minutes=45), tick=False):
        assert client.get("/").status_code == 200


def test_absolute_timeout_ends_even_an_active_session(gemeente_a, user_factory):
    raadslid = user_factory(Role.OFFICE_HOLDER, gemeente_a)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        client = login(raadslid)
    for minutes in range(50, 12 * 60, 50):
        with time_machine.travel(start + timezone.timedelta(minutes=minutes), tick=False):
            assert client.get("/").status_code == 200
    with time_machine.travel(start + timezone.timedelta(hours=12, minutes=5), tick=False):
        assert client.get("/").status_code == 302


def test_new_session_id_at_login(gemeente_a, user_factory):
    raadslid = user_factory(Role.OFFICE_HOLDER, gemeente_a)
    client = Client()
    client.get("/accounts/login/")
    before = client.session.session_key
    client.post("/accounts/login/", {"login": raadslid.email, "password": PASSWORD})
    assert client.session.session_key != before


def test_logout_ends_the_server_session(gemeente_a, user_factory):
    from django.contrib.sessions.models import Session

    raadslid = user_factory(Role.OFFICE_HOLDER, gemeente_a)
    client = login(raadslid)
    key = client.session.session_key
    client.post("/accounts/logout/")
    assert not Session.objects.filter(session_key=key).exists()


def test_deactivated_user_loses_access_at_once(gemeente_a, user_factory):
    raadslid = user_factory(Role.OFFICE_HOLDER, gemeente_a)
    client = login(raadslid)
    assert client.get("/").status_code == 200
    raadslid.is_active = False
    raadslid.save()
    assert client.get("/").status_code == 302


def test_password_rules_length_and_common_passwords_but_no_composition_rules(db):
    for weak in ["kort", "elf-tekens!", "password1234"]:
        try:
            validate_password(weak)
        except ValidationError:
            continue
        raise AssertionError(f"{weak!r} was accepted")
    # A long passphrase of lower-case words is fine: no composition rules.
    validate_password("fietsen langs de vecht")
