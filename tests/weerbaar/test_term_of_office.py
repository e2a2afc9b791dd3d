"""The term of office (issue 20 §3): a planned end is audited as planned and recorded by a
sweep at its date, exactly once; the holder is told once in advance; an office holder goes
on as a former one; a triage role stops at the date; the people page ends roles one by
one and after an election, and never outside the griffier's own organisation."""

import threading
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from weerbaar import memberships, tasks, term_of_office
from weerbaar.constants import AuditAction, Position, Role
from weerbaar.models import AuditEvent, Membership, Notification, SweepRun

from ..factories import make_user

pytestmark = pytest.mark.django_db

AMS = ZoneInfo("Europe/Amsterdam")
PLANNED_AT = datetime(2027, 3, 1, 10, 0, tzinfo=AMS)
END_DAY = datetime(2027, 3, 31, 0, 0, tzinfo=AMS)


def _actions(membership):
    return list(
        AuditEvent.objects.for_object(membership).order_by("pk").values_list("action", flat=True)
    )


def _own(user):
    user.__dict__.pop("active_memberships", None)
    return user.active_memberships[0]


def _fresh(user):
    user.__dict__.pop("active_memberships", None)
    return user


@pytest.fixture
def raadslid(gemeente_a):
    with time_machine.travel(PLANNED_AT - timedelta(days=400), tick=False):
        return make_user(Role.OFFICE_HOLDER, gemeente_a, Position.RAADSLID)


@pytest.fixture
def griffier(gemeente_a):
    with time_machine.travel(PLANNED_AT - timedelta(days=400), tick=False):
        return make_user(Role.GRIFFIER, gemeente_a)


def _plan(membership, actor, at=END_DAY, **kwargs):
    with time_machine.travel(PLANNED_AT, tick=False):
        return memberships.end(membership=membership, actor=actor, at=at, **kwargs)


def test_a_planned_end_is_audited_as_planned_and_recorded_once_at_its_date(raadslid, griffier):
    membership = _own(raadslid)
    _plan(membership, griffier, reason="niet herkozen")
    assert _actions(membership)[-1] == AuditAction.MEMBERSHIP_END_PLANNED
    assert AuditAction.MEMBERSHIP_ENDED not in _actions(membership)

    # The day before: still in office, nothing recorded.
    with time_machine.travel(END_DAY - timedelta(minutes=1), tick=False):
        assert term_of_office.record_due_ends() == 0
        assert _fresh(raadslid).has_role(Role.OFFICE_HOLDER)

    with time_machine.travel(END_DAY + timedelta(minutes=5), tick=False):
        assert not _fresh(raadslid).has_role(Role.OFFICE_HOLDER)
        assert tasks.end_memberships.run() == 1
        assert tasks.end_memberships.run() == 0
        roles = {m.role: m for m in _fresh(raadslid).active_memberships}
    assert _actions(membership).count(AuditAction.MEMBERSHIP_ENDED) == 1
    ended = AuditEvent.objects.for_object(membership).get(action=AuditAction.MEMBERSHIP_ENDED)
    assert ended.actor is None and ended.created_at == END_DAY + timedelta(minutes=5)

    # An oud-raadslid of the same gemeente from the end on, granted by the system.
    former = roles[Role.FORMER_OFFICE_HOLDER]
    assert set(roles) == {Role.FORMER_OFFICE_HOLDER}
    assert (former.organisation, former.position) == (membership.organisation, "raadslid")
    assert former.valid_from == END_DAY and former.label == "Oud-raadslid"
    granted = AuditEvent.objects.for_object(former).get()
    assert granted.action == AuditAction.MEMBERSHIP_GRANTED
    assert granted.detail["succeeds"] == membership.pk
    assert SweepRun.objects.get(sweep="memberships-end").last_acted == 0


def test_the_griffier_may_choose_no_former_office_holder(raadslid, griffier):
    _plan(_own(raadslid), griffier, former=False)
    with time_machine.travel(END_DAY + timedelta(hours=1), tick=False):
        term_of_office.record_due_ends()
        assert _fresh(raadslid).active_memberships == []


