"""seed_load makes realistic rows once: a second run adds nothing, a larger scale tops up,
and sensitive columns hold ciphertext."""

from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from incidents.models import Melding, MeldingCategory
from otwb.models import Session
from perf.loadgen import EMAIL_DOMAIN
from perf.loadgen.catchup import catch_up
from veiligwonen.models import Application
from weerbaar.constants import NotificationStatus
from weerbaar.models import Membership, Notification, User

from .conftest import SCALE


def _counts():
    return {
        "users": User.objects.filter(email__endswith=f"@{EMAIL_DOMAIN}").count(),
        "memberships": Membership.objects.count(),
        "meldingen": Melding.objects.count(),
        "applications": Application.objects.count(),
        "sessions": Session.objects.count(),
    }


def test_seeding_twice_at_the_same_scale_adds_nothing(load_data, db):
    before = _counts()
    call_command("seed_load", scale=SCALE, verbosity=0)
    assert _counts() == before
    assert before["meldingen"] == 300
    assert before["applications"] == 30
    assert before["sessions"] == 15


def test_a_larger_scale_tops_up_to_the_new_size(load_data, db):
    call_command("seed_load", scale=SCALE * 2, verbosity=0, no_sweeps=True)
    counts = _counts()
    assert counts["meldingen"] == 600
    assert counts["applications"] == 60
    assert counts["sessions"] == 30


def test_every_organisation_has_its_griffier_secretaris_and_chair(load_data, db):
    from weerbaar.models import Organisation

    regional = Organisation.objects.exclude(kind="national").count()
    for role in ("griffier", "secretaris", "voorzitter"):
        assert (
            Membership.objects.filter(role=role, user__email__endswith=f"@{EMAIL_DOMAIN}").count()
            == regional
        )


