"""A refused submission on the case page: the page comes back (400) with what was typed
still in its field, the field's own Dutch error (marked for assistive technology), the
general message at the top and nothing saved. The empty forms the page caches as HTML
fragments never hold anyone's text."""

import re

import pytest
from django.utils.html import escape

from incidents.models import Melding, MeldingUserObjectPermission, TimelineEntry
from weerbaar.constants import AuditAction, Role
from weerbaar.models import AuditEvent

from ..factories import make_user
from .factories import make_melding
from .helpers import case_url

pytestmark = pytest.mark.django_db

NOT_SAVED = "Dit is niet opgeslagen: controleer de invoer."
TOO_LONG = "Een lange notitie <over> de zaak & de pleger. " * 230  # > 10 000 characters


def stored(melding):
    """Everything a submission on the case page could have written."""
    melding = Melding.objects.get(pk=melding.pk)
    return {
        "timeline": TimelineEntry.objects.filter(melding=melding).count(),
        "notes": melding.notes.count(),
        "messages": melding.messages.count(),
        "aftercare": melding.aftercare.count(),
        "perpetrator": melding.perpetrator_actions.count(),
        "aangifte": hasattr(melding, "aangifte"),
        "shares": MeldingUserObjectPermission.objects.filter(content_object=melding).count(),
        "severity": melding.severity,
        "assigned_to": melding.assigned_to_id,
    }


def widget(html, field_id):
    """The opening tag of the input, textarea or select with this id."""
    found = re.search(rf'<(?:input|textarea|select)\b[^>]*\bid="{field_id}"[^>]*>', html)
    assert found, f"no field {field_id}"
    return found.group(0)


def assert_refused(response, *, field_id, error, message=NOT_SAVED):
    html = response.content.decode()
    assert response.status_code == 400
    assert message in html, "the general message at the top"
    tag = widget(html, field_id)
    assert 'aria-invalid="true"' in tag
    assert f"{field_id}_error" in re.search(r'aria-describedby="([^"]*)"', tag).group(1)
    error_list = re.search(rf'<ul [^>]*id="{field_id}_error"[^>]*>(.*?)</ul>', html, re.S)
    assert error_list and error in error_list.group(1)
    assert "data-error-summary" in html, "an error summary to move the focus to"
    return html


def textarea_holds(html, field_id, text):
    pattern = rf'<textarea\b[^>]*\bid="{field_id}"[^>]*>\s*{re.escape(escape(text))}</textarea>'
    return re.search(pattern, html) is not None


@pytest.fixture
def griffier(client_for, griffier_a):
    return client_for(griffier_a)


@pytest.fixture
def melding(raadslid_a):
    return make_melding(raadslid_a)


@pytest.mark.parametrize(
    "body, error",
    [
        (TOO_LONG, "Zorg dat deze waarde niet meer dan 10000 tekens bevat"),
        ("", "Dit veld is verplicht."),
        ("   \n  ", "Dit veld is verplicht."),
    ],
)
def test_refused_note_keeps_the_text_in_the_field_and_saves_nothing(griffier, melding, body, error):
    griffier.get(case_url(melding))  # the empty note form is now in the fragment cache
    before = stored(melding)
    response = griffier.post(case_url(melding, "incidents:note"), {"notitie-body": body})
    html = assert_refused(response, field_id="id_notitie-body", error=error)
    if body.strip():
        assert textarea_holds(html, "id_notitie-body", body)
    assert stored(melding) == before
    # The rest of the page is the triager's page as the GET shows it.
    assert "Stappenplan" in html and melding.reference in html


def test_refused_aftercare_keeps_choice_and_note_and_marks_the_missing_date(griffier, melding):
    griffier.get(case_url(melding))
    before = stored(melding)
    note = "Gesprek met de vertrouwenspersoon afgesproken, 'na de raad'."
    response = griffier.post(
        case_url(melding, "incidents:aftercare"),
        {"nazorg-kind": "talk", "nazorg-date": "", "nazorg-note": note},
    )
    html = assert_refused(response, field_id="id_nazorg-date", error="Dit veld is verplicht.")
    assert textarea_holds(html, "id_nazorg-note", note)
    assert re.search(r'<option value="talk"[^>]*selected', html)
    assert stored(melding) == before


