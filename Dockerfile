# Weerbaar Bestuur portal: one image for web (gunicorn), worker and beat (celery).
#   docker build -t weerbaar .        then see docker-compose.yml
#
# Base images are build arguments, by default the official images at a fixed version; a hosting
# party with its own (hardened, mirrored) images passes theirs:
#   docker build --build-arg PYTHON_BASE=registry.example.nl/python:3.11 \
#                --build-arg NODE_BASE=registry.example.nl/node:20 .
# Without access to PyPI or npm (an air-gapped build, and scripts/compose_smoke.sh), put the
# packages in offline/ first (offline/README.md) and pass --build-arg OFFLINE=1: pip then
# installs from offline/wheels only (--no-index, still checked against the lock's hashes) and
# npm from the cache in offline/npm-cache only.
# Neither the tests nor the bench and load tooling (perf/) go into the image (.dockerignore).
ARG PYTHON_BASE=python:3.11.11-slim-bookworm
ARG NODE_BASE=node:20.18.1-bookworm-slim

# --- front-end assets: NL Design System CSS from npm into static/vendor ------------------------
FROM ${NODE_BASE} AS assets
ARG OFFLINE=0
WORKDIR /src
COPY package.json package-lock.json ./
COPY offline/npm-cache /offline/npm-cache
RUN if [ "$OFFLINE" = 1 ]; then set -- --offline --cache /offline/npm-cache; fi \
    && npm ci --omit=dev --no-audit --no-fund "$@"
# The CSS is cut to what the templates, Python and JavaScript use: they are read here.
COPY scripts/build_static.sh scripts/build_css.mjs scripts/build_js.mjs scripts/
COPY templates templates
COPY weerbaar weerbaar
COPY incidents incidents
COPY veiligwonen veiligwonen
COPY otwb otwb
COPY monitor monitor
COPY api api
COPY webhooks webhooks
COPY static static
RUN sh scripts/build_static.sh

# --- Python dependencies in a virtualenv, built apart so the runtime has no pip cache -----------
FROM ${PYTHON_BASE} AS python-deps
ARG OFFLINE=0
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
RUN python -m venv /opt/venv
COPY requirements.lock /tmp/requirements.lock
COPY offline/wheels /wheels
# Only the runtime dependencies, at the versions of the lock, each file checked against its
# hash (see scripts/lock.sh), from PyPI or, with OFFLINE=1, from the wheelhouse alone. The code
# itself runs from /app, so a code change does not reinstall them and there is one copy of
# each module.
RUN if [ "$OFFLINE" = 1 ]; then set -- --no-index --find-links /wheels; fi \
    && /opt/venv/bin/pip install --require-hashes -r /tmp/requirements.lock "$@"

# --- the code, without offline/ (the packages of an offline build are not for the image) -------
FROM ${PYTHON_BASE} AS source
COPY . /src
RUN rm -rf /src/offline

# --- runtime ----------------------------------------------------------------------------------
FROM ${PYTHON_BASE} AS runtime
# WeasyPrint needs Pango/HarfBuzz/fontconfig; python-magic needs libmagic; gettext for
# compilemessages. Fonts for documents are our own (static/fonts). A base that has them all
# already (a hosting party's, or the smoke test's Debian-built one) skips apt-get.
# DL3008 (pin apt versions): not pinned on purpose. The base image fixes the Debian release
# (bookworm), which fixes each library's upstream version; an exact pin would only stop the
# image from getting that release's security updates, and breaks the build as soon as the
# security archive replaces the pinned build, as it routinely does.
# SC2086: $missing is a list of package names, split into words on purpose.
# hadolint ignore=DL3008,SC2086
RUN set -- libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libfontconfig1 fonts-dejavu-core \
        libmagic1 gettext \
    && missing="" \
    && for package in "$@"; do \
        [ "$(dpkg-query -W -f='${db:Status-Status}' "$package" 2>/dev/null)" = installed ] \
            || missing="$missing $package"; \
    done \
    && if [ -n "$missing" ]; then \
        apt-get update \
        && apt-get install -y --no-install-recommends $missing \
        && rm -rf /var/lib/apt/lists/*; \
    fi
# pg_dump/pg_restore for "manage.py backup"/"restore": the major version of the server or newer
# (docker-compose.yml runs postgres:16; Debian bookworm ships client 15). Any other version
# comes from the PostgreSQL project's apt repository, whose key is in Debian's
# postgresql-common; PG_CLIENT_MAJOR=15 needs Debian's mirror alone. Not pinned, as above.
ARG PG_CLIENT_MAJOR=16
# hadolint ignore=DL3008
RUN if [ "$(dpkg-query -W -f='${db:Status-Status}' "postgresql-client-${PG_CLIENT_MAJOR}" \
        2>/dev/null)" != installed ]; then \
        apt-get update \
        && if [ "$PG_CLIENT_MAJOR" != 15 ]; then \
            apt-get install -y --no-install-recommends ca-certificates postgresql-common \
            && /usr/share/postgresql-common/pgdg/apt.postgresql.org.sh -y; \
        fi \
        && apt-get install -y --no-install-recommends "postgresql-client-${PG_CLIENT_MAJOR}" \
        && rm -rf /var/lib/apt/lists/*; \
    fi

RUN groupadd --system --gid 10001 weerbaar \
    && useradd --system --uid 10001 --gid weerbaar --home-dir /app --shell /usr/sbin/nologin weerbaar

ENV PATH="/opt/venv/bin:$PATH" \
    PYTHONPATH=/app \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    DJANGO_SETTINGS_MODULE=weerbaar.settings \
    WEERBAAR_VAR_DIR=/app/var \
    STATIC_ROOT=/app/staticfiles \
    WEB_CONCURRENCY=3

WORKDIR /app
COPY --from=python-deps /opt/venv /opt/venv
COPY --from=source /src /app
COPY --from=assets /src/static/vendor /app/static/vendor

# collectstatic and compilemessages load the settings, which insist on their secrets. These
# values exist only for this step: they are not ENV, so they are not in the image.
RUN python scripts/subset_fonts.py \
    && SECRET_KEY=build-only-not-a-secret \
    FIELD_ENCRYPTION_KEYS=k1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA= \
    SEARCH_INDEX_KEY=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA= \
    DATABASE_URL=sqlite:////tmp/build.sqlite3 \
    python manage.py collectstatic --noinput --verbosity 1 \
    && SECRET_KEY=build-only-not-a-secret \
    FIELD_ENCRYPTION_KEYS=k1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA= \
    SEARCH_INDEX_KEY=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA= \
    DATABASE_URL=sqlite:////tmp/build.sqlite3 \
    python manage.py compilemessages \
    && rm -f /tmp/build.sqlite3 \
    && mkdir -p /app/var/private /app/var/backups \
    && chown -R weerbaar:weerbaar /app/var \
    && chmod +x /app/docker/entrypoint.sh

# Each process of a container (gunicorn's workers, Celery's pool) writes its metric values
# here; a scrape adds them up. The entry point empties it at container start.
ENV PROMETHEUS_MULTIPROC_DIR=/tmp/weerbaar-metrics

# Numeric, so that a host or an orchestrator can tell that the user is not root.
USER 10001:10001
EXPOSE 8000

HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "/app/docker/healthcheck.py"]

ENTRYPOINT ["/app/docker/entrypoint.sh"]
# Workers, preloading, timeouts and restarts: docker/gunicorn.conf.py (the load test of
# manage.py bench uses the same file).
CMD ["gunicorn", "weerbaar.wsgi", "--config", "/app/docker/gunicorn.conf.py"]
