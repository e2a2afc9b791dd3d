"""The message thread of an application between the applicant, BZK and the CCV adviser:
the other side hears that there is a message (never what it says), new messages are marked
until read, and nobody outside the thread reads or writes in it."""

import pytest
from django.urls import reverse

from veiligwonen import services
from veiligwonen.models import Message
from weerbaar.models import Notification

from .factories import submit, to_scan_done

pytestmark = pytest.mark.django_db

QUESTION = "Kan de scan na half vijf? Mijn dochter is dan thuis."


def message_url(app):
    return reverse("veiligwonen:post_message", args=[app.pk])


def test_applicant_writes_and_bzk_hears_without_content(cast, client_for):
    app = submit(cast)
    response = client_for(cast.burgemeester).post(message_url(app), {"body": QUESTION})
    assert response.status_code == 302
    assert response["Location"].endswith("#berichten")
    assert Message.objects.get(application=app).body == QUESTION
    notices = Notification.objects.filter(kind="veiligwonen.message")
    # Unclaimed: every intake officer hears it; not the applicant themself.
    assert set(notices.values_list("recipient", flat=True)) == {
        cast.intake.pk,
        cast.intake2.pk,
        cast.team_lead.pk,
    }
    for notice in notices:
        assert notice.subject == "Nieuw bericht bij een aanvraag Veilig Wonen"
        assert notice.body.startswith("De aanvrager heeft een bericht gestuurd")
        assert "half vijf" not in notice.body and "dochter" not in notice.body
        assert notice.link == f"{app.get_absolute_url()}#berichten"  # the thread itself


def test_bzk_replies_and_the_applicant_sees_it_as_new_once(cast, client_for):
    app = to_scan_done(cast, submit(cast))  # claimed by cast.intake, adviser assigned
    services.post_message(app, actor=cast.burgemeester, body=QUESTION)
    assert set(
        Notification.objects.filter(kind="veiligwonen.message").values_list("recipient", flat=True)
    ) == {cast.intake.pk, cast.adviser.pk}
    client_for(cast.intake).post(message_url(app), {"body": "Ja, om 17.00 uur."})
    told = Notification.objects.get(kind="veiligwonen.message", recipient=cast.burgemeester)
    assert told.subject == "Nieuw bericht bij uw aanvraag Veilig Wonen"
    assert told.link == f"{app.get_absolute_url()}#berichten"
    applicant = client_for(cast.burgemeester)
    first = applicant.get(app.get_absolute_url()).content.decode()
    assert "Ja, om 17.00 uur." in first
    assert "1 nieuw" in first
    second = applicant.get(app.get_absolute_url()).content.decode()
    assert "Ja, om 17.00 uur." in second
    assert "1 nieuw" not in second


def test_empty_message_is_refused_in_dutch(cast, client_for):
    app = submit(cast)
    response = client_for(cast.burgemeester).post(message_url(app), {"body": ""})
    assert response.status_code == 400
    assert "Typ eerst uw bericht." in response.content.decode()
    assert not Message.objects.exists()


def test_nobody_outside_the_thread_reads_or_writes(cast, client_for):
    app = to_scan_done(cast, submit(cast))
    services.post_message(app, actor=cast.burgemeester, body=QUESTION)
    # The employer follows the case but is not in the thread; the BVA neither.
    employer_page = client_for(cast.secretaris).get(app.get_absolute_url()).content.decode()
    assert "half vijf" not in employer_page
    assert client_for(cast.secretaris).post(message_url(app), {"body": "x"}).status_code == 404
    # Another applicant, another municipality, an adviser not assigned: no case at all.
    for outsider in (cast.wethouder, cast.other_secretaris, cast.other_adviser):
        assert client_for(outsider).get(app.get_absolute_url()).status_code == 404
        assert client_for(outsider).post(message_url(app), {"body": "x"}).status_code == 404
    assert (
        client_for(cast.burgemeester)
        .post(reverse("veiligwonen:post_message", args=[999999]), {"body": "x"})
        .status_code
        == 404
    )
    assert Message.objects.count() == 1
    # The assigned adviser is in it.
    assert "half vijf" in client_for(cast.adviser).get(app.get_absolute_url()).content.decode()


def test_the_list_of_applications_says_where_a_new_message_waits(cast, client_for):
    app = to_scan_done(cast, submit(cast))
    services.post_message(app, actor=cast.intake, body="Wij bellen u morgen.")
    applicant = client_for(cast.burgemeester)
    index = reverse("veiligwonen:index")
    assert "nieuw bericht" in applicant.get(index).content.decode()
    # The employer sees the application but is not in the thread: nothing to announce.
    assert "nieuw bericht" not in client_for(cast.secretaris).get(index).content.decode()
    applicant.get(app.get_absolute_url())
    assert "nieuw bericht" not in applicant.get(index).content.decode()


def test_the_applicant_is_told_in_their_own_language(cast, client_for):
    from django.core.management import call_command

    call_command("compilemessages", locale=["en"], verbosity=0, ignore=[".venv", "node_modules"])
    cast.burgemeester.language = "en"
    cast.burgemeester.save(update_fields=["language"])
    app = to_scan_done(cast, submit(cast))
    client_for(cast.intake).post(message_url(app), {"body": "Ja, om 17.00 uur."})
    told = Notification.objects.get(kind="veiligwonen.message", recipient=cast.burgemeester)
    assert told.subject == "New message about your Veilig Wonen application"
