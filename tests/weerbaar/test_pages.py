"""The core pages as a person sees them: the right sections per role, Dutch (and English on
request), and HTML that the strict Content-Security-Policy lets through unchanged."""

import re
from html.parser import HTMLParser

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.factories import PASSWORD, make_user
from weerbaar.backends import auth as auth_backend
from weerbaar.constants import Role
from weerbaar.models import Invitation, Notification
from weerbaar.models.invitations import hash_token

pytestmark = pytest.mark.django_db

# JSON data blocks (allauth's WebAuthn options, json_script) are not executed and need no nonce.
DATA_SCRIPT_TYPES = {"application/json", "application/ld+json"}


class _Audit(HTMLParser):
    """Collects what a strict CSP would block: inline scripts without the nonce, style
    attributes, <style> elements and inline event handlers."""

    def __init__(self):
        super().__init__()
        self.inline_scripts = []
        self.script_nonces = []
        self.style_attributes = []
        self.style_elements = 0
        self.event_handlers = []
        self._in_inline_script = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "style" in attrs:
            self.style_attributes.append(tag)
        self.event_handlers += [name for name in attrs if name.startswith("on")]
        if tag == "style":
            self.style_elements += 1
        if tag == "script":
            self.script_nonces.append(attrs.get("nonce"))
            if "src" not in attrs and attrs.get("type") not in DATA_SCRIPT_TYPES:
                self._in_inline_script = attrs

    def handle_endtag(self, tag):
        if tag == "script" and self._in_inline_script is not None:
            self.inline_scripts.append(self._in_inline_script)
            self._in_inline_script = None


def csp_nonce(response):
    match = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"])
    assert match, response["Content-Security-Policy"]
    return match.group(1)


def assert_csp_clean(response):
    audit = _Audit()
    audit.feed(response.content.decode())
    nonce = csp_nonce(response)
    assert audit.style_attributes == []
    assert audit.style_elements == 0
    assert audit.event_handlers == []
    assert [s for s in audit.inline_scripts if s.get("nonce") != nonce] == []
    # Script elements that carry a nonce carry the one of this response.
    assert {n for n in audit.script_nonces if n} <= {nonce}


@pytest.fixture
def griffier(gemeente_a):
    return make_user(Role.GRIFFIER, gemeente_a, full_name="Gerda de Griffier")


@pytest.fixture
def raadslid(gemeente_a):
    return make_user(Role.OFFICE_HOLDER, gemeente_a, position="raadslid", full_name="Ron Raad")


