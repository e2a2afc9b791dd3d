# Weerbaar Bestuur portal. Two commands matter:
#   make run     the whole portal on this machine (SQLite, file broker), demo accounts printed
#   make test    the test suite against PostgreSQL and Redis (throwaway instances if needed)
# Variables: PORT=8001 make run; make test PYTEST_ARGS="tests/weerbaar -x"

PYTEST_ARGS ?=
PORT ?= 8000

.PHONY: help setup run test lint lint-ops format ci bench lock lock-upgrade

help:
	@sed -n '2,4p' Makefile | sed 's/^# *//'

setup:
	bash scripts/bootstrap.sh

run:
	PORT="$(PORT)" bash scripts/run.sh

test:
	PYTEST_ARGS="$(PYTEST_ARGS)" bash scripts/test.sh

lint: setup
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .

# The compose files against the Compose schema, the Dockerfile with hadolint.
lint-ops: setup
	bash scripts/lint_ops.sh

format: setup
	.venv/bin/ruff check --fix .
	.venv/bin/ruff format .

ci:
	bash .ci/run

# Python lock files (scripts/lock.sh): after editing pyproject.toml, `make lock` and commit both
# requirements*.lock with it; existing pins stay. `make lock-upgrade` takes the newest releases
# pyproject.toml allows, `make lock-upgrade PACKAGE=django` only that one. Both end by installing
# the new lock into .venv.
PACKAGE ?=
lock:
	@[ -x .venv/bin/uv ] || bash scripts/bootstrap.sh
	bash scripts/lock.sh
	bash scripts/bootstrap.sh

lock-upgrade:
	@[ -x .venv/bin/uv ] || bash scripts/bootstrap.sh
	bash scripts/lock.sh $(if $(PACKAGE),--upgrade-package $(PACKAGE),--upgrade)
	bash scripts/bootstrap.sh

# Load data at SCALE (1 = 100 000 meldingen) into DATABASE_URL, then measure; see README.
SCALE ?= 0.1
bench: setup
	DJANGO_SETTINGS_MODULE=tests.settings .venv/bin/python manage.py seed_load --scale $(SCALE)
	DJANGO_SETTINGS_MODULE=tests.settings .venv/bin/python manage.py bench --scale-label $(SCALE) --json bench.json
