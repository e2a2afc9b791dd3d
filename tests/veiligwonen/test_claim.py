import threading

import pytest
from django.db import connection
from django.urls import reverse

from veiligwonen import services
from veiligwonen.models import Application

from .factories import submit

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_officers_claim_the_same_case_one_wins_the_other_is_told(cast):
    app = submit(cast)
    barrier = threading.Barrier(2)
    outcome = {}

    def claim(officer):
        try:
            barrier.wait()
            services.claim(app, actor=officer)
            outcome[officer.pk] = "won"
        except services.AlreadyClaimed as exc:
            outcome[officer.pk] = str(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=claim, args=(o,)) for o in (cast.intake, cast.intake2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcome.values(), key=len)[0] == "won"
    winner = Application.objects.get(pk=app.pk).intake_officer
    loser_message = next(v for v in outcome.values() if v != "won")
    assert loser_message == f"Deze aanvraag is al opgepakt door {winner}."
    assert app.timeline.filter(kind="claim").count() == 1


def test_losing_officer_sees_a_dutch_message_on_the_case_page(cast, client_for):
    app = submit(cast)
    services.claim(app, actor=cast.intake)
    client = client_for(cast.intake2)
    response = client.post(reverse("veiligwonen:step", args=[app.pk, "claim"]), follow=True)
    assert "al opgepakt door" in response.content.decode()
    assert Application.objects.get(pk=app.pk).intake_officer == cast.intake