def test_griffier_home_offers_inviting_people(client_for, griffier):
    response = client_for(griffier).get(reverse("home"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Welkom, Gerda de Griffier" in html
    assert "U werkt nu als Griffier bij Utrecht." in html
    assert "Mensen uitnodigen" in html
    assert reverse("invitation_list") in html


def test_raadslid_home_does_not_offer_inviting_people(client_for, raadslid):
    html = client_for(raadslid).get(reverse("home")).content.decode()
    assert "Welkom, Ron Raad" in html
    assert "Raadslid" in html
    assert reverse("invitation_list") not in html
    assert "Tweestapsverificatie" in html


def test_header_shows_unread_count_as_text(client_for, raadslid):
    for n in range(3):
        Notification.objects.create(
            recipient=raadslid,
            kind="test",
            subject=f"Bericht {n}",
            body="Log in om het te bekijken.",
            next_attempt_at=timezone.now(),
        )
    html = client_for(raadslid).get(reverse("home")).content.decode()
    assert "Berichten (3 ongelezen)" in html
    assert "U heeft 3 ongelezen berichten." in html


def test_role_switcher_only_with_more_than_one_membership(client_for, gemeente_a, raadslid):
    html = client_for(raadslid).get(reverse("home")).content.decode()
    assert reverse("switch_role") not in html

    from tests.factories import MembershipFactory

    MembershipFactory(user=raadslid, organisation=gemeente_a, role=Role.CIVIL_SERVANT)
    html = client_for(raadslid).get(reverse("home")).content.decode()
    assert reverse("switch_role") in html
    assert "Werken als" in html


def test_inbox_lists_messages_with_pagination(client_for, raadslid):
    Notification.objects.bulk_create(
        Notification(
            recipient=raadslid,
            kind="test",
            subject=f"Onderwerp {n}",
            body="Er is iets nieuws voor u.",
            next_attempt_at=timezone.now(),
        )
        for n in range(30)
    )
    client = client_for(raadslid)
    first = client.get(reverse("inbox")).content.decode()
    assert "Pagina 1 van 2" in first
    assert "Alles als gelezen markeren" in first
    second = client.get(reverse("inbox"), {"pagina": 2}).content.decode()
    assert "Pagina 2 van 2" in second


def test_invitations_page_shows_status_of_sent_invitations(client_for, griffier, gemeente_a):
    now = timezone.now()
    common = {"organisation": gemeente_a, "role": Role.CIVIL_SERVANT, "invited_by": griffier}
    Invitation.objects.create(
        email="open@example.org",
        token_hash=hash_token("a"),
        expires_at=now + timezone.timedelta(days=3),
        **common,
    )
    Invitation.objects.create(
        email="verlopen@example.org",
        token_hash=hash_token("b"),
        expires_at=now - timezone.timedelta(days=1),
        **common,
    )
    Invitation.objects.create(
        email="gebruikt@example.org",
        token_hash=hash_token("c"),
        expires_at=now + timezone.timedelta(days=3),
        accepted_at=now,
        **common,
    )
    response = client_for(griffier).get(reverse("invitation_list"))
    html = response.content.decode()
    assert response.status_code == 200
    for text in ("open@example.org", "Open", "Verlopen", "Gebruikt", 'scope="col"'):
        assert text in html
    assert_csp_clean(response)


def test_invitation_accept_page_asks_for_name_and_password(client, griffier, gemeente_a):
    from weerbaar.invitations import create_invitation

    _, token = create_invitation(
        inviter=griffier,
        email="nieuw@example.org",
        full_name="Nina Nieuw",
        organisation=gemeente_a,
        role=Role.CIVIL_SERVANT,
        position="",
    )
    response = client.get(reverse("invitation_accept", args=[token]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "U bent uitgenodigd als Ambtenaar bij Utrecht." in html
    assert "nieuw@example.org" in html
    assert 'value="Nina Nieuw"' in html
    assert 'autocomplete="new-password"' in html
    assert_csp_clean(response)


def test_invalid_invitation_explains_what_to_do_in_dutch(client):
    response = client.get(reverse("invitation_accept", args=["bestaat-niet"]))
    html = response.content.decode()
    assert response.status_code == 410
    assert "Deze uitnodiging bestaat niet." in html
    assert "Vraag de griffie of het secretariaat" in html


def test_form_errors_are_dutch_linked_and_summarised(client_for, griffier):
    response = client_for(griffier).post(reverse("invitation_list"), {"email": "geen-adres"})
    html = response.content.decode()
    assert "Er is een probleem" in html
    assert 'href="#id_email"' in html
    assert "Voer een geldig e-mailadres in." in html
    assert 'aria-invalid="true"' in html
    assert 'aria-describedby="id_email_error"' in html
    assert 'id="id_email_error"' in html
    assert "utrecht-form-field-error-message" in html


@pytest.mark.parametrize(
    "url_name",
    [
        "home",
        "inbox",
        "invitation_list",
        "access_request_list",
        "mfa_index",
        "usersessions_list",
    ],
)
def test_logged_in_pages_pass_the_csp(client_for, griffier, url_name):
    response = client_for(griffier).get(reverse(url_name))
    assert response.status_code == 200
    assert_csp_clean(response)


@pytest.mark.parametrize(
    "url_name",
    [
        "account_login",
        "account_reset_password",
        "accessibility",
        "privacy",
        "request_access",
        "request_access_sent",
    ],
)
def test_public_pages_render_in_our_layout(client, url_name):
    response = client.get(reverse(url_name))
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="nl">' in html
    assert 'href="#main"' in html
    assert "utrecht-theme weerbaar-theme" in html
    assert reverse("accessibility") in html
    assert_csp_clean(response)


def test_csp_header_is_strict_with_a_fresh_nonce(client):
    first = client.get(reverse("account_login"))
    second = client.get(reverse("account_login"))
    policy = first["Content-Security-Policy"]
    for directive in ("object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'"):
        assert directive in policy
    assert "'unsafe-inline'" not in policy
    assert csp_nonce(first) != csp_nonce(second)
    assert f'nonce="{csp_nonce(first)}"' in first.content.decode()


def test_totp_activation_page_passes_the_csp(griffier):
    client = Client()
    client.post(reverse("account_login"), {"login": griffier.email, "password": PASSWORD})
    response = client.get(reverse("mfa_activate_totp"))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'src="data:image/svg+xml' in html
    assert "utrecht-form-field" in html
    assert_csp_clean(response)


def test_webauthn_page_scripts_are_same_origin_with_the_nonce(client_for, griffier):
    response = client_for(griffier).get(reverse("mfa_add_webauthn"))
    html = response.content.decode()
    assert response.status_code == 200
    nonce = csp_nonce(response)
    assert f'<script src="/static/mfa/js/webauthn.js" nonce="{nonce}">' in html
    assert_csp_clean(response)


def test_not_found_page_is_dutch(client):
    response = client.get("/bestaat-niet/")
    assert response.status_code == 404
    assert "Deze pagina bestaat niet of is niet voor u" in response.content.decode()


def test_forbidden_page_is_dutch(client_for, raadslid):
    response = client_for(raadslid).get(reverse("invitation_list"))
    assert response.status_code == 403
    assert "U heeft geen toegang tot deze pagina" in response.content.decode()


def test_server_error_page_renders_without_any_context():
    from django.template.loader import get_template

    html = get_template("500.html").render()
    assert "Er ging iets mis" in html
    assert "/static/css/theme.css" in html  # error_base.html: the three files, no manifest


@pytest.fixture
def compiled_messages():
    call_command("compilemessages", locale=["en"], verbosity=0, ignore=[".venv", "node_modules"])


def test_language_switch_to_english(compiled_messages, raadslid):
    client = Client()
    client.force_login(raadslid, backend=auth_backend.PATH)
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"}, follow=True)
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert "Welcome, Ron Raad" in html
    assert "Accessibility statement" in html
    assert "Sign out" in html
