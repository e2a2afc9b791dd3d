#!/usr/bin/env bash
# The compose smoke test: docker-compose.yml run as a hosting party would, on a machine that
# reaches no image registry (README, "Smoke test"; tests/ops/test_compose_smoke.py runs it).
#
#  1. a Docker engine: Debian's docker.io (installed when missing), dockerd started when none
#     answers, and stopped again at the end when this script started it;
#  2. base images from Debian packages (docker/smoke/build_bases.sh: debootstrap + docker
#     import) standing in for the official python, node, postgres, redis and caddy images,
#     chosen through the compose file's own variables (POSTGRES_IMAGE, PYTHON_BASE, ...);
#  3. the portal's image with OFFLINE=1, from a wheelhouse (pip download against the lock's
#     hashes) and an npm cache made here on the host;
#  4. docker-compose up behind the proxy (tls internal); wait until healthy; plain HTTP
#     redirects; sign in through the proxy (the certificate checked against Caddy's CA) as a
#     demo raadslid, file a melding, see its notification mailed by the worker (the outbox row
#     sent, the mail in the sink's log); scale web to two, both replicas serve through the
#     proxy, and the migrations ran once; then docker-compose down -v.
#
# Exit codes: 0 passed; 1 failed (the reason above it); 77 could not run here (no root, no
# Docker engine can start: the reason on the last line, "SKIP: ...").
# Caches (debootstrap, root file systems, wheels, npm) in $SMOKE_CACHE, default
# /var/cache/weerbaar-smoke, outside git; a rerun takes a few minutes less.
#
#   bash scripts/compose_smoke.sh          KEEP=1 leaves the stack up for a look afterwards
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$REPO_ROOT"
export SMOKE_CACHE="${SMOKE_CACHE:-/var/cache/weerbaar-smoke}"
PROJECT="${SMOKE_PROJECT:-weerbaarsmoke}"
PY="${PY:-$REPO_ROOT/.venv/bin/python}"
[ -x "$PY" ] || PY=python3
START=$SECONDS

log() { printf '[smoke %s +%ss] %s\n' "$(date -u +%H:%M:%S)" "$((SECONDS - START))" "$*"; }
skip() { printf 'SKIP: %s\n' "$*"; exit 77; }
fail() { printf 'FAIL: %s\n' "$*" >&2; exit 1; }
timing() { printf 'TIME %s %ss\n' "$1" "$2"; }

[ "$(id -u)" = 0 ] || skip "the compose smoke test needs root (dockerd, debootstrap)."

# The build context's offline/ is filled for this run and emptied afterwards: not over
# packages someone put there for a build of their own.
for folder in offline/wheels offline/npm-cache; do
    [ -z "$(find "$folder" -mindepth 1 -not -name .keep -print -quit)" ] \
        || fail "$folder is not empty: move its contents aside first (the smoke test fills and empties it)."
done

