"""The interface is Dutch whatever the browser asks; the language switch is the user's own
choice and stays chosen, also after logging out and in again."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests.conftest import mark_mfa_passed
from tests.factories import make_user
from weerbaar.backends import auth as auth_backend
from weerbaar.constants import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def english_messages():
    from django.core.management import call_command

    call_command("compilemessages", locale=["en"], verbosity=0, ignore=[".venv", "node_modules"])


def log_in(client, user):
    client.force_login(user, backend=auth_backend.PATH)
    mark_mfa_passed(client, user)
    return client


def test_english_browser_without_a_choice_gets_dutch(english_messages, gemeente_a):
    client = Client(HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")
    html = client.get(reverse("account_login")).content.decode()
    assert '<html lang="nl">' in html
    user = make_user(Role.OFFICE_HOLDER, gemeente_a, position="raadslid", full_name="Ron Raad")
    html = log_in(client, user).get("/").content.decode()
    assert '<html lang="nl">' in html and "Welkom, Ron Raad" in html


def test_chosen_english_is_remembered_across_requests_and_a_new_login(english_messages, gemeente_a):
    user = make_user(Role.OFFICE_HOLDER, gemeente_a, position="raadslid", full_name="Ron Raad")
    client = log_in(Client(HTTP_ACCEPT_LANGUAGE="nl"), user)
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    cookie = response.cookies[settings.LANGUAGE_COOKIE_NAME]
    assert cookie.value == "en" and int(cookie["max-age"]) >= 365 * 24 * 60 * 60
    assert "Welcome, Ron Raad" in client.get("/").content.decode()
    client.post(reverse("account_logout"))
    assert '<html lang="en">' in client.get(reverse("account_login")).content.decode()
    html = log_in(client, user).get("/").content.decode()
    assert '<html lang="en">' in html and "Welcome, Ron Raad" in html


def test_unknown_language_in_the_cookie_falls_back_to_dutch(gemeente_a):
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "xx"
    assert '<html lang="nl">' in client.get(reverse("account_login")).content.decode()


def test_switch_while_signed_in_follows_the_user_to_a_new_device(english_messages, gemeente_a):
    user = make_user(Role.OFFICE_HOLDER, gemeente_a, position="raadslid", full_name="Ron Raad")
    client = log_in(Client(), user)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    user.refresh_from_db()
    assert user.language == "en"

    # Another browser: no cookie, and a browser that asks for Dutch.
    other = Client(HTTP_ACCEPT_LANGUAGE="nl")
    assert '<html lang="nl">' in other.get(reverse("account_login")).content.decode()
    response = log_in(other, user).get("/")
    html = response.content.decode()
    assert '<html lang="en">' in html and "Welcome, Ron Raad" in html
    # The device keeps the language once signed out (the cookie came with the login).
    other.post(reverse("account_logout"))
    assert '<html lang="en">' in other.get(reverse("account_login")).content.decode()


def test_a_real_sign_in_brings_the_account_language(english_messages, gemeente_a):
    user = make_user(Role.OFFICE_HOLDER, gemeente_a, position="raadslid", full_name="Ron Raad")
    user.set_password("Weerbaar-test-2026")
    user.language = "en"
    user.save()
    client = Client()
    response = client.post(
        reverse("account_login"), {"login": user.email, "password": "Weerbaar-test-2026"}
    )
    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert "Welcome, Ron Raad" in client.get("/").content.decode()


def test_a_choice_on_the_device_stands_over_the_account(english_messages, gemeente_a):
    user = make_user(Role.OFFICE_HOLDER, gemeente_a, position="raadslid", full_name="Ron Raad")
    user.language = "en"
    user.save(update_fields=["language"])
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nl"
    assert "Welkom, Ron Raad" in log_in(client, user).get("/").content.decode()


def test_anonymous_switch_keeps_the_cookie_only(english_messages, gemeente_a):
    client = Client(HTTP_ACCEPT_LANGUAGE="nl")
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert '<html lang="en">' in client.get(reverse("account_login")).content.decode()
    user = make_user(Role.OFFICE_HOLDER, gemeente_a, position="raadslid", full_name="Ron Raad")
    assert "Welcome, Ron Raad" in log_in(client, user).get("/").content.decode()
    user.refresh_from_db()
    assert user.language == ""


def test_notifications_are_worded_per_recipient_whatever_the_active_language(
    english_messages, gemeente_a
):
    from django.utils import translation
    from django.utils.translation import gettext_lazy

    from weerbaar.models import Notification
    from weerbaar.notifications import Message, notify, notify_batch

    dutch = make_user(Role.OFFICE_HOLDER, gemeente_a, position="raadslid")
    english = make_user(Role.OFFICE_HOLDER, gemeente_a, position="raadslid")
    english.language = "en"
    english.save(update_fields=["language"])
    subject = gettext_lazy("Nieuw bericht bij uw melding")
    with translation.override("en"):
        # By id and as a loaded user: both get their own language.
        notify_batch([Message([dutch.pk, english], kind="t.batch", subject=subject, body=subject)])
        notify(dutch, kind="t.one", subject=subject, body=subject)
    with translation.override("nl"):
        notify_batch([Message([english.pk], kind="t.id", subject=subject, body=subject)])
    rows = {(n.kind, n.recipient_id): n.subject for n in Notification.objects.all()}
    assert rows == {
        ("t.batch", dutch.pk): "Nieuw bericht bij uw melding",
        ("t.batch", english.pk): "New message about your report",
        ("t.one", dutch.pk): "Nieuw bericht bij uw melding",
        ("t.id", english.pk): "New message about your report",
    }