def test_refused_perpetrator_action_keeps_the_result_text(griffier, melding):
    griffier.get(case_url(melding))
    before = stored(melding)
    result = "Waarschuwingsbrief besproken met de burgemeester."
    response = griffier.post(
        case_url(melding, "incidents:perpetrator"),
        {"pleger-kind": "warning_letter", "pleger-date": "31-02-2026", "pleger-result": result},
    )
    html = assert_refused(response, field_id="id_pleger-date", error="Voer een geldige datum in.")
    assert textarea_holds(html, "id_pleger-result", result)
    assert 'value="31-02-2026"' in widget(html, "id_pleger-date")
    assert stored(melding) == before


def test_refused_aangifte_keeps_what_was_typed(griffier, melding):
    before = stored(melding)
    response = griffier.post(
        case_url(melding, "incidents:aangifte"),
        {"aangifte-status": "filed", "aangifte-police_unit": "Midden-Nederland, team Utrecht"},
    )
    html = assert_refused(response, field_id="id_aangifte-filer", error="Dit veld is verplicht.")
    assert 'value="Midden-Nederland, team Utrecht"' in widget(html, "id_aangifte-police_unit")
    assert stored(melding) == before


# An address without an account is no longer refused: the form would tell the triager who
# has an account (issue 18 §4; tests/incidents/test_share_form.py). Only a malformed one is.
@pytest.mark.parametrize("email, error", [("geen adres", "Voer een geldig e-mailadres in.")])
def test_refused_share_keeps_the_address_and_says_why(griffier, melding, email, error):
    griffier.get(case_url(melding))
    before = stored(melding)
    response = griffier.post(case_url(melding, "incidents:share"), {"email": email})
    html = assert_refused(response, field_id="id_email", error=error)
    assert f'value="{escape(email)}"' in widget(html, "id_email")
    assert stored(melding) == before


def test_share_with_an_existing_account_still_works(griffier, melding, griffier_b, client_for):
    response = griffier.post(
        case_url(melding, "incidents:share"), {"email": griffier_b.email.upper()}
    )
    assert response.status_code == 302
    assert client_for(griffier_b).get(case_url(melding)).status_code == 200


def test_triager_assigns_a_colleague_and_a_forged_assignee_is_refused(
    griffier, melding, gemeente_a, griffier_a, raadslid_a
):
    colleague = make_user(Role.GRIFFIER, gemeente_a)
    response = griffier.post(case_url(melding, "incidents:assign"), {"assignee": colleague.pk})
    assert response.status_code == 302
    assert Melding.objects.get(pk=melding.pk).assigned_to == colleague
    before = stored(melding)
    # The reporter is no one the case can be assigned to.
    response = griffier.post(case_url(melding, "incidents:assign"), {"assignee": raadslid_a.pk})
    assert_refused(response, field_id="id_assignee", error="is geen beschikbare keuze")
    assert stored(melding) == before


def test_forged_severity_and_step_are_refused_and_change_nothing(griffier, melding):
    griffier.get(case_url(melding))
    before = stored(melding)
    response = griffier.post(case_url(melding, "incidents:severity"), {"severity": "apocalyptisch"})
    assert_refused(response, field_id="id_severity", error="is geen beschikbare keuze")
    response = griffier.post(
        case_url(melding, "incidents:step"), {"step": "geen-stap", "done": "on"}
    )
    assert response.status_code == 400 and NOT_SAVED in response.content.decode()
    assert stored(melding) == before


def test_reporter_refused_message_keeps_the_text_on_the_reporter_page(
    client_for, raadslid_a, melding
):
    reporter = client_for(raadslid_a)
    reporter.get(case_url(melding))
    before = stored(melding)
    response = reporter.post(case_url(melding, "incidents:message"), {"body": TOO_LONG})
    html = assert_refused(
        response,
        field_id="id_body",
        error="Zorg dat deze waarde niet meer dan 10000 tekens bevat",
        message="Schrijf een bericht van hoogstens 10.000 tekens.",
    )
    assert textarea_holds(html, "id_body", TOO_LONG)
    assert "Wie heeft uw melding bekeken?" in html and "Stappenplan" not in html
    assert stored(melding) == before


def test_triager_refused_message_keeps_the_text_on_the_triage_page(griffier, melding):
    before = stored(melding)
    response = griffier.post(case_url(melding, "incidents:message"), {"body": ""})
    html = assert_refused(
        response,
        field_id="id_body",
        error="Dit veld is verplicht.",
        message="Schrijf een bericht van hoogstens 10.000 tekens.",
    )
    assert "Stappenplan" in html
    assert stored(melding) == before


