"""ASVS 6.3.8 / 6.4.x: the password reset tells nobody which addresses have an account.

Before, the form mailed any typed address ("you have no account, sign up here", with a link
to the closed sign-up page) and the page claimed a mail had been sent. Now the page says the
same for every address, only an address with an account gets a mail, and no page or mail of
the portal points to /accounts/signup/."""

import re

import pytest
from django.core import mail
from django.test import Client

from weerbaar.constants import Position, Role

SIGNUP = "/accounts/signup/"


def request_reset(email):
    client = Client()
    client.get("/accounts/password/reset/")
    return client.post("/accounts/password/reset/", {"email": email}, follow=True)


def visible_text(response):
    """The page without what differs per response anyway (CSRF tokens, CSP nonces)."""
    html = response.content.decode()
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)
    return re.sub(r'nonce="[^"]*"', "", html)


@pytest.fixture
def raadslid(gemeente_a, user_factory):
    return user_factory(Role.OFFICE_HOLDER, gemeente_a, Position.RAADSLID)


def test_unknown_address_sees_the_same_page_as_a_known_one_and_gets_no_mail(raadslid):
    known = request_reset(raadslid.email)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [raadslid.email]
    mail.outbox.clear()

    unknown = request_reset("niemand-hier@example.org")
    assert mail.outbox == []

    assert known.redirect_chain == unknown.redirect_chain
    assert known.status_code == unknown.status_code == 200
    assert visible_text(known) == visible_text(unknown)
    assert "Als dit e-mailadres bij een account in dit portaal hoort" in visible_text(unknown)


def test_differently_cased_known_address_gets_its_mail_and_the_same_page(raadslid):
    page = request_reset(raadslid.email.upper())
    assert len(mail.outbox) == 1
    assert visible_text(page) == visible_text(request_reset("onbekend@example.org"))
    assert len(mail.outbox) == 1


def test_no_page_or_mail_of_the_reset_links_to_the_closed_signup(raadslid, client_for):
    pages = [
        Client().get(path, follow=True)
        for path in (
            "/accounts/login/",
            "/accounts/password/reset/",
            "/accounts/password/reset/done/",
            "/accounts/password/reset/key/1-onzin/",
            SIGNUP,
        )
    ]
    pages.append(request_reset(raadslid.email))
    pages.append(request_reset("onbekend@example.org"))
    pages.append(client_for(raadslid).get("/"))
    for page in pages:
        assert f'href="{SIGNUP}' not in page.content.decode(), page.request["PATH_INFO"]
    for message in mail.outbox:
        assert SIGNUP not in message.body
