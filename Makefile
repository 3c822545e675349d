# The commands a person types. Everything installs into .venv from pyproject.toml.
PYTHON_VERSION ?= 3.13
VENV ?= .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
HOST ?= 127.0.0.1
PORT ?= 8000
# pytest-xdist workers for `make test`; 0 runs the suite in this one process.
TEST_WORKERS ?= 2

.PHONY: help venv install run test seed editor migrate check clean backup restore bench lighthouse messages

help:
	@echo "make run     - set up (venv, install, migrate, seed if empty) and serve on http://$(HOST):$(PORT)"
	@echo "make test    - set up and run the whole test suite (SQLite, or DATABASE_URL; TEST_WORKERS=2)"
	@echo "make check   - Django checks, missing migrations and the import layers contract"
	@echo "make seed    - recreate the schema in the configured database and load the seed catalogue"
	@echo "make editor  - create an editor account (prompts for a password; USER_NAME=anna EMAIL=...)"
	@echo "make backup  - back up the configured database into backups/"
	@echo "make restore FILE=backups/... - replace the database with a backup (asks first)"
	@echo "make bench   - load 100,000 films into PostgreSQL and benchmark pages and API (~12 min; ~15 when it generates the catalogue)"
	@echo "make lighthouse - Lighthouse scores of the home, a list, a film and the browse page (needs npm)"

# Prefer the pyenv-provided 3.13 (.python-version); fall back to any python3.13/3.12.
$(VENV)/bin/python:
	@set -e; \
	for candidate in "$$(pyenv which python$(PYTHON_VERSION) 2>/dev/null)" python$(PYTHON_VERSION) python3.12 python3; do \
		if [ -n "$$candidate" ] && command -v "$$candidate" >/dev/null 2>&1 && \
		   "$$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 12))'; then \
			echo "Creating $(VENV) with $$("$$candidate" --version)"; \
			"$$candidate" -m venv $(VENV); exit 0; \
		fi; \
	done; \
	echo "Python 3.12+ is required (Django 6.1); install 3.13 (pyenv install 3.13)." >&2; exit 1

venv: $(VENV)/bin/python

# Reinstall only when pyproject.toml changes.
$(VENV)/.installed: pyproject.toml | $(VENV)/bin/python
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[test]"
	@touch $@

install: $(VENV)/.installed

migrate: install
	$(MANAGE) migrate --no-input

# After translating locale/ru/LC_MESSAGES/django.po (the .mo is committed and tested to match).
messages: install
	$(MANAGE) compile_translations

run: migrate
	$(MANAGE) seed --if-empty
	@echo ""
	@echo "Kinoteka: http://$(HOST):$(PORT)/   admin: http://$(HOST):$(PORT)/admin/"
	@echo "Create an editor account with:  make editor USER_NAME=anna   (superuser: $(MANAGE) createsuperuser)"
	@echo ""
	$(MANAGE) runserver $(HOST):$(PORT)

seed: migrate
	$(MANAGE) seed --reset

# An editor is staff in the Editors group, not a superuser (editors may not manage users,
# delete films or delete a published list): make editor USER_NAME=anna
editor: migrate
	$(MANAGE) create_editor "$(or $(USER_NAME),$(USER))" $(if $(EMAIL),--email "$(EMAIL)")

# Django's checks, no missing migration, and the floors' import contract (docs/architecture.md).
check: install
	$(MANAGE) check
	$(MANAGE) makemigrations --check --dry-run
	$(VENV)/bin/lint-imports

# --dist loadfile keeps each test module on one worker: its tests share module-scoped
# fixtures (the seed catalogue) and state (tests/api/test_api_schema.py counts its cases).
test: install
	$(PY) -m pytest -n $(TEST_WORKERS) --dist loadfile $(PYTEST_ARGS)

# Backups (ops app): pg_dump/pg_restore on PostgreSQL, the backup API on SQLite.
backup: install
	$(MANAGE) backup

restore: install
	@test -n "$(FILE)" || { echo "Usage: make restore FILE=backups/kinoteka-....dump" >&2; exit 2; }
	$(MANAGE) restore "$(FILE)"

# Benchmark: gunicorn + wrk against PostgreSQL database kinoteka_bench
# (BENCH_PG_SERVER, BENCH_FILMS, BENCH_DURATION... see bench/run.py); docs/performance.md.
bench: install
	$(PY) -m pip install --quiet -e ".[bench]"
	$(PY) bench/run.py $(BENCH_ARGS)

# Lighthouse (docs/site.md): npm's lighthouse against Debian's Chromium.
LIGHTHOUSE_DIR ?= /tmp/kinoteka-lighthouse
lighthouse: install
	@test -x $(LIGHTHOUSE_DIR)/node_modules/.bin/lighthouse || \
		npm install --prefix $(LIGHTHOUSE_DIR) --no-audit --no-fund --silent "lighthouse@^12"
	CHROME_PATH=$${CHROME_PATH:-/usr/bin/chromium} LIGHTHOUSE_REPORTS=$(LIGHTHOUSE_DIR)/reports \
		$(PY) tests/browser/lighthouse.py $(LIGHTHOUSE_DIR)/node_modules/.bin/lighthouse

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles .pytest_cache
