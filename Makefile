# Weerbaar Bestuur portal. Two commands matter:
#   make run     the whole portal on this machine (SQLite, file broker), demo accounts printed
#   make test    the test suite against PostgreSQL and Redis (throwaway instances if needed)
# Variables: PORT=8001 make run; make test PYTEST_ARGS="tests/weerbaar -x"

PYTEST_ARGS ?=
PORT ?= 8000

.PHONY: help setup run test lint format ci bench

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

format: setup
	.venv/bin/ruff check --fix .
	.venv/bin/ruff format .

ci:
	bash .ci/run

# Load data at SCALE (1 = 100 000 meldingen) into DATABASE_URL, then measure; see README.
SCALE ?= 0.1
bench: setup
	DJANGO_SETTINGS_MODULE=tests.settings .venv/bin/python manage.py seed_load --scale $(SCALE)
	DJANGO_SETTINGS_MODULE=tests.settings .venv/bin/python manage.py bench --scale-label $(SCALE) --json bench.json
