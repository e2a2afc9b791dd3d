"""The audit log is tamper-evident (issue 18 §2): every line is chained to the previous line
of its lane, and ``manage.py verify_audit`` finds exactly the line someone with the owner's
rights changed, removed or forged. Concurrent writers keep every chain intact without waiting
for one another."""

import io
import threading

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from tests import db_roles
from weerbaar import audit
from weerbaar.audit_chain import GENESIS, link_hash
from weerbaar.constants import AuditAction
from weerbaar.models import AuditEvent

ODD_DETAIL = {
    "label": 'Zoë "quote" \\ back\nslash\ttab \x01 \u2028 😀',
    "number": 1.5,
    "list": [1, None, True, "é"],
    "nested": {"bb": 1, "a": 2, "ccc": {"z": []}},
}


def verify():
    """(exit ok, the lines verify_audit printed)."""
    out = io.StringIO()
    try:
        call_command("verify_audit", stdout=out)
    except CommandError:
        return False, out.getvalue().splitlines()
    return True, out.getvalue().splitlines()


def broken(lines):
    return [line for line in lines if line.startswith("GEBROKEN")]


def new_line(object_id, action=AuditAction.VIEW, **detail):
    line = audit.event(action, **detail)
    line.object_type, line.object_id = "incidents.melding", object_id
    return line


def write_lines(n, **detail):
    """``n`` lines in one transaction: one lane, consecutive numbers."""
    with transaction.atomic():
        lines = [new_line(str(i), **detail) for i in range(n)]
        for line in lines:
            line.save()
        return lines


def chained(pks):
    return list(
        AuditEvent.objects.filter(pk__in=pks).order_by("seq").values_list("pk", "lane", "seq")
    )


@pytest.fixture
def owner(transactional_db, db_roles_names):
    """A connection as the owner of the tables: what an attacker with DDL rights has."""
    conn = db_roles.connect_as(db_roles_names[0], connection.settings_dict)
    yield conn
    conn.close()


def as_owner_without(conn, trigger, statement, params=()):
    """Run ``statement`` with ``trigger`` of the audit table switched off, as the owner can."""
    with conn.transaction():
        # Foreign keys are checked now, not at commit, so the trigger can be switched back on.
        conn.execute("SET CONSTRAINTS ALL IMMEDIATE")
        conn.execute(f"ALTER TABLE weerbaar_auditevent DISABLE TRIGGER {trigger}")
        conn.execute(statement, params)
        conn.execute(f"ALTER TABLE weerbaar_auditevent ENABLE TRIGGER {trigger}")


def test_each_line_is_chained_and_the_python_check_agrees_with_the_trigger(db):
    lines = write_lines(3, **ODD_DETAIL)
    odd = new_line("é\n1", AuditAction.EXPORT, note="ü")
    odd.ip_address = "2001:DB8::1"
    mapped = new_line("2", AuditAction.EXPORT)
    mapped.ip_address = "::ffff:192.0.2.1"
    audit.record_many([odd, mapped])

    rows = chained([line.pk for line in lines])
    lane = rows[0][1]
    assert [(lane, seq) for _, lane, seq in rows] == [(lane, 1), (lane, 2), (lane, 3)]
    first = AuditEvent.objects.get(pk=rows[0][0])
    assert first.prev_hash == GENESIS and len(first.hash) == 64
    ok, out = verify()
    assert ok, out
    assert out[-1].startswith("Alle ") and "in orde" in out[-1]


def test_the_hash_covers_every_field_of_the_line(db):
    (line,) = write_lines(1, note="a")
    line = AuditEvent.objects.get(pk=line.pk)
    fields = {
        "lane": line.lane,
        "seq": line.seq,
        "prev_hash": line.prev_hash,
        "event_id": line.pk,
        "actor_id": line.actor_id,
        "action": line.action,
        "object_type": line.object_type,
        "object_id": line.object_id,
        "organisation_id": line.organisation_id,
        "created_at": line.created_at,
        "ip_address": line.ip_address,
        "detail_text": '{"note": "a"}',
    }
    assert link_hash(**fields) == line.hash
    for name, other in [
        ("event_id", line.pk + 1),
        ("action", "export"),
        ("object_id", "1 "),
        ("detail_text", '{"note": "b"}'),
        ("prev_hash", "1" * 64),
    ]:
        assert link_hash(**{**fields, name: other}) != line.hash, name


def test_verify_audit_finds_exactly_the_line_the_owner_changed(owner):
    lines = write_lines(5)
    target = lines[2]
    as_owner_without(
        owner,
        "weerbaar_auditevent_append_only",
        "UPDATE weerbaar_auditevent SET object_id = 'iets anders' WHERE id = %s",
        [target.pk],
    )
    ok, out = verify()
    assert not ok
    assert broken(out) == [
        f"GEBROKEN keten {target_lane(target)}: regel #{target.pk} (volgnummer 3): "
        "inhoud gewijzigd of hash vervalst"
    ]


