"""The hash chain of the audit log: how a line is linked, and checking every link.

**Linking** (PostgreSQL, trigger ``weerbaar_auditevent_chain`` of migration
0010_audit_hash_chain). Lines are chained in ``LANES`` (32) independent lanes, not in one: a
single chain would make every transaction that writes an audit line wait for the previous one
to commit, and audit lines are written inside the business transaction. A transaction claims
one lane the first time it writes a line, with ``pg_try_advisory_xact_lock`` on lane
``pid % 32``, else the next free one, and keeps it until it ends (the lane is remembered
in the transaction-local setting ``weerbaar.audit_lane``). Holding the lane's lock is what
keeps its chain linear: nobody else appends to it until this transaction has committed or
rolled back, and the lock is released only after the commit is visible, so the next holder's
read of the lane's last line (a fresh snapshot in the VOLATILE trigger, READ COMMITTED as the
portal runs) sees it. A rolled-back transaction leaves no line behind, so nothing links to
a line that does not exist.

Why it neither serialises nor deadlocks: a transaction never *waits* for a lane while
another is free, because the claim only tries locks. Concurrent writers get different lanes,
and as long as fewer than 32 transactions write audit lines at the same moment (web threads
plus Celery workers) nobody waits at all; only then does one wait for its own lane, which the
deadlock detector watches like any lock. ``UNIQUE (lane, seq)`` turns any fork, should a
transaction ever read a stale last line, into an error instead of a silent second branch.

**The link.** ``hash = sha256(canonical)``, where canonical is the JSON array
``[lane, seq, prev_hash, id, actor_id, action, object_type, object_id, organisation_id,
created_at (UTC, microseconds), ip_address, detail as jsonb text]`` exactly as PostgreSQL's
jsonb prints it; ``prev_hash`` is the lane's previous hash (64 zeros for its first line).

**Checking** happens here, in Python, from the stored columns: not with the database's own
hash function, which whoever can rewrite rows could also replace. It finds a changed line (its
hash), a removed one (a gap in ``seq``), a forged one (its hash, or the link after it). Lines
appended at the end with correct links cannot be told from real ones, and a removed *last*
line of a lane leaves no gap: keep the heads ``verify_audit`` prints somewhere the database
owner cannot write (a log shipped off the host) to catch that too."""

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC

from django.db import connection

__all__ = ["GENESIS", "LANES", "Break", "Head", "canonical", "link_hash", "verify"]

LANES = 32
GENESIS = "0" * 64
BATCH = 5000

COLUMNS = (
    "id, lane, seq, prev_hash, hash, actor_id, action, object_type, object_id, "
    "organisation_id, created_at, pg_catalog.host(ip_address), detail::text"
)


@dataclass(frozen=True)
class Break:
    lane: int | None
    seq: int | None
    event_id: int
    reason: str

    def __str__(self):
        where = f"keten {self.lane}" if self.lane is not None else "buiten de keten"
        return f"{where}: regel #{self.event_id} (volgnummer {self.seq}): {self.reason}"


@dataclass(frozen=True)
class Head:
    lane: int
    lines: int
    hash: str

    def __str__(self):
        return f"keten {self.lane}: {self.lines} regels in orde, laatste hash {self.hash}"


def canonical(
    *, lane, seq, prev_hash, event_id, actor_id, action, object_type, object_id,
    organisation_id, created_at, ip_address, detail_text,
):  # fmt: skip
    """The text the trigger hashes, as jsonb prints the same array: ", " between items,
    strings escaped as JSON with everything but control characters left as it is."""
    return json.dumps(
        [
            lane,
            seq,
            prev_hash,
            event_id,
            actor_id,
            action,
            object_type,
            object_id,
            organisation_id,
            created_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f"),
            ip_address,
            detail_text,
        ],
        ensure_ascii=False,
    )


def link_hash(**fields):
    return hashlib.sha256(canonical(**fields).encode()).hexdigest()


def _rows(cursor, sql, params):
    cursor.execute(sql, params)
    return cursor.fetchall()


def _check_lane(cursor, lane):
    """The first broken link of ``lane``, or its head when every link holds."""
    expected_seq, expected_prev, after = 1, GENESIS, (0, 0)
    while True:
        # Keyset pages over (seq, id): a duplicated seq, possible only once someone dropped
        # the unique constraint, still comes out in order and is reported.
        rows = _rows(
            cursor,
            f"SELECT {COLUMNS} FROM weerbaar_auditevent "  # noqa: S608 (constants only)
            f"WHERE lane = %s AND (seq, id) > (%s, %s) ORDER BY seq, id LIMIT {BATCH}",
            [lane, *after],
        )
        if not rows:
            return Head(lane, expected_seq - 1, expected_prev)
        for row in rows:
            event_id, _, seq, prev_hash, stored, *rest = row
            if seq != expected_seq:
                missing = "ontbreekt" if seq > expected_seq else "komt dubbel voor"
                return Break(lane, seq, event_id, f"volgnummer {expected_seq} {missing}")
            if prev_hash != expected_prev:
                return Break(lane, seq, event_id, "verwijst niet naar de regel ervoor")
            actor_id, action, object_type, object_id, organisation_id, created, ip, detail = rest
            computed = link_hash(
                lane=lane,
                seq=seq,
                prev_hash=prev_hash,
                event_id=event_id,
                actor_id=actor_id,
                action=action,
                object_type=object_type,
                object_id=object_id,
                organisation_id=organisation_id,
                created_at=created,
                ip_address=ip,
                detail_text=detail,
            )
            if computed != stored:
                return Break(lane, seq, event_id, "inhoud gewijzigd of hash vervalst")
            expected_seq, expected_prev, after = seq + 1, stored, (seq, event_id)


def verify(*, using=connection):
    """Every lane's first broken link, and the heads of the lanes that hold. Reads in
    batches of ``BATCH`` lines per lane, so memory stays flat however long the log."""
    breaks, heads = [], []
    with using.cursor() as cursor:
        outside = _rows(
            cursor,
            "SELECT id FROM weerbaar_auditevent WHERE lane IS NULL OR seq IS NULL "
            "ORDER BY id LIMIT 1",
            [],
        )
        if outside:
            breaks.append(Break(None, None, outside[0][0], "regel zonder plaats in een keten"))
        lanes = [lane for (lane,) in _rows(cursor, _LANES_SQL, [])]
        for lane in lanes:
            result = _check_lane(cursor, lane)
            (breaks if isinstance(result, Break) else heads).append(result)
    return breaks, heads


# The distinct lanes with a loose index scan over (lane, seq): one index probe per lane.
_LANES_SQL = """
WITH RECURSIVE lanes(lane) AS (
    (SELECT lane FROM weerbaar_auditevent WHERE lane IS NOT NULL ORDER BY lane LIMIT 1)
    UNION ALL
    SELECT (SELECT e.lane FROM weerbaar_auditevent e WHERE e.lane > lanes.lane
            ORDER BY e.lane LIMIT 1)
    FROM lanes WHERE lanes.lane IS NOT NULL
)
SELECT lane FROM lanes WHERE lane IS NOT NULL
"""
