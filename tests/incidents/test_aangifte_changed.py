"""The melding's copy of its aangifte's last status change (``Melding.aangifte_changed_at``,
issue 25 §2), which the start page's "Status van de aangifte gevraagd" counts by: after every
action on the case it equals what the aangifte itself says, the count equals a fresh count
from the aangiften, and ``refresh`` (the seeders' way) writes the same."""

from datetime import timedelta
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.db.models import Exists, OuterRef

from incidents import services
from incidents.constants import OPEN_STATUSES, AangifteStatus, Status
from incidents.filters import AANGIFTE_DUE_DAYS, aangifte_due_q
from incidents.models import Aangifte, Melding
from incidents.reminders import KEPT, refresh
from incidents.services import followup

from .factories import make_melding

pytestmark = pytest.mark.django_db


def fresh(melding):
    """The change as the aangifte says it: its last status change while it is not closed
    and the melding open."""
    melding = Melding.objects.get(pk=melding.pk)
    aangifte = Aangifte.objects.filter(melding=melding).exclude(status=AangifteStatus.CLOSED)
    if melding.status not in OPEN_STATUSES or not aangifte.exists():
        return None
    return aangifte.get().status_changed_at


def fresh_due(user, now):
    """The start page's count as it was before the copy: every open case's aangifte."""
    due = Aangifte.objects.filter(
        melding=OuterRef("pk"),
        status_changed_at__lte=now - timedelta(days=AANGIFTE_DUE_DAYS),
    ).exclude(status=AangifteStatus.CLOSED)
    return Melding.objects.triageable_by(user).filter(Exists(due), status__in=OPEN_STATUSES)


def kept(melding):
    return Melding.objects.values_list("aangifte_changed_at", flat=True).get(pk=melding.pk)


def test_the_copy_follows_every_action_and_the_count_equals_a_fresh_count(raadslid_a, griffier_a):
    melding = services.transition(make_melding(raadslid_a), Status.IN_TRIAGE, actor=griffier_a)
    other = services.transition(make_melding(raadslid_a), Status.IN_TRIAGE, actor=griffier_a)
    steps = [
        lambda: followup.save_aangifte(
            melding, actor=griffier_a, data={"status": AangifteStatus.PREPARED}
        ),
        lambda: followup.save_aangifte(
            other, actor=griffier_a, data={"status": AangifteStatus.FILED}
        ),
        lambda: services.post_message(melding, "Is er al nieuws?", actor=raadslid_a),
        lambda: followup.save_aangifte(
            melding, actor=griffier_a, data={"status": AangifteStatus.FILED}
        ),
        lambda: services.close(other, "Afgehandeld", actor=griffier_a),
        lambda: followup.save_aangifte(
            melding, actor=griffier_a, data={"status": AangifteStatus.CLOSED}
        ),
        lambda: services.transition(other, Status.IN_FOLLOW_UP, actor=griffier_a),
        lambda: followup.save_aangifte(
            melding, actor=griffier_a, data={"status": AangifteStatus.INVESTIGATION}
        ),
    ]
    start = Melding.objects.get(pk=melding.pk).submitted_at
    for day, step in enumerate(steps):
        with time_machine.travel(start + timedelta(days=5 * day, hours=1), tick=False):
            step()
        for m in (melding, other):
            assert kept(m) == fresh(m), (day, m.pk)
        later = start + timedelta(days=5 * day + 16)
        counted = set(
            Melding.objects.triageable_by(griffier_a)
            .filter(aangifte_due_q(later))
            .values_list("pk", flat=True)
        )
        assert counted == set(fresh_due(griffier_a, later).values_list("pk", flat=True)), day
    assert kept(other) is not None and kept(melding) is not None


def test_refresh_writes_the_copy_as_the_write_paths_do(raadslid_a, griffier_a):
    melding = services.transition(make_melding(raadslid_a), Status.IN_TRIAGE, actor=griffier_a)
    followup.save_aangifte(melding, actor=griffier_a, data={"status": AangifteStatus.FILED})
    written = Melding.objects.filter(pk=melding.pk).values(*KEPT).get()
    assert written["aangifte_changed_at"] is not None
    Melding.objects.update(aangifte_changed_at=None)
    refresh(Melding.objects.all())
    assert Melding.objects.filter(pk=melding.pk).values(*KEPT).get() == written


def test_the_correction_command_finds_and_repairs_a_copy_that_drifted(raadslid_a, griffier_a):
    melding = services.transition(make_melding(raadslid_a), Status.IN_TRIAGE, actor=griffier_a)
    followup.save_aangifte(melding, actor=griffier_a, data={"status": AangifteStatus.FILED})
    right = kept(melding)
    Melding.objects.filter(pk=melding.pk).update(aangifte_changed_at=None)
    out = StringIO()

    call_command("refresh_case_columns", "--dry-run", stdout=out)
    assert "1 van 1 melding(en)" in out.getvalue() and kept(melding) is None
    call_command("refresh_case_columns", stdout=out)
    assert kept(melding) == right
    call_command("refresh_case_columns", "--dry-run", stdout=(again := StringIO()))
    assert "0 van 1 melding(en)" in again.getvalue()
