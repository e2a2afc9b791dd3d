#!/usr/bin/env bash
# make test: the whole suite against real PostgreSQL and Redis.
#
# DATABASE_URL / REDIS_URL name the servers (default: the local ones on their standard ports).
# When one does not answer but its server programs are installed, a throwaway instance is
# started in a temporary folder on a free port and removed afterwards. The DATABASE_URL user
# must be able to create roles (the throwaway instance's "postgres" is): the suite makes
# <database>_owner, which creates and migrates the test database, and <database>_app, as which
# every test connects with the production app role's rights (tests/db_roles.py).
#
#   make test                                   the whole suite: first everything but the
#                                               browser, fault and compose smoke tests, then
#                                               those, serially
#   PYTEST_WORKERS=1 make test                  the first pass serially (default: 2 xdist workers)
#   make test PYTEST_ARGS="tests/weerbaar -x"   just these arguments, in one serial run
#
# The exit code is pytest's.
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/bootstrap.sh"
cd "$REPO_ROOT"

export DATABASE_URL="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/weerbaar}"
export REDIS_URL="${REDIS_URL:-redis://127.0.0.1:6379/15}"
export DJANGO_SETTINGS_MODULE=tests.settings
# The embedded development settings of make run must not leak into the tests.
unset WEERBAAR_ENV_FILE CELERY_BROKER_URL CACHE_URL

bootstrap

PY="$VENV/bin/python"
scratch=""

cleanup() {
    [ -n "$scratch" ] || return 0
    if [ -f "$scratch/pg/postmaster.pid" ]; then
        as_postgres "$pg_bin/pg_ctl" -D "$scratch/pg" -m fast -w stop >/dev/null 2>&1 || true
    fi
    if [ -f "$scratch/redis.pid" ]; then
        kill "$(cat "$scratch/redis.pid")" 2>/dev/null || true
    fi
    rm -rf "$scratch"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

scratch_dir() {
    if [ -z "$scratch" ]; then
        scratch="$(mktemp -d -t weerbaar-test.XXXXXX)"
    fi
}

as_postgres() {
    if [ "$(id -u)" = 0 ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

find_pg_bin() {
    local dir
    for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r) \
        "$(dirname "$(command -v initdb 2>/dev/null || echo /nonexistent/initdb)")"; do
        if [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ]; then
            echo "$dir"
            return 0
        fi
    done
    return 1
}

start_postgres() {
    pg_bin="$(find_pg_bin)" || return 1
    scratch_dir
    # PostgreSQL refuses to run as root; as root, its files belong to the postgres user.
    if [ "$(id -u)" = 0 ]; then
        id postgres >/dev/null 2>&1 || die "Running as root needs a 'postgres' system user."
        chown postgres: "$scratch"
    fi
    local port
    port="$("$PY" scripts/dev_env.py free-port)"
    say "Starting a throwaway PostgreSQL ($pg_bin) on port $port"
    as_postgres "$pg_bin/initdb" -D "$scratch/pg" -U postgres -A trust -E UTF8 --no-sync \
        >"$scratch/initdb.log" 2>&1 || { cat "$scratch/initdb.log" >&2; return 1; }
    # Durability is of no use for a database that is thrown away: skip the fsyncs.
    as_postgres "$pg_bin/pg_ctl" -D "$scratch/pg" -l "$scratch/postgres.log" -w -t 60 \
        -o "-p $port -k $scratch -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
        start >/dev/null || { cat "$scratch/postgres.log" >&2; return 1; }
    DATABASE_URL="postgres://postgres@127.0.0.1:$port/weerbaar"
}

start_redis() {
    command -v redis-server >/dev/null 2>&1 || return 1
    scratch_dir
    local port
    port="$("$PY" scripts/dev_env.py free-port)"
    say "Starting a throwaway Redis on port $port"
    redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no --dir "$scratch" \
        --daemonize yes --pidfile "$scratch/redis.pid" --logfile "$scratch/redis.log" >/dev/null
    REDIS_URL="redis://127.0.0.1:$port/15"
    local _
    for _ in $(seq 50); do
        "$PY" scripts/dev_env.py reachable "$REDIS_URL" 2>/dev/null && return 0
        sleep 0.1
    done
    cat "$scratch/redis.log" >&2
    return 1
}

if ! "$PY" scripts/dev_env.py reachable "$DATABASE_URL"; then
    start_postgres || die "PostgreSQL at $DATABASE_URL does not answer and no PostgreSQL server
programs (initdb, pg_ctl) were found to start one. Install them (Debian: apt-get install
postgresql) or set DATABASE_URL to a PostgreSQL server you can use."
fi
if ! "$PY" scripts/dev_env.py reachable "$REDIS_URL"; then
    start_redis || die "Redis at $REDIS_URL does not answer and redis-server was not found to
start one. Install it (Debian: apt-get install redis-server) or set REDIS_URL."
fi
say "Testing against $DATABASE_URL and $REDIS_URL"

PYTEST="$VENV/bin/pytest"
if [ -n "${PYTEST_ARGS:-}" ] || [ "$#" -gt 0 ]; then
    status=0
    # shellcheck disable=SC2086  # PYTEST_ARGS is a list of words on purpose
    "$PYTEST" ${PYTEST_ARGS:-} "$@" || status=$?
    exit "$status"
fi

workers="${PYTEST_WORKERS:-2}"
parallel=()
[ "$workers" -gt 1 ] && parallel=(-n "$workers")
first=0
second=0
say "Pass 1: all tests but the browser, fault and compose tests"
"$PYTEST" -m "not e2e and not faults and not compose" "${parallel[@]}" || first=$?
say "Pass 2: browser, fault and compose tests, one at a time"
"$PYTEST" -m "e2e or faults or compose" || second=$?

# pytest exit 5 means "no tests collected": fine for one pass of two, not for the whole run.
if [ "$first" = 5 ] && [ "$second" = 5 ]; then
    exit 5
fi
for status in "$first" "$second"; do
    if [ "$status" != 0 ] && [ "$status" != 5 ]; then
        exit "$status"
    fi
done
exit 0
