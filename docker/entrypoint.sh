#!/bin/sh
# Entry point of the image. The database is migrated by the one-off "migrate" service of
# docker-compose.yml (docker/migrate.sh, as the owner of the tables), never by web, worker or
# beat: they connect as the app role, which may not change the schema.
set -eu

# Metric values of this container's processes (prometheus_client's multiprocess mode): start
# each container with none, so a restart does not add up the previous run's files.
if [ -n "${PROMETHEUS_MULTIPROC_DIR:-}" ]; then
    rm -rf "$PROMETHEUS_MULTIPROC_DIR"
    mkdir -p "$PROMETHEUS_MULTIPROC_DIR"
fi

exec "$@"
