"""The two PostgreSQL roles of a deployment (issue 18).

The **owner** runs the migrations and owns every table, sequence, trigger and function. The
**app** role (web, worker, beat) owns nothing and holds only what the portal needs: SELECT,
INSERT, UPDATE and DELETE on the tables, the sequences, and on the append-only tables INSERT and
SELECT alone. Without ownership or CREATE on the schema it cannot TRUNCATE, ALTER, DISABLE or
DROP a trigger, or CREATE OR REPLACE a function: whoever takes over the app cannot rewrite
the audit log, only add to it.

The grants are not set with ALTER DEFAULT PRIVILEGES but by ``grant_app_role``, run by the
owner after every ``migrate`` (the migrate job of docker-compose.yml does both). Default
privileges would hand every future table UPDATE and DELETE, a future append-only table
included, silently; a migrate without the grant step fails loudly instead ("permission
denied" on the new table) and grants nothing too much. The command is idempotent: it revokes
what the app role holds and grants the list below again."""

from django.db import connection

__all__ = ["APPEND_ONLY_TABLES", "READ_ONLY_TABLES", "grant_app_role", "problems_of"]

# Tables the app may only add to and read.
APPEND_ONLY_TABLES = ("weerbaar_auditevent",)
# Tables the app may only read: a forged row in django_migrations would make the next
# migrate skip a migration (a new trigger, say).
READ_ONLY_TABLES = ("django_migrations",)


def _one(cursor, sql, params=()):
    cursor.execute(sql, params)
    return cursor.fetchone()


def _quoted(cursor, name):
    return _one(cursor, "SELECT quote_ident(%s)", [name])[0]


def problems_of(role, *, using=connection):
    """What the app role can do that it must not (empty when all is well), as Dutch lines."""
    found = []
    with using.cursor() as cursor:
        super_, bypass, createrole = _one(
            cursor,
            "SELECT rolsuper, rolbypassrls, rolcreaterole FROM pg_roles WHERE rolname = %s",
            [role],
        )
        if super_ or bypass or createrole:
            found.append(f"{role} is superuser, mag rollen maken of omzeilt row security.")
        owner, member = _one(
            cursor,
            "SELECT tableowner, pg_has_role(%s, tableowner, 'MEMBER') FROM pg_tables "
            "WHERE schemaname = 'public' AND tablename = %s",
            [role, APPEND_ONLY_TABLES[0]],
        )
        if member:
            found.append(f"{role} is (lid van) de eigenaar {owner}.")
        if _one(cursor, "SELECT has_schema_privilege(%s, 'public', 'CREATE')", [role])[0]:
            found.append(f"{role} mag objecten maken in het schema (CREATE).")
        owned = _one(
            cursor,
            "SELECT (SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = 'public' AND pg_has_role(%s, c.relowner, 'USAGE')) + "
            "(SELECT count(*) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace "
            "WHERE n.nspname = 'public' AND pg_has_role(%s, p.proowner, 'USAGE'))",
            [role, role],
        )[0]
        if owned:
            found.append(f"{role} is eigenaar van {owned} tabel(len), reeks(en) of functie(s).")
        for table in APPEND_ONLY_TABLES + READ_ONLY_TABLES:
            for privilege in ("UPDATE", "DELETE", "TRUNCATE", "TRIGGER"):
                held = _one(
                    cursor, "SELECT has_table_privilege(%s, %s, %s)", [role, table, privilege]
                )
                if held[0]:
                    found.append(f"{role} heeft {privilege} op {table}.")
    return found


def grant_app_role(*, role, using=connection):
    """Give ``role`` exactly the app's rights on the current schema, as its owner. Returns
    (tables, sequences) granted. Raises ValueError when the role cannot be made safe."""
    with using.cursor() as cursor:
        if _one(cursor, "SELECT count(*) FROM pg_roles WHERE rolname = %s", [role])[0] != 1:
            raise ValueError(f"De rol {role} bestaat niet.")
        if _one(cursor, "SELECT current_user = %s", [role])[0]:
            raise ValueError("De app-rol moet een andere rol zijn dan de eigenaar.")
        owns = _one(
            cursor,
            "SELECT tableowner = current_user FROM pg_tables "
            "WHERE schemaname = 'public' AND tablename = %s",
            [APPEND_ONLY_TABLES[0]],
        )
        if not owns or not owns[0]:
            raise ValueError("Voer dit uit als eigenaar van de tabellen (na migrate).")
        r = _quoted(cursor, role)
        if _one(cursor, "SELECT has_schema_privilege('public', 'public', 'CREATE')")[0]:
            # PostgreSQL before 15 lets everyone create objects in "public".
            cursor.execute("REVOKE CREATE ON SCHEMA public FROM PUBLIC")
        cursor.execute(f"REVOKE ALL ON SCHEMA public FROM {r}")
        cursor.execute(f"GRANT USAGE ON SCHEMA public TO {r}")
        cursor.execute(f"REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {r}")
        cursor.execute(
            f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {r}"
        )
        for table in APPEND_ONLY_TABLES:
            cursor.execute(f"REVOKE UPDATE, DELETE ON {_quoted(cursor, table)} FROM {r}")
        for table in READ_ONLY_TABLES:
            cursor.execute(f"REVOKE INSERT, UPDATE, DELETE ON {_quoted(cursor, table)} FROM {r}")
        # nextval, not setval: USAGE without UPDATE.
        cursor.execute(f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM {r}")
        cursor.execute(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {r}")
        counts = _one(
            cursor,
            "SELECT count(*) FILTER (WHERE relkind IN ('r', 'p', 'v', 'm')), "
            "count(*) FILTER (WHERE relkind = 'S') FROM pg_class c "
            "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public'",
        )
    found = problems_of(role, using=using)
    if found:
        raise ValueError(" ".join(found))
    return counts