def test_an_end_today_is_recorded_at_once_and_the_holder_told_then(raadslid, griffier):
    membership = _own(raadslid)
    memberships.end(membership=membership, actor=griffier)
    assert _actions(membership)[-1] == AuditAction.MEMBERSHIP_ENDED
    assert term_of_office.record_due_ends() == 0
    note = Notification.objects.get(recipient=raadslid, kind="weerbaar.membership_end")
    assert "is beëindigd" in note.body and "oud-ambtsdrager" in note.body
    assert {m.role for m in _fresh(raadslid).active_memberships} == {Role.FORMER_OFFICE_HOLDER}


def test_the_holder_is_told_once_in_advance_without_case_content(raadslid, griffier, settings):
    settings.MEMBERSHIP_END_NOTICE_DAYS = 14
    _plan(_own(raadslid), griffier, reason="Geheime reden die niet in een mail hoort")
    notices = Notification.objects.filter(recipient=raadslid, kind="weerbaar.membership_end")
    with time_machine.travel(END_DAY - timedelta(days=15), tick=False):
        assert tasks.tell_memberships_ending.run() == 0
    with time_machine.travel(END_DAY - timedelta(days=13), tick=False):
        assert tasks.tell_memberships_ending.run() == 1
    with time_machine.travel(END_DAY - timedelta(days=12), tick=False):
        assert tasks.tell_memberships_ending.run() == 0
    with time_machine.travel(END_DAY + timedelta(hours=1), tick=False):
        assert term_of_office.record_due_ends() == 1
    note = notices.get()
    assert "31 maart 2027" in note.body and "eindigt" in note.body
    assert "Geheime reden" not in note.body and "Geheime reden" not in note.subject
    assert note.link == "/"


def test_a_triage_role_ends_at_the_date_even_before_the_sweep(griffier, gemeente_a, client_for):
    secretaris = make_user(Role.SECRETARIS, gemeente_a)
    _plan(_own(griffier), secretaris)
    dashboard = reverse("incidents:dashboard")
    with time_machine.travel(END_DAY - timedelta(minutes=1), tick=False):
        assert client_for(griffier).get(dashboard).status_code == 200
    with time_machine.travel(END_DAY + timedelta(minutes=1), tick=False):
        assert client_for(griffier).get(dashboard).status_code == 403
        term_of_office.record_due_ends()
        # A griffier is no office holder: no former membership follows.
        assert _fresh(griffier).active_memberships == []


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_sweeps_record_each_end_once(gemeente_a, organisations):
    people = [make_user(Role.OFFICE_HOLDER, gemeente_a, Position.RAADSLID) for _n in range(6)]
    griffier = make_user(Role.GRIFFIER, gemeente_a)
    now = timezone.now()
    for person in people:
        memberships.end(membership=_own(person), actor=griffier, at=now + timedelta(seconds=1))
    barrier = threading.Barrier(2)
    results, errors = [], []

    def sweep():
        try:
            barrier.wait()
            results.append(term_of_office.record_due_ends(now=now + timedelta(seconds=5)))
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=sweep) for _n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sum(results) == 6
    ended = AuditEvent.objects.filter(action=AuditAction.MEMBERSHIP_ENDED)
    assert ended.count() == 6
    assert Membership.objects.filter(role=Role.FORMER_OFFICE_HOLDER, user__in=people).count() == 6


# --- The people page -----------------------------------------------------------------


def test_the_people_page_lists_roles_with_start_and_planned_end(raadslid, griffier, client_for):
    _plan(_own(raadslid), griffier)
    page = client_for(griffier).get("/mensen/").content.decode()
    assert "Mensen van Utrecht" in page
    assert raadslid.get_full_name() in page and "Raadslid" in page
    assert "31 maart 2027" in page and "einde gepland" in page


