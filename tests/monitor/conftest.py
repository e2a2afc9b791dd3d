"""A hand-counted data set (numbers in the docstrings of the tests that use it), with
noise that must not be counted: a draft, a withdrawn melding, one before the period."""

from datetime import timedelta

import pytest
import time_machine

from incidents.constants import AangifteStatus, Status
from weerbaar.constants import Role
from weerbaar.models import Organisation

from .factories import VeiligWonen, at, melding, tour, traject

NOW = at(2026, 6, 15)
PERIOD = {"jaar": "2026"}


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def analyst(bzk, user_factory):
    return user_factory(Role.ANALYST, bzk)


@pytest.fixture
def data(gemeente_a, gemeente_b, frozen):
    """Meldingen (year 2026, all in March–April), 19 counted:
    Utrecht: 6 raadslid/phone/verbal in March, acknowledged after 2 h, 3 with aangifte;
             5 wethouder/social/threat+online in April, acknowledged after 4 h, 2 escalated,
             3 with aangifte.
    Groningen: 7 raadslid/in person/intimidation in April; 1 burgemeester/mail/threat.
    Veilig Wonen (Utrecht, March 2026), 16 applications: 5 spoed, 5 hoog, 6 normaal; the
    i-th (1..16) had its intake after i days; the first ten their advice after 29+i days;
    five executed measures of EUR 1000 in April 2026.
    Tour: 10 gemeenten of the province of Utrecht; 6 voorgesprekken in March, 2 in April;
    5 sessions in April."""
    for i in range(6):
        melding(
            gemeente_a,
            at(2026, 3, 2 + i),
            channel="phone",
            categories=("verbal",),
            ack_after=timedelta(hours=2),
            aangifte=AangifteStatus.FILED if i < 3 else None,
        )
    for i in range(5):
        melding(
            gemeente_a,
            at(2026, 4, 2 + i),
            position="wethouder",
            channel="social",
            categories=("threat", "online"),
            ack_after=timedelta(hours=4),
            escalation_level=2 if i < 2 else 0,
            aangifte=AangifteStatus.INVESTIGATION if i < 3 else AangifteStatus.PREPARED,
        )
    for i in range(7):
        melding(gemeente_b, at(2026, 4, 10 + i), channel="in_person", categories=("intimidation",))
    melding(
        gemeente_b, at(2026, 4, 20), position="burgemeester", channel="mail", categories=("threat",)
    )
    melding(gemeente_a, at(2026, 3, 20), status=Status.DRAFT)
    melding(gemeente_a, at(2026, 3, 21), status=Status.WITHDRAWN)
    melding(gemeente_a, at(2025, 12, 21))

    vw = VeiligWonen(gemeente_a)
    urgencies = ["spoed"] * 5 + ["hoog"] * 5 + ["normaal"] * 6
    for i, urgency in enumerate(urgencies, start=1):
        app = vw.application(
            at(2026, 3, 1 + i),
            urgency=urgency,
            intake_days=i,
            advice_days=29 + i if i <= 10 else None,
        )
        if i <= 5:
            vw.measure(app, at(2026, 4, 1).date(), "1000")

    t = tour()
    gemeenten = Organisation.objects.filter(province__code="PV26", kind="gemeente").order_by(
        "code"
    )[:10]
    for i, org in enumerate(gemeenten):
        voorgesprek = at(2026, 3, 5) if i < 6 else at(2026, 4, 5) if i < 8 else None
        session = at(2026, 4, 20) if i < 5 else None
        traject(t, org, voorgesprek=voorgesprek, session=session)
    return {"tour": t}