def test_meldingen_are_skewed_towards_large_organisations(load_data, db):
    from django.db.models import Count

    per_org = list(Melding.objects.values("organisation").annotate(n=Count("pk")).order_by("-n"))
    assert per_org[0]["n"] >= 4 * per_org[len(per_org) // 2]["n"]


def test_sensitive_fields_are_stored_encrypted(load_data, db):
    melding = Melding.objects.exclude(description="").first()
    application = Application.objects.first()
    with connection.cursor() as cursor:
        cursor.execute("SELECT description FROM incidents_melding WHERE id = %s", [melding.pk])
        raw_description = cursor.fetchone()[0]
        cursor.execute(
            "SELECT home_address FROM veiligwonen_application WHERE id = %s", [application.pk]
        )
        raw_address = cursor.fetchone()[0]
    assert raw_description.startswith("v1:") and melding.description not in raw_description
    assert raw_address.startswith("v1:") and application.home_address not in raw_address


def test_the_category_copy_of_every_melding_matches_its_rows(load_data, db):
    rows = {}
    for melding_id, category in MeldingCategory.objects.values_list("melding_id", "category"):
        rows.setdefault(melding_id, []).append(category)
    copies = dict(Melding.objects.values_list("pk", "category_codes"))
    assert copies and all(copies[pk] == Melding.codes_of(rows.get(pk, [])) for pk in copies)


def test_seeded_objects_are_in_the_search_index_and_found_by_a_handle(load_data, db):
    import re

    from weerbaar import search
    from weerbaar.models import SearchToken

    for index in search.registered():
        ids = set(index.model._base_manager.values_list("pk", flat=True))
        tokens = SearchToken.objects.filter(kind=index.kind)
        assert ids and set(tokens.values_list("object_id", flat=True)) == ids, index.kind
    melding = next(
        m for m in Melding.objects.filter(perpetrator="known") if "@" in m.perpetrator_details
    )
    handle = re.search(r"@(\w+)", melding.perpetrator_details).group(0)
    found = search.filter_queryset(Melding.objects.all(), "incidents.melding", handle)
    assert melding in found


def test_the_reminder_columns_of_every_melding_are_what_its_state_gives(load_data, db):
    """The load data goes in with COPY, past the services that write when each
    reminder is next due (``incidents.reminders``): the seeder writes them from the rows,
    so the reminder sweeps see a loaded database as they would a live one."""
    from incidents.reminders import COLUMNS, refresh

    seeded = {row["pk"]: row for row in Melding.objects.values("pk", *COLUMNS)}
    assert any(row["idle_reminder_at"] for row in seeded.values())
    assert any(row["aftercare_reminder_at"] for row in seeded.values())
    refresh(Melding.objects.all())
    assert {row["pk"]: row for row in Melding.objects.values("pk", *COLUMNS)} == seeded


def test_at_ten_times_national_scale_sessions_share_slots_but_never_a_trainer():
    from perf.loadgen.otwb import BASE_SESSIONS, SLOTS, slot_period, trainer_pair

    sessions, pool = BASE_SESSIONS * 10, 60 * 10  # scale 10: 60 trainers per scale unit
    booked = {
        (slot_period(i)[0], trainer) for i in range(sessions) for trainer in trainer_pair(i, pool)
    }
    assert len({start for start, _trainer in booked}) == SLOTS
    assert len(booked) == 2 * sessions


def test_the_sweep_columns_of_applications_and_agreements_are_what_their_state_gives(load_data, db):
    """Likewise the Veilig Wonen measure reminder, SLA moment and hand-off receipt reminder
    (``veiligwonen.reminders``) and the OTWB overdue agreements' flag day
    (``otwb.reminders``)."""
    from otwb.models import FollowUpAgreement
    from otwb.reminders import refresh as refresh_agreements
    from veiligwonen.reminders import refresh as refresh_applications

    for model, column, refresh in (
        (Application, "measure_reminder_at", refresh_applications),
        (Application, "sla_reminder_at", refresh_applications),
        (Application, "handoff_reminder_at", refresh_applications),
        (FollowUpAgreement, "flag_on", refresh_agreements),
    ):
        seeded = dict(model.objects.values_list("pk", column))
        refresh(model.objects.all())
        assert dict(model.objects.values_list("pk", column)) == seeded, model


def test_the_sweep_columns_of_sessions_are_what_their_state_gives(load_data, db):
    """Likewise the OTWB session reminders' and evaluation requests' next moments
    (``otwb.reminders``), as of the seeding: a moment that could no longer come then (a
    session held long ago) is left empty, as the sweeps of the catch-up would leave it."""
    from otwb.reminders import SESSION_COLUMNS, refresh_sessions

    seeded = {row["pk"]: row for row in Session.objects.values("pk", *SESSION_COLUMNS)}
    assert any(row["reminder_at"] for row in seeded.values())
    refresh_sessions(Session.objects.all(), now=load_data.now)
    assert {row["pk"]: row for row in Session.objects.values("pk", *SESSION_COLUMNS)} == seeded


def test_catching_up_counts_the_mail_to_the_load_data_as_delivered(load_data, db):
    """The steady state after seeding: what the sweeps sent counts as delivered, the email
    to the people named on an OTWB registration (no account, an address only) as well;
    otherwise "nothing due" for the outbox measures a backlog (1 098 such emails at scale
    10). Mail to any other address is left alone."""

    def pending(email):
        return Notification.objects.create(
            kind="otwb.evaluation_request",
            subject="Hoe was de sessie?",
            body="Twee minuten.",
            email=email,
            next_attempt_at=timezone.now(),
        )

    named = pending(f"burgemeester.{SCALE}@{EMAIL_DOMAIN}")
    elsewhere = pending("iemand@example.org")
    catch_up(load_data)
    named.refresh_from_db()
    elsewhere.refresh_from_db()
    assert (named.status, elsewhere.status) == (
        NotificationStatus.SENT,
        NotificationStatus.PENDING,
    )
    at_domain = f"@{EMAIL_DOMAIN}"
    outbox = Notification.objects.filter(status=NotificationStatus.PENDING)
    assert not outbox.filter(recipient__email__endswith=at_domain).exists()
    assert not outbox.filter(email__endswith=at_domain).exists()
