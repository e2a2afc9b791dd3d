#!/usr/bin/env bash
# make run: the whole portal on one machine with nothing but Python 3.11 and npm.
# SQLite, a file-system Celery broker and mail as files in var/mail/ (settings in var/run.env,
# written once), demo accounts, then the web server, a Celery worker and Celery beat until
# Ctrl-C. The demo accounts are printed last, once everything answers.
#
#   PORT=8001 make run        another port (default 8000)
#   WEERBAAR_VAR_DIR=/tmp/x   another folder for the database, logs, mail and keys (default var/)
#   DATABASE_URL=postgres://... REDIS_URL=redis://... CELERY_BROKER_URL=redis://... make run
#                             use real services instead of the embedded ones
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/bootstrap.sh"
cd "$REPO_ROOT"

PORT="${PORT:-8000}"
HOST="${HOST:-127.0.0.1}"
VAR_DIR="${WEERBAAR_VAR_DIR:-$REPO_ROOT/var}"
PY="$VENV/bin/python"

bootstrap
"$PY" scripts/dev_env.py port-free "$HOST" "$PORT" || exit 1

mkdir -p "$VAR_DIR/log" "$VAR_DIR/cache" "$VAR_DIR/broker/processed" "$VAR_DIR/broker/control" \
    "$VAR_DIR/private" "$VAR_DIR/mail"
VAR_DIR="$(cd "$VAR_DIR" && pwd)"
"$PY" scripts/dev_env.py write-run-env "$VAR_DIR/run.env"
export WEERBAAR_ENV_FILE="$VAR_DIR/run.env"
export WEERBAAR_VAR_DIR="$VAR_DIR"
export DJANGO_SETTINGS_MODULE=weerbaar.settings
export SITE_URL="${SITE_URL:-http://$HOST:$PORT}"
export PYTHONUNBUFFERED=1

say "Preparing the database: migrations, organisations, demo accounts"
"$PY" manage.py migrate --noinput --verbosity 0
# seed_demo loads all organisations (load_organisations) before the demo accounts; the list
# of accounts is printed at the end, when the portal answers. It refuses a database with real
# data (accounts no seeder made): the embedded one (var/db.sqlite3) is this machine's own, and
# accounts made while trying the portal out must not stop it; one given by DATABASE_URL is
# checked.
seed_args=()
[ -n "${DATABASE_URL:-}" ] || seed_args+=(--allow-real-data)
"$PY" manage.py seed_demo "${seed_args[@]}" >"$VAR_DIR/demo-accounts.txt"
grep -E '^(Organisaties|Demogeschiedenis):' "$VAR_DIR/demo-accounts.txt" || true
# The seats per organisation (reference data, loaded in production by docker/migrate.sh too):
# the monitor's rates divide by them where the portal does not know every office holder.
"$PY" manage.py load_seats
# In DEBUG (the embedded default) WhiteNoise serves static/ itself and pages link the plain
# names; collecting (and compressing) every file took longer than all the rest of the start.
debug="${DEBUG:-$(sed -n 's/^DEBUG=//p' "$VAR_DIR/run.env")}"
case "${debug,,}" in
    true | 1 | yes | on) ;;
    *) "$PY" manage.py collectstatic --noinput --verbosity 0 ;;
esac

# Each service runs in its own process group (job control on only while starting them), so
# Ctrl-C reaches only this script and its trap stops them in order.
pids=()
names=()

# Output goes to var/log/<name>.log whole, and to the terminal prefixed, without the lines
# that match QUIET (Celery's INFO lines: a task received and done every 30 s would push the
# demo accounts off the screen). The filter ignores Ctrl-C and TERM so that it still shows
# the service's shutdown lines; it ends when the service does.
QUIET='^[[][-0-9 :,]+: INFO/'
start() {
    local name="$1"
    shift
    set -m
    "$@" > >(
        trap '' INT TERM
        tee -a "$VAR_DIR/log/$name.log" \
            | awk -v p="$name | " -v quiet="$QUIET" '$0 !~ quiet { print p $0; fflush() }'
    ) 2>&1 &
    pids+=("$!")
    names+=("$name")
    set +m
}

stopping=0
stop_all() {
    [ "$stopping" = 0 ] || return 0
    stopping=1
    say "Stopping web, worker and beat"
    local pid waited=0
    # TERM to each main process: runserver's reloader ends its child, Celery finishes the task
    # it is running (warm shutdown) and ends its pool. Whatever is left after 10 s is killed.
    for pid in "${pids[@]}"; do
        kill -TERM "$pid" 2>/dev/null || true
    done
    for pid in "${pids[@]}"; do
        while kill -0 "$pid" 2>/dev/null && [ "$waited" -lt 100 ]; do
            sleep 0.1
            waited=$((waited + 1))
        done
        kill -KILL -- "-$pid" 2>/dev/null || true
    done
    wait 2>/dev/null || true
    say "Stopped"
}
trap 'stop_all; exit 130' INT
trap 'stop_all; exit 143' TERM
trap stop_all EXIT

# Where each log ends now: the waits below look only at what this run writes.
worker_log="$VAR_DIR/log/worker.log"
worker_offset=$(($(stat -c %s "$worker_log" 2>/dev/null || echo 0) + 1))

say "Starting web, worker and beat"
start web "$PY" manage.py runserver "$HOST:$PORT"
# --quiet: without Celery's start-up banners (30 lines of configuration and task names).
start worker "$VENV/bin/celery" --quiet -A weerbaar worker --loglevel INFO --concurrency 2 \
    --without-gossip --without-mingle --hostname "worker@%h"
start beat "$VENV/bin/celery" --quiet -A weerbaar beat --loglevel INFO \
    -s "$VAR_DIR/celerybeat-schedule"

"$PY" scripts/dev_env.py wait-http "http://$HOST:$PORT/health/" 60 || exit 1
# The worker's start-up lines (warnings, if any) come before the accounts, not in between.
for _ in $(seq 300); do
    # grep without -q: with pipefail, tail killed by SIGPIPE would fail the pipeline.
    tail -c "+$worker_offset" "$worker_log" 2>/dev/null | grep ' ready\.' >/dev/null && break
    sleep 0.2
done
echo
sed -n '/^Demo-accounts/,$p' "$VAR_DIR/demo-accounts.txt"
echo
say "Weerbaar Bestuur runs at http://$HOST:$PORT/"
say "Mail (e.g. \"Nieuwe melding\") is written to $VAR_DIR/mail/ and shown in the portal's"
say "inbox (Berichten); logs are in $VAR_DIR/log/. Ctrl-C stops web, worker and beat."

# When one of the three dies, stop the others too: a portal without its jobs is not running.
status=0
wait -n || status=$?
for i in "${!pids[@]}"; do
    if ! kill -0 "${pids[$i]}" 2>/dev/null; then
        say "${names[$i]} stopped (exit $status); stopping the rest"
    fi
done
exit "$status"
