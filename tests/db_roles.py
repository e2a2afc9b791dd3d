"""The suite runs with the two database roles of production (weerbaar/dbroles.py).

The user of DATABASE_URL (a superuser on the test server) only creates two roles named after
the database, ``<name>_owner`` and ``<name>_app``, shared by the xdist workers of a run and
by later runs, never by a run on another database. The owner creates the test database,
migrates it and grants the app role its rights with ``grant_app_role``; then every connection
of the suite (live servers and gunicorn or Celery subprocesses included, whose
DATABASE_URL is built from the connection's settings) logs in as the app role: the tests run
with exactly the rights of the portal in production.

What needs more than that, as the harness and not as the portal, goes through the owner:
the TRUNCATE with which Django empties the tables after a transactional test, on a separate
owner connection; and the triggers of ``tests/sweep_failures.py``, installed once at setup
and armed per session by a setting, so a test needs no DDL."""

import psycopg
from django.db import connections
from django.db.backends.postgresql.operations import DatabaseOperations
from psycopg import sql

__all__ = [
    "REFUSAL_SETTING",
    "connect_as",
    "install_refusal_triggers",
    "owner_flush",
    "prepare_roles",
    "role_names",
    "use_role",
]

REFUSAL_SETTING = "weerbaar_test.refuse"


def role_names(database_name):
    """(owner, app) for the database DATABASE_URL names (before the test suffix)."""
    base = database_name[:50]
    return f"{base}_owner", f"{base}_app"


def connect_as(user, settings_dict, *, dbname=None, autocommit=True):
    """A plain psycopg connection as ``user`` to the test database (or ``dbname``)."""
    return psycopg.connect(
        host=settings_dict["HOST"] or None,
        port=settings_dict["PORT"] or None,
        user=user,
        password=settings_dict["PASSWORD"] or None,
        dbname=dbname or settings_dict["NAME"],
        autocommit=autocommit,
    )


def prepare_roles(settings_dict):
    """Create or correct the two roles as the DATABASE_URL user; returns (owner, app).
    A password of DATABASE_URL is given to both, so a server that asks for one lets them in.
    The owner may create databases (pytest-django creates the test database with the
    default connection); neither is superuser, and the app role may do nothing else."""
    owner, app = role_names(settings_dict["NAME"])
    password = settings_dict["PASSWORD"]
    attributes = {
        owner: "LOGIN CREATEDB NOSUPERUSER NOCREATEROLE NOBYPASSRLS NOREPLICATION",
        app: "LOGIN NOCREATEDB NOSUPERUSER NOCREATEROLE NOBYPASSRLS NOREPLICATION",
    }
    admin = connect_as(settings_dict["USER"], settings_dict, dbname="postgres")
    can = admin.execute(
        "SELECT rolsuper OR rolcreaterole FROM pg_roles WHERE rolname = current_user"
    ).fetchone()[0]
    if not can:
        admin.close()
        raise RuntimeError(
            f"The tests need a DATABASE_URL user that may create roles ({owner}, {app}); "
            f"{settings_dict['USER']} may not. Use a superuser of a test server."
        )
    with admin, admin.transaction():
        # Two xdist workers start at once: one creates, the other finds.
        admin.execute("SELECT pg_advisory_xact_lock(hashtext('weerbaar test roles'))")
        for role, attrs in attributes.items():
            exists = admin.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role])
            verb = "ALTER" if exists.fetchone() else "CREATE"
            statement = sql.SQL(f"{verb} ROLE {{}} {attrs}").format(sql.Identifier(role))
            if password:
                statement += sql.SQL(" PASSWORD {}").format(sql.Literal(password))
            admin.execute(statement)
    return owner, app


def use_role(role):
    """Every connection logs in as ``role`` from its next query on."""
    for connection in connections.all():
        connection.close()
        connection.settings_dict["USER"] = role


def install_refusal_triggers(connection):
    """On every table but the audit log, a trigger that raises for one row when the session
    setting ``weerbaar_test.refuse`` is ``<table>:<INSERT|UPDATE|DELETE>:<column>:<value>``
    (tests/sweep_failures.py). Unarmed it costs one comparison per row written."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            CREATE OR REPLACE FUNCTION test_refuse_row() RETURNS trigger AS $$
            DECLARE
                target text[] := string_to_array(current_setting('weerbaar_test.refuse'), ':');
                written jsonb;
            BEGIN
                IF target[2] = TG_OP THEN
                    IF TG_OP = 'DELETE' THEN written := to_jsonb(OLD);
                    ELSE written := to_jsonb(NEW);
                    END IF;
                    IF written ->> target[3] = target[4] THEN
                        RAISE EXCEPTION 'corrupt row';
                    END IF;
                END IF;
                IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
                RETURN NEW;
            END $$ LANGUAGE plpgsql
            """
        )
        cursor.execute(
            "SELECT quote_ident(tablename), quote_literal(tablename) FROM pg_tables "
            "WHERE schemaname = 'public' AND tablename <> 'weerbaar_auditevent'"
        )
        for table, literal in cursor.fetchall():
            cursor.execute(
                f"CREATE OR REPLACE TRIGGER test_refuse_row "
                f"BEFORE INSERT OR UPDATE OR DELETE ON {table} FOR EACH ROW "
                f"WHEN (split_part(current_setting('{REFUSAL_SETTING}', true), ':', 1) "
                f"= {literal}) "
                f"EXECUTE FUNCTION test_refuse_row()"
            )


class owner_flush:
    """While active, Django's flush (the end of every transactional test) runs on one
    connection of the owner: the app role may not TRUNCATE, the audit log least of all."""

    def __init__(self, owner):
        self.owner = owner
        self.conn = None
        self.original = DatabaseOperations.execute_sql_flush

    def __enter__(self):
        flush = self

        def execute_sql_flush(ops, sql_list):
            settings_dict = ops.connection.settings_dict
            for attempt in (1, 2):
                if flush.conn is None or flush.conn.closed or flush.conn.broken:
                    flush.conn = connect_as(flush.owner, settings_dict)
                try:
                    with flush.conn.transaction():
                        for statement in sql_list:
                            flush.conn.execute(statement)
                    return
                except psycopg.OperationalError:
                    # Ended from outside since the last flush (a test that copies the test
                    # database as a template ends its other sessions): once more, anew.
                    if attempt == 2 or not flush.conn.broken:
                        raise

        DatabaseOperations.execute_sql_flush = execute_sql_flush
        return self

    def __exit__(self, *exc):
        DatabaseOperations.execute_sql_flush = self.original
        if self.conn is not None:
            self.conn.close()
