# HostPolicy: two commands do everything on a fresh machine.
#   make run    set up .venv and serve the app on http://127.0.0.1:8000 (SQLite), with the PDF worker
#   make test   set up .venv with the test tools, type-check generator/ (mypy) and run the whole suite
# Both are idempotent: they install only what is missing.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1
PORT ?= 8000

# Debian packages: WeasyPrint's Pango/HarfBuzz for the PDF; Chromium and poppler for the tests;
# PostgreSQL's server for the database-touching tests (a throwaway cluster, scripts/with-postgres.sh).
RUN_DEBS := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 libharfbuzz0b shared-mime-info
TEST_DEBS := $(RUN_DEBS) chromium poppler-utils postgresql
# The tests that touch the database, run a second time on PostgreSQL (NUL bytes and lone
# surrogates fail only there).
PG_TESTS := tests/test_wizard.py tests/test_hardening_input.py tests/test_bounds.py tests/test_limits.py \
	tests/test_tasks.py tests/test_fuzz.py tests/test_wizard_dpa.py tests/test_public.py \
	tests/test_public_subprocessors.py

.PHONY: run test bench loadtest setup setup-dev check lint migrate clean

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

$(VENV)/.requirements: requirements.txt | $(PY)
	$(PIP) install --quiet -r requirements.txt
	touch $@

$(VENV)/.requirements-dev: requirements.txt requirements-dev.txt | $(PY)
	$(PIP) install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.requirements

setup: $(VENV)/.requirements
	@scripts/ensure-debs.sh $(RUN_DEBS)

setup-dev: $(VENV)/.requirements-dev
	@scripts/ensure-debs.sh $(TEST_DEBS)

migrate: setup
	$(PY) manage.py migrate --noinput

# The web server and, beside it, the task worker that renders PDFs (generator.tasks).
run: migrate
	PY=$(PY) HOST=$(HOST) PORT=$(PORT) scripts/run.sh

test: setup-dev
	$(PY) manage.py check_clauses
	$(PY) -m mypy generator
	$(PY) -m pytest
	scripts/with-postgres.sh $(PY) -m pytest -m "not browser" $(PG_TESTS)

bench: setup-dev
	$(PY) -m generator.bench

$(VENV)/.requirements-loadtest: requirements.txt requirements-loadtest.txt | $(PY)
	$(PIP) install --quiet -r requirements-loadtest.txt
	touch $@

# 50 simulated users for 60 s against gunicorn in production mode on 127.0.0.1 (USERS=, DURATION=).
loadtest: setup $(VENV)/.requirements-loadtest
	PY=$(PY) scripts/loadtest.sh

clean:
	rm -rf $(VENV) staticfiles .pytest_cache