def test_a_changed_line_with_a_recomputed_hash_breaks_the_next_link(owner):
    lines = write_lines(4)
    target = AuditEvent.objects.get(pk=lines[1].pk)
    forged = link_hash(
        lane=target.lane,
        seq=target.seq,
        prev_hash=target.prev_hash,
        event_id=target.pk,
        actor_id=None,
        action=target.action,
        object_type=target.object_type,
        object_id="iets anders",
        organisation_id=None,
        created_at=target.created_at,
        ip_address=None,
        detail_text="{}",
    )
    as_owner_without(
        owner,
        "weerbaar_auditevent_append_only",
        "UPDATE weerbaar_auditevent SET object_id = 'iets anders', hash = %s WHERE id = %s",
        [forged, target.pk],
    )
    ok, out = verify()
    assert not ok
    assert broken(out) == [
        f"GEBROKEN keten {target.lane}: regel #{lines[2].pk} (volgnummer 3): "
        "verwijst niet naar de regel ervoor"
    ]


def test_verify_audit_finds_a_removed_line(owner):
    lines = write_lines(5)
    as_owner_without(
        owner,
        "weerbaar_auditevent_append_only",
        "DELETE FROM weerbaar_auditevent WHERE id = %s",
        [lines[1].pk],
    )
    ok, out = verify()
    assert not ok
    assert broken(out) == [
        f"GEBROKEN keten {target_lane(lines[0])}: regel #{lines[2].pk} (volgnummer 3): "
        "volgnummer 2 ontbreekt"
    ]


def test_verify_audit_finds_a_forged_line(owner):
    lines = write_lines(3)
    head = AuditEvent.objects.get(pk=lines[-1].pk)
    # Backdated, appended to the lane with a link to its head, hash made up.
    as_owner_without(
        owner,
        "weerbaar_auditevent_chain",
        "INSERT INTO weerbaar_auditevent (action, object_type, object_id, created_at, detail, "
        "lane, seq, prev_hash, hash) VALUES ('view', 'incidents.melding', '99', "
        "now() - interval '30 days', '{}', %s, %s, %s, %s) RETURNING id",
        [head.lane, head.seq + 1, head.hash, "f" * 64],
    )
    forged = AuditEvent.objects.get(object_id="99")
    ok, out = verify()
    assert not ok
    assert broken(out) == [
        f"GEBROKEN keten {head.lane}: regel #{forged.pk} (volgnummer 4): "
        "inhoud gewijzigd of hash vervalst"
    ]


def test_verify_audit_finds_a_line_slipped_in_outside_the_chain(owner):
    write_lines(2)
    as_owner_without(
        owner,
        "weerbaar_auditevent_chain",
        "INSERT INTO weerbaar_auditevent (action, object_type, object_id, created_at, detail, "
        "prev_hash, hash) VALUES ('view', 'x', '98', now(), '{}', '', '')",
    )
    forged = AuditEvent.objects.get(object_id="98")
    ok, out = verify()
    assert not ok
    assert broken(out) == [f"GEBROKEN buiten de keten: regel #{forged.pk} (volgnummer None): "
                           "regel zonder plaats in een keten"]  # fmt: skip


def target_lane(line):
    return AuditEvent.objects.values_list("lane", flat=True).get(pk=line.pk)


def test_record_many_is_one_statement_whatever_the_number_of_lines(db):
    counts = []
    for n in (3, 300):
        lines = [new_line(str(i)) for i in range(n)]
        with CaptureQueriesContext(connection) as queries, transaction.atomic():
            audit.record_many(lines)
        counts.append(len([q for q in queries if "weerbaar_auditevent" in q["sql"]]))
    assert counts == [1, 1]
    seqs = list(AuditEvent.objects.order_by("lane", "seq").values_list("lane", "seq"))
    assert len(seqs) == 303 and len({lane for lane, _ in seqs}) == 1
    assert [seq for _, seq in seqs] == list(range(1, 304))
    assert verify()[0]


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_keep_every_chain_intact_and_do_not_wait_for_each_other():
    writers, rounds = 6, 12
    holding = threading.Event()
    release = threading.Event()
    committed = []
    errors = []
    lock = threading.Lock()

    def holder():
        """Writes a line and keeps its transaction (and its lane) open meanwhile."""
        try:
            with transaction.atomic():
                new_line("holder").save()
                holding.set()
                assert release.wait(timeout=60), "never released"
            with lock:
                committed.append(1)
        except Exception as exc:  # a failing thread must fail the test
            errors.append(repr(exc))
        finally:
            connection.close()

    def writer(w):
        try:
            for r in range(rounds):
                n = 1 + (w + r) % 3
                try:
                    with transaction.atomic():
                        for i in range(n):
                            new_line(f"{w}.{r}.{i}").save()
                        if r % 4 == 3:
                            raise RuntimeError("rolled back")
                except RuntimeError:
                    continue
                with lock:
                    committed.append(n)
        except Exception as exc:  # a failing thread must fail the test
            errors.append(repr(exc))
        finally:
            connection.close()

    hold = threading.Thread(target=holder)
    hold.start()
    assert holding.wait(timeout=30)
    threads = [threading.Thread(target=writer, args=(w,)) for w in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    # Everyone finished while the holder still kept its lane: nobody waited for it.
    finished_while_held = not any(thread.is_alive() for thread in threads)
    release.set()
    hold.join(timeout=30)

    assert not errors, errors
    assert finished_while_held
    assert AuditEvent.objects.count() == sum(committed)
    assert AuditEvent.objects.values("lane").distinct().count() > 1
    ok, out = verify()
    assert ok, out