def test_refused_text_never_reaches_the_next_page_through_the_fragment_cache(
    client_for, raadslid_a, griffier_a, gemeente_a, melding
):
    """The first rendering of an empty form fills the cache: with a cold cache, a refused
    submission would be that first rendering."""
    secret = "Naam van de pleger: Jansen, Dorpsstraat 1"
    griffier = client_for(griffier_a)
    reporter = client_for(raadslid_a)
    for name, data in [
        ("incidents:note", {"notitie-body": secret + "x" * 10_000}),
        ("incidents:aftercare", {"nazorg-kind": "talk", "nazorg-note": secret}),
        ("incidents:perpetrator", {"pleger-kind": "warning_letter", "pleger-result": secret}),
        # Malformed: an unknown but valid address is accepted (issue 18 §4).
        ("incidents:share", {"email": "jansen-dorpsstraat@"}),
        ("incidents:message", {"body": secret + "x" * 10_000}),
    ]:
        assert griffier.post(case_url(melding, name), data).status_code == 400
    response = reporter.post(
        case_url(melding, "incidents:message"), {"body": secret + "y" * 10_000}
    )
    assert response.status_code == 400

    colleague = client_for(make_user(Role.GRIFFIER, gemeente_a))
    other = make_melding(raadslid_a)
    for client, case in [(griffier, melding), (colleague, melding), (colleague, other)]:
        html = client.get(case_url(case)).content.decode()
        assert "Jansen" not in html and "jansen-dorpsstraat" not in html
        assert textarea_holds(html, "id_notitie-body", "")
        assert textarea_holds(html, "id_body", "")
        assert NOT_SAVED not in html, "the message was shown once, with the refused form"
        assert 'aria-invalid="true"' not in html
    html = reporter.get(case_url(other)).content.decode()
    assert "Jansen" not in html and textarea_holds(html, "id_body", "")


def test_someone_who_may_not_triage_gets_404_before_the_form_is_looked_at(
    client_for, raadslid_a, griffier_b, melding
):
    views = AuditEvent.objects.for_object(melding).filter(action=AuditAction.VIEW)
    for user in (raadslid_a, griffier_b):
        for name, data in [
            ("incidents:note", {"notitie-body": ""}),
            ("incidents:share", {"email": "geen adres"}),
            ("incidents:severity", {"severity": "apocalyptisch"}),
        ]:
            assert client_for(user).post(case_url(melding, name), data).status_code == 404
    assert not views.exists()
    assert (
        AuditEvent.objects.for_object(melding)
        .filter(action=AuditAction.ACCESS_DENIED, actor=griffier_b)
        .exists()
    )
    assert (
        client_for(griffier_b)
        .post(case_url(melding, "incidents:message"), {"body": ""})
        .status_code
        == 404
    )


def test_refused_page_is_recorded_as_one_view_like_the_page_itself(
    griffier, griffier_a, client_for, raadslid_a, melding
):
    views = AuditEvent.objects.for_object(melding).filter(action=AuditAction.VIEW)
    griffier.post(case_url(melding, "incidents:note"), {"notitie-body": ""})
    assert list(views.values_list("actor_id", flat=True)) == [griffier_a.pk]
    # An accepted submission records no view of its own: the page it leads to does.
    griffier.post(case_url(melding, "incidents:note"), {"notitie-body": "Gebeld met de melder."})
    assert views.count() == 1
    client_for(raadslid_a).post(case_url(melding, "incidents:message"), {"body": ""})
    assert views.filter(actor=raadslid_a).count() == 1


def test_case_page_and_its_refusals_resolve_every_template_variable(griffier, melding, caplog):
    """A variable the template cannot find is logged at DEBUG with the whole context (the
    case's content): the page must not have any."""
    caplog.set_level("DEBUG", logger="django.template")
    griffier.get(case_url(melding))
    griffier.get(case_url(melding))  # the empty forms from the fragment cache
    griffier.post(case_url(melding, "incidents:note"), {"notitie-body": ""})
    griffier.post(case_url(melding, "incidents:aftercare"), {"nazorg-kind": "talk"})
    griffier.post(case_url(melding, "incidents:message"), {"body": ""})
    assert not [r for r in caplog.records if "resolving variable" in r.getMessage()]


def test_message_form_only_for_those_who_may_write_in_the_thread(
    griffier, client_for, raadslid_a, griffier_b, melding
):
    """Someone the case is shared with may read the thread but not write in it: offering
    them the form would lose what they typed."""
    griffier.post(case_url(melding, "incidents:share"), {"email": griffier_b.email})
    action = f'action="{case_url(melding, "incidents:message")}"'
    assert action not in client_for(griffier_b).get(case_url(melding)).content.decode()
    assert action in client_for(raadslid_a).get(case_url(melding)).content.decode()
    assert action in griffier.get(case_url(melding)).content.decode()
