"""Sharing a melding with a person by email does not tell the triager who has an account
(issue 18 §4).

Before, an address without an account was refused with "Er is geen account met dit
e-mailadres" (400) and one with an account was accepted (302): a griffier could test any
address. Now both get the same redirect and the same message; only an address with an
active account gets access and a notification."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from incidents.models import MeldingUserObjectPermission
from weerbaar.constants import AuditAction
from weerbaar.models import AuditEvent, Notification, User

from .factories import make_melding
from .helpers import case_url

pytestmark = pytest.mark.django_db

SAME_ANSWER = "Als dit adres bij een account in het portaal hoort, is de melding met die persoon"


def share(client, melding, email):
    response = client.post(case_url(melding, "incidents:share"), {"email": email})
    page = client.get(response["Location"]) if response.status_code == 302 else response
    return response, page


def flash(page):
    """The messages shown after the action (the page's status alerts), nothing else."""
    return re.findall(
        r'role="status">\s*<div class="utrecht-alert__content">\s*'
        r'<div class="utrecht-alert__message"><p class="utrecht-paragraph">(.*?)</p>',
        page.content.decode(),
    )


@pytest.fixture
def melding(raadslid_a):
    return make_melding(raadslid_a)


def test_unknown_and_known_address_get_the_same_answer(client_for, melding, griffier_a, griffier_b):
    griffier = client_for(griffier_a)
    known, known_page = share(griffier, melding, griffier_b.email)
    unknown, unknown_page = share(griffier, melding, "niemand-bekend@example.org")

    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"] == case_url(melding) + "?open=delen#delen"
    assert flash(known_page) == flash(unknown_page)
    assert len(flash(unknown_page)) == 1 and SAME_ANSWER in flash(unknown_page)[0]
    for page in (known_page, unknown_page):
        assert "Er is geen account" not in page.content.decode()


def test_only_an_address_with_an_active_account_gets_access_and_a_notice(
    client_for, melding, griffier_a, griffier_b, gemeente_b
):
    griffier = client_for(griffier_a)
    gone = User.objects.create_user("vertrokken@example.org", "x" * 16, is_active=False)
    share(griffier, melding, "niemand-bekend@example.org")
    share(griffier, melding, gone.email)
    assert not MeldingUserObjectPermission.objects.filter(content_object=melding).exists()
    assert not Notification.objects.filter(kind="incidents.shared").exists()

    share(griffier, melding, griffier_b.email.upper())
    grants = MeldingUserObjectPermission.objects.filter(content_object=melding)
    assert [g.user for g in grants] == [griffier_b]
    assert Notification.objects.get(kind="incidents.shared").recipient == griffier_b
    assert AuditEvent.objects.filter(action=AuditAction.GRANT, actor=griffier_a).count() == 1
    assert client_for(griffier_b).get(case_url(melding)).status_code == 200
    assert mail.outbox == []  # mail goes out from the outbox later, never from the form


def test_someone_who_may_not_triage_still_gets_404(client_for, melding, griffier_b, raadslid_a):
    for user in (griffier_b, raadslid_a):
        response = client_for(user).post(
            case_url(melding, "incidents:share"), {"email": "niemand-bekend@example.org"}
        )
        assert response.status_code == 404
    assert reverse("incidents:share", args=[melding.pk]).startswith("/meldingen/")