def test_ending_one_shows_a_confirmation_then_plans_the_end(raadslid, griffier, client_for):
    membership = _own(raadslid)
    client = client_for(griffier)
    url = f"/mensen/{membership.pk}/beeindigen/"
    data = {"until": "2099-01-01", "reason": "verhuisd", "former": "on"}
    bad = client.post(url, {**data, "until": "31-02-2027"})
    html = bad.content.decode()
    assert "Vul een geldige datum in" in html and 'value="verhuisd"' in html
    past = client.post(url, {**data, "until": "2020-01-01"}).content.decode()
    assert "Kies vandaag of een latere datum" in past
    future = (timezone.localdate() + timedelta(days=30)).isoformat()
    preview = client.post(url, {**data, "until": future})
    assert "Klopt dit?" in preview.content.decode()
    membership.refresh_from_db()
    assert membership.valid_until is None
    done = client.post(url, {**data, "until": future, "bevestigen": "1"})
    assert done.status_code == 302
    membership.refresh_from_db()
    assert timezone.localdate(membership.valid_until).isoformat() == future
    assert _actions(membership)[-1] == AuditAction.MEMBERSHIP_END_PLANNED


def test_ending_the_last_receiver_needs_an_acknowledged_warning(griffier, client_for):
    membership = _own(griffier)
    client = client_for(griffier)
    url = f"/mensen/{membership.pk}/beeindigen/"
    today = timezone.localdate().isoformat()
    preview = client.post(url, {"until": today}).content.decode()
    assert "niemand meer die meldingen ontvangt" in preview
    refused = client.post(url, {"until": today, "bevestigen": "1"}).content.decode()
    assert "Bevestig dat u weet" in refused
    assert _fresh(griffier).has_role(Role.GRIFFIER)
    client.post(url, {"until": today, "bevestigen": "1", "acknowledged": "on"})
    assert not _fresh(griffier).has_role(Role.GRIFFIER)


def test_another_gemeentes_griffier_gets_404_and_changes_nothing(raadslid, gemeente_b, client_for):
    other = make_user(Role.GRIFFIER, gemeente_b)
    membership = _own(raadslid)
    client = client_for(other)
    url = f"/mensen/{membership.pk}/beeindigen/"
    assert client.get(url).status_code == 404
    today = timezone.localdate().isoformat()
    assert client.post(url, {"until": today, "bevestigen": "1"}).status_code == 404
    assert client.get("/mensen/?organisatie=GM0344").status_code == 404
    membership.refresh_from_db()
    assert membership.valid_until is None
    assert AuditEvent.objects.filter(action=AuditAction.ACCESS_DENIED, actor=other).exists()
    # A raadslid has no people page.
    assert client_for(raadslid).get("/mensen/").status_code == 403


def test_after_an_election_only_those_not_reelected_end(gemeente_a, gemeente_b, client_for):
    griffier = make_user(Role.GRIFFIER, gemeente_a)
    stays = make_user(Role.OFFICE_HOLDER, gemeente_a, Position.RAADSLID, full_name="Anna Blijft")
    goes = make_user(Role.OFFICE_HOLDER, gemeente_a, Position.WETHOUDER, full_name="Bert Gaat")
    mayor = make_user(Role.OFFICE_HOLDER, gemeente_a, Position.BURGEMEESTER)
    foreign = make_user(Role.OFFICE_HOLDER, gemeente_b, Position.RAADSLID)
    client = client_for(griffier)
    url = "/mensen/verkiezingen/?organisatie=GM0344"
    page = client.get(url).content.decode()
    assert "Anna Blijft" in page and "Bert Gaat" in page
    assert mayor.get_full_name() not in page  # appointed, not elected

    day = (timezone.localdate() + timedelta(days=20)).isoformat()
    kept = _own(stays).pk
    missing = client.post(url, {"staying": [kept], "until": "", "former": "on"})
    html = missing.content.decode()
    assert "Vul de einddatum in" in html and f'value="{kept}" id="blijft-{kept}" checked' in html
    # A forged id of another gemeente is refused, not ended.
    forged = client.post(url, {"staying": [kept, _own(foreign).pk], "until": day})
    assert "Selecteer een geldige keuze" in forged.content.decode()

    preview = client.post(url, {"staying": [kept], "until": day, "former": "on"}).content.decode()
    leaving_part = preview.split('data-testid="leaving"')[1].split("</ul>")[0]
    assert "Bert Gaat" in leaving_part and "Anna Blijft" not in leaving_part
    assert Membership.objects.filter(valid_until__isnull=False).count() == 0

    done = client.post(
        url,
        {
            "staying": [kept],
            "until": day,
            "former": "True",
            "stopt": [_own(goes).pk, _own(foreign).pk],
            "bevestigen": "1",
        },
    )
    # The previewed list no longer matches what was posted: nothing ends.
    assert done.status_code == 200 and "intussen veranderd" in done.content.decode()
    done = client.post(
        url,
        {
            "staying": [kept],
            "until": day,
            "former": "True",
            "stopt": [_own(goes).pk],
            "bevestigen": "1",
        },
    )
    assert done.status_code == 302
    planned = Membership.objects.filter(valid_until__isnull=False)
    assert list(planned.values_list("user_id", flat=True)) == [goes.pk]
    assert _own(foreign).valid_until is None


