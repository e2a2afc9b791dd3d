#!/bin/sh
# Entry point of the image. With WEERBAAR_MIGRATE_ON_START=true (the web service in
# docker-compose.yml) the database is migrated and the organisations are loaded before the
# command starts; worker and beat leave it off, so that one container migrates, not three.
set -eu

if [ "${WEERBAAR_MIGRATE_ON_START:-false}" = "true" ]; then
    python manage.py migrate --noinput
    python manage.py load_organisations
fi

exec "$@"
