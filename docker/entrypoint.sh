#!/bin/sh
# Entry point of the image. The database is migrated by the one-off "migrate" service of
# docker-compose.yml (docker/migrate.sh, as the owner of the tables), never by web, worker or
# beat: they connect as the app role, which may not change the schema.
set -eu

exec "$@"
