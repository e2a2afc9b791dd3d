"""ASVS 14.3.3 (no sensitive data in cookies): messages stay on the server.

allauth greets a person by name after login ("U bent ingelogd als <naam>"). With Django's
default message storage that text travelled to the browser in a ``messages`` cookie, so the
user's full name sat in every cookie jar and in any proxy that logs cookies. The portal keeps
messages in the session (``MESSAGE_STORAGE``): the browser holds only the session id, the
CSRF token and the language."""

from http.cookies import SimpleCookie

import pytest
from django.test import Client

from tests.factories import PASSWORD
from weerbaar.constants import Position, Role

ALLOWED_COOKIES = {"sessionid", "csrftoken", "django_language"}


def cookie_names_and_values(responses):
    jar = SimpleCookie()
    for response in responses:
        jar.update(response.cookies)
    return {name: morsel.value for name, morsel in jar.items()}


@pytest.fixture
def raadslid(gemeente_a, user_factory):
    user = user_factory(Role.OFFICE_HOLDER, gemeente_a, Position.RAADSLID)
    user.full_name = "Annemarie Zwaneveld-Oosterhuis"
    user.save(update_fields=["full_name"])
    return user


def test_login_message_naming_the_person_sets_no_messages_cookie(raadslid):
    client = Client()
    client.get("/accounts/login/")
    login = client.post("/accounts/login/", {"login": raadslid.email, "password": PASSWORD})
    assert login.status_code == 302
    home = client.get(login["Location"])
    # The message naming the person was made and shown ...
    assert f"ingelogd als {raadslid.full_name}" in home.content.decode()
    # ... yet no response put it, or anything else but the three known cookies, in a cookie.
    cookies = cookie_names_and_values([login, home])
    assert "messages" not in cookies
    assert set(cookies) <= ALLOWED_COOKIES, cookies
    for value in cookies.values():
        assert "Zwaneveld" not in value


def test_logout_message_sets_no_messages_cookie(raadslid, client_for):
    client = client_for(raadslid)
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    after = client.get(response["Location"])
    cookies = cookie_names_and_values([response, after])
    assert "messages" not in cookies
    assert set(cookies) <= ALLOWED_COOKIES, cookies
