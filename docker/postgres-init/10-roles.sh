#!/bin/sh
# The two database roles of the portal (issue 18; weerbaar/dbroles.py says why):
#   WEERBAAR_OWNER_ROLE (weerbaar_owner)  owns the database and every table; the migrate job
#   WEERBAAR_APP_ROLE   (weerbaar_app)    web, worker, beat: no DDL, owns nothing; its table
#                                         rights are granted by "manage.py grant_app_role"
# Neither is superuser; the superuser (POSTGRES_USER) is for this script and administrators.
#
# The postgres image runs this once, when it creates the data volume. It is idempotent: on a
# volume made before issue 18 (the app as superuser "weerbaar") run it by hand, then the
# migrate job, to move every table to the owner:
#   docker compose exec -e POSTGRES_USER=weerbaar db sh /docker-entrypoint-initdb.d/10-roles.sh
set -eu

: "${WEERBAAR_OWNER_PASSWORD:?set WEERBAAR_OWNER_PASSWORD in .env}"
: "${WEERBAAR_APP_PASSWORD:?set WEERBAAR_APP_PASSWORD in .env}"

psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
    -v db="$POSTGRES_DB" \
    -v owner="${WEERBAAR_OWNER_ROLE:-weerbaar_owner}" \
    -v owner_password="$WEERBAAR_OWNER_PASSWORD" \
    -v app="${WEERBAAR_APP_ROLE:-weerbaar_app}" \
    -v app_password="$WEERBAAR_APP_PASSWORD" <<'SQL'
SELECT format('CREATE ROLE %I', name) FROM (VALUES (:'owner'), (:'app')) AS roles(name)
    WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = name) \gexec
SELECT format('ALTER ROLE %I LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS '
              'NOREPLICATION PASSWORD %L', :'owner', :'owner_password') \gexec
SELECT format('ALTER ROLE %I LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS '
              'NOREPLICATION PASSWORD %L', :'app', :'app_password') \gexec

ALTER DATABASE :"db" OWNER TO :"owner";
REVOKE ALL ON DATABASE :"db" FROM PUBLIC;
GRANT CONNECT, TEMPORARY ON DATABASE :"db" TO :"app";
REVOKE CREATE ON SCHEMA public FROM PUBLIC;

-- Tables, views, free-standing sequences and functions made by an earlier owner.
SELECT format('ALTER TABLE %I.%I OWNER TO %I', schemaname, tablename, :'owner')
    FROM pg_tables WHERE schemaname = 'public' AND tableowner <> :'owner' \gexec
SELECT format('ALTER VIEW %I.%I OWNER TO %I', schemaname, viewname, :'owner')
    FROM pg_views WHERE schemaname = 'public' AND viewowner <> :'owner' \gexec
SELECT format('ALTER SEQUENCE %s OWNER TO %I', c.oid::regclass, :'owner')
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = 'public' AND c.relkind = 'S' AND pg_get_userbyid(c.relowner) <> :'owner'
    AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype IN ('a', 'i'))
    \gexec
SELECT format('ALTER FUNCTION %s OWNER TO %I', p.oid::regprocedure, :'owner')
    FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
    WHERE n.nspname = 'public' AND pg_get_userbyid(p.proowner) <> :'owner' \gexec
SQL
