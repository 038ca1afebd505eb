# Backprop Lab: the two commands a new user needs are `make run` and `make test`.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test setup dev-setup lint bench loadtest clean

$(PY):
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Python 3.11 is needed (set PYTHON=/path/to/python3.11)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt | $(PY)
	@echo "== installing the site's Python packages into $(VENV)"
	$(PIP) install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev-installed: requirements.txt requirements-dev.txt | $(PY)
	$(PIP) install --quiet -r requirements-dev.txt
	$(PY) -m ipykernel install --sys-prefix > /dev/null
	touch $@ $(VENV)/.installed

setup: $(VENV)/.installed
	@echo "== 1/4 database: applying migrations"
	@$(PY) manage.py migrate --noinput
	@echo "== 2/4 content: publishing content/"
	@$(PY) manage.py sync_content
	@echo "== 3/4 demo accounts"
	@$(PY) manage.py create_demo_accounts
	@echo "== 4/4 demo activity for the instructor dashboards"
	@$(PY) manage.py seed_demo_activity --students 30 --if-none

## make run: set up (venv, packages, database, content, demo accounts) and serve on http://127.0.0.1:8000
run: setup
	@echo "Serving Backprop Lab on http://$(HOST):$(PORT)/ (Ctrl+C to stop)"
	$(PY) manage.py runserver $(HOST):$(PORT)

dev-setup: $(VENV)/.dev-installed

lint: dev-setup
	$(VENV)/bin/ruff check .

## make test: install the dev tools, lint, and run the whole suite
test: dev-setup
	$(VENV)/bin/ruff check .
	$(PY) -m pytest

## make bench: print the benchmark figures (cnncore, content sync, lab, dashboards); nothing is asserted
bench: dev-setup
	$(PY) -m cnncore.bench
	$(PY) manage.py bench_content_sync --files 1000
	$(PY) manage.py bench_lab
	$(PY) manage.py bench_dashboards
	$(PY) manage.py bench_numeric
	$(PY) manage.py bench_login_throttle
	$(PY) manage.py bench_pages
	$(PY) manage.py bench_regrade
	$(PY) manage.py bench_lti
	$(PY) manage.py bench_interchange

## make loadtest: simulated students (Locust) against gunicorn on 127.0.0.1, then a database check.
## SQLite by default; set DATABASE_URL (and REDIS_URL) for PostgreSQL (+ Redis). See README.
LOADTEST_USERS ?= 50
LOADTEST_SECONDS ?= 60
LOADTEST_THINK ?= 5 15
LOADTEST_SERVERS ?= 1
LOADTEST_WORKERS ?= 2
LOADTEST_DB ?= sqlite:////tmp/backprop-loadtest.sqlite3
loadtest: dev-setup
	DJANGO_SETTINGS_MODULE=config.settings.bench DATABASE_URL="$${DATABASE_URL:-$(LOADTEST_DB)}" \
	  $(PY) manage.py loadtest --users $(LOADTEST_USERS) --seconds $(LOADTEST_SECONDS) --think $(LOADTEST_THINK) \
	  --servers $(LOADTEST_SERVERS) --workers $(LOADTEST_WORKERS)

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles test-artifacts .pytest_cache .ruff_cache
