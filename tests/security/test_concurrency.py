"""Two people acting on one case at the same moment: the outcome is consistent and the one
who lost is told. (Two intake officers on one application: tests/veiligwonen/test_claim.py;
seven driehoeken for six places: tests/otwb/test_registrations.py.)"""

import threading

import pytest
from django.db import connection
from django.urls import reverse

from incidents.constants import Status
from incidents.models import Melding
from tests.incidents.factories import make_melding
from weerbaar.constants import Position, Role

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_griffiers_take_up_one_melding_at_once_one_wins_the_other_is_told(
    gemeente_a, user_factory, client_for
):
    reporter = user_factory(Role.OFFICE_HOLDER, gemeente_a, Position.RAADSLID)
    griffiers = [user_factory(Role.GRIFFIER, gemeente_a) for _ in range(2)]
    melding = make_melding(reporter)
    clients = [client_for(g) for g in griffiers]
    url = reverse("incidents:transition", args=[melding.pk])
    barrier = threading.Barrier(2)
    pages = {}

    def take_up(index):
        try:
            barrier.wait()
            response = clients[index].post(url, {"to": Status.IN_TRIAGE}, follow=True)
            pages[index] = response.content.decode()
        finally:
            connection.close()

    threads = [threading.Thread(target=take_up, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)

    melding = Melding.objects.get(pk=melding.pk)
    assert melding.status == Status.IN_TRIAGE
    winners = [i for i, html in pages.items() if "Opgeslagen." in html]
    losers = [i for i, html in pages.items() if "collega" in html and "intussen" in html]
    assert len(winners) == 1 and len(losers) == 1
    assert melding.assigned_to == griffiers[winners[0]]
    # The summary is encrypted at rest: compared after reading, not in SQL.
    assert [e.text for e in melding.timeline.all()].count("Ontvangst bevestigd") == 1
    assert melding.steps.filter(step="acknowledge").count() == 1
