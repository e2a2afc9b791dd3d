# syntax=docker/dockerfile:1
# Weerbaar Bestuur portal: one image for web (gunicorn), worker and beat (celery).
#   docker build -t weerbaar .        then see docker-compose.yml

# --- front-end assets: NL Design System CSS from npm into static/vendor ------------------------
FROM node:20-bookworm-slim AS assets
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund
# The CSS is cut to what the templates, Python and JavaScript use: they are read here.
COPY scripts/build_static.sh scripts/build_css.mjs scripts/
COPY templates templates
COPY weerbaar weerbaar
COPY incidents incidents
COPY veiligwonen veiligwonen
COPY otwb otwb
COPY monitor monitor
COPY static static
RUN sh scripts/build_static.sh

# --- Python dependencies in a virtualenv, built apart so the runtime has no pip cache -----------
FROM python:3.11-slim-bookworm AS python-deps
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
RUN python -m venv /opt/venv
COPY pyproject.toml /tmp/pyproject.toml
# Only the dependencies from pyproject.toml: the code itself runs from /app, so a code change
# does not reinstall them and there is one copy of each module.
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('/tmp/pyproject.toml', 'rb'))['project']['dependencies']))" > /tmp/requirements.txt \
    && /opt/venv/bin/pip install -r /tmp/requirements.txt

# --- runtime ----------------------------------------------------------------------------------
FROM python:3.11-slim-bookworm AS runtime
# WeasyPrint needs Pango/HarfBuzz/fontconfig; python-magic needs libmagic; gettext for
# compilemessages. Fonts for documents are our own (static/fonts).
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libfontconfig1 fonts-dejavu-core \
        libmagic1 gettext \
    && rm -rf /var/lib/apt/lists/*

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
COPY . /app
COPY --from=assets /src/static/vendor /app/static/vendor

# collectstatic and compilemessages load the settings, which insist on their secrets. These
# values exist only for this step: they are not ENV, so they are not in the image.
RUN python scripts/subset_fonts.py \
    && SECRET_KEY=build-only-not-a-secret \
    FIELD_ENCRYPTION_KEYS=k1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA= \
    DATABASE_URL=sqlite:////tmp/build.sqlite3 \
    python manage.py collectstatic --noinput --verbosity 1 \
    && SECRET_KEY=build-only-not-a-secret \
    FIELD_ENCRYPTION_KEYS=k1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA= \
    DATABASE_URL=sqlite:////tmp/build.sqlite3 \
    python manage.py compilemessages \
    && rm -f /tmp/build.sqlite3 \
    && mkdir -p /app/var/private \
    && chown -R weerbaar:weerbaar /app/var \
    && chmod +x /app/docker/entrypoint.sh

USER weerbaar
EXPOSE 8000

HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "/app/docker/healthcheck.py"]

ENTRYPOINT ["/app/docker/entrypoint.sh"]
# Workers, preloading, timeouts and restarts: docker/gunicorn.conf.py (the load test of
# manage.py bench uses the same file).
CMD ["gunicorn", "weerbaar.wsgi", "--config", "/app/docker/gunicorn.conf.py"]
