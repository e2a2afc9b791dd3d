"""The organisation's own steps and letter templates in Chromium: a griffier with TOTP adds
a step and adapts the warning letter; both pages (and the case page that shows the step
and makes the letter) have no axe violations."""

import pyotp
import pytest
from allauth.mfa.totp.internal.auth import TOTP

from incidents.constants import LetterKind
from incidents.models import CaseStep, LetterTemplate, LocalStep
from tests.factories import PASSWORD, make_user
from tests.incidents.factories import make_melding
from weerbaar.constants import Role

from .helpers import assert_accessible, login, watch_console

pytestmark = pytest.mark.django_db(transaction=True)


def test_griffier_adds_a_step_and_adapts_the_warning_letter(live_server, page, gemeente_a):
    griffier = make_user(Role.GRIFFIER, gemeente_a, full_name="Gerda de Griffier")
    secret = pyotp.random_base32()
    TOTP.activate(griffier, secret)
    raadslid = make_user(Role.OFFICE_HOLDER, gemeente_a)
    login(page, live_server.url, griffier.email, PASSWORD, totp_secret=secret)
    console = watch_console(page)

    page.goto(f"{live_server.url}/meldingen/protocol/")
    assert page.url.endswith(f"/meldingen/protocol/{gemeente_a.pk}/stappen/")
    assert_accessible(page)
    page.fill("input[name=title]", "Burgemeester informeren")
    page.fill("input[name=title_en]", "Inform the mayor")
    page.select_option("select[name=owner_role]", "griffier")
    page.fill("input[name=due_days]", "3")
    page.get_by_role("button", name="Stap toevoegen").click()
    page.get_by_text("De stap is toegevoegd.").wait_for()
    assert_accessible(page)
    assert LocalStep.objects.get(organisation=gemeente_a).due_days == 3

    page.get_by_role("link", name="Briefsjablonen").click()
    assert_accessible(page)
    page.get_by_role("link", name=LetterKind.WARNING.label).click()
    assert_accessible(page)
    body = page.locator("textarea[name=body]")
    body.fill(body.input_value().replace("Hoogachtend,", "Met vriendelijke groet & tot ziens,"))
    page.get_by_role("button", name="Opslaan").click()
    page.get_by_text("Het briefsjabloon is opgeslagen.").wait_for()
    assert_accessible(page)
    own = LetterTemplate.objects.get(organisation=gemeente_a, kind=LetterKind.WARNING)
    assert "Met vriendelijke groet & tot ziens," in own.body

    melding = make_melding(raadslid)
    assert CaseStep.objects.filter(melding=melding, title="Burgemeester informeren").exists()
    page.goto(f"{live_server.url}/meldingen/{melding.pk}/")
    page.get_by_text("Burgemeester informeren", exact=True).wait_for()
    assert_accessible(page)
    page.get_by_role("link", name="Brief maken").click()
    page.select_option("select[name=brief-kind]", LetterKind.WARNING.value)
    page.fill("input[name=brief-perpetrator_name]", "P. Pleger")
    with page.expect_download() as download:
        page.get_by_role("button", name="Maak Word-bestand (.docx)").click()
    assert download.value.suggested_filename == f"waarschuwingsbrief-{melding.reference}.docx"
    console.assert_clean()
