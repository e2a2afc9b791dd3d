#!/bin/sh
# The one-off migrate job of docker-compose.yml, as the owner of the tables: migrate, give the
# app role its rights on whatever the migrations made (weerbaar/dbroles.py), load the
# reference data. Web, worker and beat start when it has succeeded.
set -eu

python manage.py migrate --noinput
python manage.py grant_app_role --role "${WEERBAAR_APP_ROLE:-weerbaar_app}"
python manage.py load_organisations
python manage.py load_seats