# --- 1. a Docker engine --------------------------------------------------------------------------
need=()
command -v dockerd >/dev/null || need+=(docker.io)
command -v docker-compose >/dev/null || need+=(docker-compose)
command -v debootstrap >/dev/null || need+=(debootstrap)
if [ "${#need[@]}" -gt 0 ]; then
    log "apt-get install ${need[*]}"
    { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${need[@]}"; } \
        >"$SMOKE_CACHE.apt.log" 2>&1 || skip "could not install ${need[*]} (see $SMOKE_CACHE.apt.log)."
fi
mkdir -p "$SMOKE_CACHE"

started_dockerd=""
if ! docker info >/dev/null 2>&1; then
    log "starting dockerd"
    dockerd >"$SMOKE_CACHE/dockerd.log" 2>&1 &
    started_dockerd=$!
    for _ in $(seq 60); do
        docker info >/dev/null 2>&1 && break
        kill -0 "$started_dockerd" 2>/dev/null || break
        sleep 0.5
    done
    if ! docker info >/dev/null 2>&1; then
        reason="$(grep -iE 'level=(error|fatal)|failed' "$SMOKE_CACHE/dockerd.log" | tail -3 | tr '\n' ' ')"
        kill "$started_dockerd" 2>/dev/null || true
        skip "dockerd could not start on this machine: ${reason:-no answer within 30 s} ($SMOKE_CACHE/dockerd.log)"
    fi
fi

work="$(mktemp -d -t weerbaar-smoke.XXXXXX)"
COMPOSE=(docker-compose --project-name "$PROJECT" --env-file "$work/smoke.env"
    -f docker-compose.yml -f docker/smoke/compose.smoke.yml)
stack_up=""
cleanup() {
    local status=$?
    if [ -n "$stack_up" ]; then
        if [ "$status" != 0 ]; then
            log "logs of the failed run:"
            "${COMPOSE[@]}" ps || true
            "${COMPOSE[@]}" logs --no-color --tail 40 2>&1 | tail -200 || true
        fi
        if [ "${KEEP:-0}" = 1 ]; then
            log "KEEP=1: the stack is still up ($work/smoke.env)"
        else
            "${COMPOSE[@]}" down -v --remove-orphans >/dev/null 2>&1 || true
        fi
    fi
    find offline/wheels offline/npm-cache -mindepth 1 -maxdepth 1 -not -name .keep \
        -exec rm -rf {} +
    [ "${KEEP:-0}" = 1 ] || rm -rf "$work"
    if [ -n "$started_dockerd" ] && [ "${KEEP:-0}" != 1 ]; then
        kill "$started_dockerd" 2>/dev/null || true
        wait "$started_dockerd" 2>/dev/null || true
    fi
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- 2. base images ----------------------------------------------------------------------------
t=$SECONDS
declare -A BASE
while read -r role tag; do
    BASE[$role]="$tag"
done < <(bash docker/smoke/build_bases.sh python node postgres redis caddy)
for role in python node postgres redis caddy; do
    [ -n "${BASE[$role]:-}" ] || fail "no base image for $role"
done
timing bases $((SECONDS - t))

# --- 3. the portal's image, offline --------------------------------------------------------------
t=$SECONDS
log "wheelhouse and npm cache"
# Made again only when the lock changed (a stamp of its hash beside the cache).
lock_stamp="$(sha256sum <requirements.lock | cut -c1-16)"
if [ "$(cat "$SMOKE_CACHE/wheels.stamp" 2>/dev/null)" != "$lock_stamp" ]; then
    rm -rf "$SMOKE_CACHE/wheels"
    mkdir -p "$SMOKE_CACHE/wheels"
    "$PY" -m pip download --quiet --disable-pip-version-check --require-hashes --no-deps \
        -r requirements.lock -d "$SMOKE_CACHE/wheels" >"$work/pip.log" 2>&1 \
        || { tail -20 "$work/pip.log"; fail "pip download"; }
    # What pip needs to build the lock's sdists (http-ece) without an index.
    "$PY" -m pip download --quiet --disable-pip-version-check --no-deps setuptools wheel \
        -d "$SMOKE_CACHE/wheels" >>"$work/pip.log" 2>&1 \
        || { tail -20 "$work/pip.log"; fail "pip download setuptools wheel"; }
    echo "$lock_stamp" >"$SMOKE_CACHE/wheels.stamp"
fi
npm_stamp="$(sha256sum <package-lock.json | cut -c1-16)"
if [ "$(cat "$SMOKE_CACHE/npm-cache.stamp" 2>/dev/null)" != "$npm_stamp" ]; then
    rm -rf "$SMOKE_CACHE/npm-cache" "$work/npm"
    mkdir -p "$SMOKE_CACHE/npm-cache" "$work/npm"
    cp package.json package-lock.json "$work/npm/"
    (cd "$work/npm" && npm ci --omit=dev --ignore-scripts --no-audit --no-fund \
        --cache "$SMOKE_CACHE/npm-cache" >"$work/npm.log" 2>&1) \
        || { tail -20 "$work/npm.log"; fail "npm ci"; }
    echo "$npm_stamp" >"$SMOKE_CACHE/npm-cache.stamp"
fi
cp -l "$SMOKE_CACHE"/wheels/* offline/wheels/ 2>/dev/null || cp "$SMOKE_CACHE"/wheels/* offline/wheels/
cp -r "$SMOKE_CACHE/npm-cache/_cacache" offline/npm-cache/
timing packages $((SECONDS - t))

port="$("$PY" scripts/dev_env.py free-port)"
http_port="$("$PY" scripts/dev_env.py free-port)"
BASE_URL="https://localhost:$port"
key() { "$PY" -c 'import base64, os; print(base64.urlsafe_b64encode(os.urandom(32)).decode())'; }
secret() { "$PY" -c 'import secrets; print(secrets.token_hex(24))'; }
cat >"$work/smoke.env" <<EOF
APP_ENV_FILE=$work/smoke.env
POSTGRES_IMAGE=${BASE[postgres]}
REDIS_IMAGE=${BASE[redis]}
CADDY_IMAGE=${BASE[caddy]}
PYTHON_BASE=${BASE[python]}
NODE_BASE=${BASE[node]}
SMOKE_PYTHON_IMAGE=${BASE[python]}
PG_CLIENT_MAJOR=15
OFFLINE=1
WEERBAAR_IMAGE=weerbaar-bestuur:smoke
POSTGRES_PASSWORD=$(secret)
WEERBAAR_OWNER_PASSWORD=$(secret)
WEERBAAR_APP_PASSWORD=$(secret)
SECRET_KEY=$(secret)$(secret)
FIELD_ENCRYPTION_KEYS=k1:$(key)
SEARCH_INDEX_KEY=$(key)
BACKUP_ENCRYPTION_KEY=$(key)
ALLOWED_HOSTS=localhost
CSRF_TRUSTED_ORIGINS=$BASE_URL
SITE_URL=$BASE_URL
SITE_ADDRESS=localhost
CADDY_TLS=internal
HTTPS_PUBLISH=127.0.0.1:$port
HTTP_PUBLISH=127.0.0.1:$http_port
EMAIL_URL=smtp://mailsink:1025
DEMO_MODE=true
WEB_CONCURRENCY=2
EOF

log "docker-compose build"
t=$SECONDS
DOCKER_BUILDKIT=0 COMPOSE_DOCKER_CLI_BUILD=0 "${COMPOSE[@]}" build --force-rm migrate >"$work/build.log" 2>&1 \
    || { tail -40 "$work/build.log"; fail "docker-compose build"; }
timing image $((SECONDS - t))
image_size="$(docker image inspect -f '{{.Size}}' weerbaar-bestuur:smoke)"
log "image weerbaar-bestuur:smoke: $((image_size / 1024 / 1024)) MB"
for forbidden in /app/tests /app/perf /app/offline /app/weerbaar/bench /app/weerbaar/loadgen; do
    if docker run --rm --entrypoint test weerbaar-bestuur:smoke -e "$forbidden"; then
        fail "$forbidden is in the production image"
    fi
done

# --- 4. the stack --------------------------------------------------------------------------------
log "docker-compose up"
t=$SECONDS
stack_up=1
"${COMPOSE[@]}" up -d >"$work/up.log" 2>&1 || { cat "$work/up.log"; fail "docker-compose up"; }
"${COMPOSE[@]}" exec -T proxy cat /data/caddy/pki/authorities/local/root.crt >"$work/root.crt" 2>/dev/null \
    || true
for _ in $(seq 30); do
    [ -s "$work/root.crt" ] && break
    sleep 1
    "${COMPOSE[@]}" exec -T proxy cat /data/caddy/pki/authorities/local/root.crt >"$work/root.crt" 2>/dev/null || true
done
[ -s "$work/root.crt" ] || fail "Caddy made no internal CA root"
"$PY" docker/smoke/client.py wait "$BASE_URL" "$work/root.crt" 180 >"$work/health.json" \
    || fail "the stack did not become healthy through the proxy"
timing stack_up $((SECONDS - t))
log "healthy through the proxy: $(head -c 300 "$work/health.json")"
"$PY" docker/smoke/client.py redirect "http://127.0.0.1:$http_port" || fail "plain HTTP"

for service in db redis web; do
    id="$("${COMPOSE[@]}" ps -q "$service")"
    state="$(docker inspect -f '{{.State.Health.Status}}' "$id")"
    [ "$state" = healthy ] || fail "$service is $state"
done
[ -z "$(docker port "$("${COMPOSE[@]}" ps -q web)")" ] || fail "web publishes a port on the host"

log "demo accounts (seed_demo --without-history, as the app role)"
"${COMPOSE[@]}" exec -T web python manage.py seed_demo --without-history >"$work/seed.log" 2>&1 \
    || { tail -20 "$work/seed.log"; fail "seed_demo"; }
password="$("$PY" -c 'import re,sys; print(re.search(r"wachtwoord voor allemaal: (\S+?)\)", open(sys.argv[1]).read()).group(1))' "$work/seed.log")"

log "sign in through the proxy and file a melding"
melding="$("$PY" docker/smoke/client.py file "$BASE_URL" "$work/root.crt" raadslid@utrecht.demo "$password")" \
    || fail "signing in or filing through the proxy"
log "melding $melding filed"

psql() { "${COMPOSE[@]}" exec -T db psql -U postgres -d weerbaar -Atq -c "$1"; }
log "waiting for the worker to mail its notification"
sent=""
for _ in $(seq 60); do
    sent="$(psql "SELECT count(*) FROM weerbaar_notification WHERE link LIKE '%/meldingen/$melding/%' AND status = 'sent'")"
    [ "${sent:-0}" -gt 0 ] && break
    sleep 2
done
[ "${sent:-0}" -gt 0 ] || fail "no notification of melding $melding was sent within 120 s: $(psql "SELECT status, last_error FROM weerbaar_notification WHERE link LIKE '%/meldingen/$melding/%'")"
read -r notification subject < <(psql "SELECT id || ' ' || subject FROM weerbaar_notification WHERE link LIKE '%/meldingen/$melding/%' AND status = 'sent' ORDER BY id LIMIT 1")
"${COMPOSE[@]}" logs --no-color mailsink >"$work/mail.log"
# The sink prints each mail: the portal's Message-ID names the outbox row.
grep -qF "Message-ID: <notification-$notification." "$work/mail.log" \
    || fail "the mail sink did not receive notification $notification ('$subject')"
grep -qF "/meldingen/$melding/" "$work/mail.log" || fail "no mail links to melding $melding"
if grep -qF "Rookproef" "$work/mail.log"; then
    fail "a mail carried the melding's description"
fi
log "$sent notification(s) of melding $melding mailed by the worker: '$subject'"

log "scale web to 2"
migrations_before="$(psql "SELECT count(*), max(applied) FROM django_migrations")"
"${COMPOSE[@]}" up -d --scale web=2 >"$work/scale.log" 2>&1 || { cat "$work/scale.log"; fail "scale"; }
for _ in $(seq 90); do
    healthy=0
    for id in $("${COMPOSE[@]}" ps -q web); do
        [ "$(docker inspect -f '{{.State.Health.Status}}' "$id")" = healthy ] && healthy=$((healthy + 1))
    done
    [ "$healthy" = 2 ] && break
    sleep 2
done
[ "$healthy" = 2 ] || fail "two healthy web replicas expected, $healthy"
sleep 6 # the proxy looks the replicas up every 5 s
"$PY" docker/smoke/client.py get "$BASE_URL" "$work/root.crt" /accounts/login/ 12 || fail "through the proxy with 2 replicas"
# Each replica's log goes to a file first: with pipefail, `docker logs | grep -q` fails
# whenever grep stops reading before docker logs has written everything (SIGPIPE).
for id in $("${COMPOSE[@]}" ps -q web); do
    docker logs "$id" >"$work/web-$id.log" 2>&1
    grep -q '/accounts/login/' "$work/web-$id.log" || fail "web replica $id served nothing through the proxy"
    if grep -qE 'Applying [A-Za-z0-9_]+\.[0-9]{4}|Running migrations' "$work/web-$id.log"; then
        fail "web replica $id ran migrations"
    fi
done
migrations_after="$(psql "SELECT count(*), max(applied) FROM django_migrations")"
[ "$migrations_before" = "$migrations_after" ] \
    || fail "migrations changed when scaling: $migrations_before -> $migrations_after"
duplicates="$(psql "SELECT count(*) FROM (SELECT app, name FROM django_migrations GROUP BY 1, 2 HAVING count(*) > 1) d")"
[ "$duplicates" = 0 ] || fail "$duplicates migrations recorded twice"
# Each migration applied once, by the migrate job: its log names every row of
# django_migrations, none twice.
"${COMPOSE[@]}" logs --no-color migrate | grep -oE 'Applying [A-Za-z0-9_]+\.[0-9]{4}[A-Za-z0-9_]*' \
    | sort >"$work/applied.txt" || true
rows="${migrations_after%%|*}"
applied="$(wc -l <"$work/applied.txt")"
[ -z "$(uniq -d "$work/applied.txt")" ] || fail "applied twice: $(uniq -d "$work/applied.txt" | head -3)"
[ "$applied" = "$rows" ] || fail "the migrate job applied $applied migrations, django_migrations has $rows rows"
log "migrations ran once: $rows applied by the migrate job, none by the web replicas"

"${COMPOSE[@]}" down -v --remove-orphans >/dev/null 2>&1
stack_up=""
[ -z "$(docker volume ls -q --filter "label=com.docker.compose.project=$PROJECT")" ] \
    || fail "volumes left after down -v"
# Build stages of earlier runs are the cache of the next; older than a day they only take disk.
docker image prune -f --filter until=24h >/dev/null 2>&1 || true
timing total $((SECONDS - START))
echo "compose smoke test passed"
