from django.db import migrations, models

# The link hash, the same as weerbaar/audit_chain.py computes when it checks: sha256 of the
# jsonb text of the line's fields and the previous hash. Core functions only, schema-qualified.
LINK_HASH = """
CREATE OR REPLACE FUNCTION weerbaar_audit_link_hash(e weerbaar_auditevent) RETURNS text
LANGUAGE sql STABLE AS $$
    SELECT pg_catalog.encode(pg_catalog.sha256(pg_catalog.convert_to(pg_catalog.jsonb_build_array(
        e.lane, e.seq, e.prev_hash, e.id, e.actor_id, e.action, e.object_type, e.object_id,
        e.organisation_id,
        pg_catalog.to_char(e.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US'),
        pg_catalog.host(e.ip_address), e.detail::text
    )::text, 'UTF8')), 'hex')
$$;
"""

# Why lanes and try-locks: see weerbaar/audit_chain.py. 1096107092 is "AUDT", the advisory
# lock space of the audit lanes.
CHAIN = """
CREATE OR REPLACE FUNCTION weerbaar_audit_chain() RETURNS trigger
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    lanes constant integer := 32;
    chosen integer := NULLIF(
        pg_catalog.current_setting('weerbaar.audit_lane', true), '')::integer;
    start integer;
    last_seq bigint;
    last_hash text;
BEGIN
    IF chosen IS NULL THEN
        start := pg_catalog.mod(pg_catalog.pg_backend_pid(), lanes);
        FOR i IN 0 .. lanes - 1 LOOP
            IF pg_catalog.pg_try_advisory_xact_lock(1096107092, pg_catalog.mod(start + i, lanes))
            THEN
                chosen := pg_catalog.mod(start + i, lanes);
                EXIT;
            END IF;
        END LOOP;
        IF chosen IS NULL THEN
            PERFORM pg_catalog.pg_advisory_xact_lock(1096107092, start);
            chosen := start;
        END IF;
        PERFORM pg_catalog.set_config('weerbaar.audit_lane', chosen::text, true);
    END IF;
    SELECT seq, hash INTO last_seq, last_hash FROM weerbaar_auditevent
        WHERE lane = chosen ORDER BY seq DESC LIMIT 1;
    NEW.lane := chosen;
    NEW.seq := COALESCE(last_seq, 0) + 1;
    NEW.prev_hash := COALESCE(last_hash, pg_catalog.repeat('0', 64));
    NEW.hash := weerbaar_audit_link_hash(NEW);
    RETURN NEW;
END;
$$;
CREATE TRIGGER weerbaar_auditevent_chain
    BEFORE INSERT ON weerbaar_auditevent
    FOR EACH ROW EXECUTE FUNCTION weerbaar_audit_chain();
"""

# The lines written before this migration form lane 0, oldest first.
BACKFILL = """
ALTER TABLE weerbaar_auditevent DISABLE TRIGGER weerbaar_auditevent_append_only;
DO $$
DECLARE
    line weerbaar_auditevent;
    n bigint := 0;
    previous text := pg_catalog.repeat('0', 64);
BEGIN
    FOR line IN SELECT * FROM weerbaar_auditevent ORDER BY created_at, id LOOP
        n := n + 1;
        line.lane := 0;
        line.seq := n;
        line.prev_hash := previous;
        line.hash := weerbaar_audit_link_hash(line);
        UPDATE weerbaar_auditevent
            SET lane = 0, seq = n, prev_hash = previous, hash = line.hash
            WHERE id = line.id;
        previous := line.hash;
    END LOOP;
END;
$$;
ALTER TABLE weerbaar_auditevent ENABLE TRIGGER weerbaar_auditevent_append_only;
"""

DROP = """
DROP TRIGGER IF EXISTS weerbaar_auditevent_chain ON weerbaar_auditevent;
DROP FUNCTION IF EXISTS weerbaar_audit_chain();
DROP FUNCTION IF EXISTS weerbaar_audit_link_hash(weerbaar_auditevent);
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(LINK_HASH)
        schema_editor.execute(BACKFILL)
        schema_editor.execute(CHAIN)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


def chain_field(name, field):
    return migrations.AddField(model_name="auditevent", name=name, field=field)


class Migration(migrations.Migration):
    """Each audit line carries a hash chained to the previous line of its lane, set by a
    trigger; the lines already written are chained here (weerbaar/audit_chain.py)."""

    dependencies = [("weerbaar", "0009_mfa_throttle")]

    operations = [
        chain_field(
            "lane",
            models.PositiveSmallIntegerField(editable=False, null=True, verbose_name="keten"),
        ),
        chain_field(
            "seq",
            models.BigIntegerField(
                editable=False, null=True, verbose_name="volgnummer in de keten"
            ),
        ),
        chain_field(
            "prev_hash",
            models.CharField(blank=True, editable=False, max_length=64, verbose_name="vorige hash"),
        ),
        chain_field(
            "hash", models.CharField(blank=True, editable=False, max_length=64, verbose_name="hash")
        ),
        migrations.RunPython(forwards, backwards),
        migrations.AddConstraint(
            model_name="auditevent",
            constraint=models.UniqueConstraint(
                fields=("lane", "seq"), name="weerbaar_auditevent_lane_seq"
            ),
        ),
    ]