def test_a_planned_end_can_be_brought_forward_not_put_off(raadslid, griffier, client_for):
    membership = _own(raadslid)
    planned = timezone.localdate() + timedelta(days=30)
    memberships.end(membership=membership, actor=griffier, at=term_of_office.end_moment(planned))
    client = client_for(griffier)
    url = f"/mensen/{membership.pk}/beeindigen/"
    later = (planned + timedelta(days=5)).isoformat()
    page = client.post(url, {"until": later, "reason": "toch later"}).content.decode()
    assert "U kunt het alleen vervroegen" in page and 'value="toch later"' in page
    sooner = (planned - timedelta(days=10)).isoformat()
    client.post(url, {"until": sooner, "former": "on", "bevestigen": "1"})
    membership.refresh_from_db()
    assert timezone.localdate(membership.valid_until).isoformat() == sooner


def test_the_beheerder_chooses_an_organisation_first(gemeente_a, bzk, client_for):
    beheerder = make_user(Role.FUNCTIONEEL_BEHEERDER, bzk)
    client = client_for(beheerder)
    page = client.get("/mensen/").content.decode()
    assert 'name="organisatie"' in page and "Toon mensen" in page
    chosen = client.get(f"/mensen/?organisatie={gemeente_a.code}").content.decode()
    assert f"Mensen van {gemeente_a.name}" in chosen


def test_people_and_election_pages_cost_the_same_for_one_or_a_whole_council(gemeente_a, client_for):
    griffier = make_user(Role.GRIFFIER, gemeente_a)
    client = client_for(griffier)

    def cost(url):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    few = (cost("/mensen/"), cost("/mensen/verkiezingen/?organisatie=GM0344"))
    for _n in range(45):
        make_user(Role.OFFICE_HOLDER, gemeente_a, Position.RAADSLID)
    many = (cost("/mensen/"), cost("/mensen/verkiezingen/?organisatie=GM0344"))
    assert many == few


def test_a_planned_end_is_taken_back_before_its_date_and_announced_again_if_replanned(
    raadslid, griffier, gemeente_b, client_for
):
    membership = _own(raadslid)
    planned = timezone.localdate() + timedelta(days=5)
    memberships.end(membership=membership, actor=griffier, at=term_of_office.end_moment(planned))
    term_of_office.send_due_notices()
    url = f"/mensen/{membership.pk}/einde-intrekken/"
    # Another gemeente's griffier: 404, nothing changes.
    assert client_for(make_user(Role.GRIFFIER, gemeente_b)).post(url).status_code == 404
    membership.refresh_from_db()
    assert membership.valid_until is not None
    assert client_for(griffier).get(url).status_code == 405
    assert client_for(griffier).post(url).status_code == 302
    membership.refresh_from_db()
    assert membership.valid_until is None
    assert _actions(membership)[-1] == AuditAction.MEMBERSHIP_END_CANCELLED
    # Planned again for another date: told again, once.
    memberships.end(
        membership=membership,
        actor=griffier,
        at=term_of_office.end_moment(planned + timedelta(days=1)),
    )
    term_of_office.send_due_notices()
    term_of_office.send_due_notices()
    notes = Notification.objects.filter(recipient=raadslid, kind="weerbaar.membership_end")
    assert notes.count() == 2
