# Pathwise: `make run` serves the app with embedded defaults; `make test` runs every check.
SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin
# The newest Python 3.12+ on this machine (plain names first, then pyenv's installs).
PYTHON ?= $(shell for p in python3.14 python3.13 python3.12 \
	$$(ls -d $$HOME/.pyenv/versions/3.1[2-9]*/bin/python3 2>/dev/null | sort -rV) python3 python; do \
	  if "$$p" -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1; then echo "$$p"; break; fi; \
	done)
HOST ?= 127.0.0.1
PORT ?= 8000
# The laptop targets (content, demo, run): DEBUG on unless said otherwise (without it, settings
# want a SECRET_KEY), and links in e-mails point at the address runserver serves.
DEV_SITE_URL = $(or $(SITE_URL),http://$(HOST):$(PORT))
DEV_ENV = DEBUG=$${DEBUG:-1} SITE_URL="$(DEV_SITE_URL)"

.PHONY: run test setup content demo lint typecheck pytest bench serve-prod stop-prod load clean

$(VENV)/.installed: requirements.txt requirements-dev.txt
	@test -n "$(PYTHON)" || { echo "Python 3.12 or newer is required (none found on PATH)."; exit 1; }
	@echo "Using $$($(PYTHON) --version) at $(PYTHON)"
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $@

setup: $(VENV)/.installed

content: setup
	$(DEV_ENV) $(BIN)/python manage.py migrate --noinput
	$(DEV_ENV) $(BIN)/python manage.py import_content fixtures/content.json

demo: content
	$(DEV_ENV) $(BIN)/python manage.py create_demo_accounts

run: demo
	$(DEV_ENV) $(BIN)/python manage.py runserver $(HOST):$(PORT)

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: setup
	$(BIN)/mypy .

# Two pytest-xdist workers by default (each has its own test database and Redis database, see
# tests/settings.py); a file's tests stay on one worker, so its servers and Celery worker start once.
# PYTEST_WORKERS=0 runs in one process.
PYTEST_WORKERS ?= 2
pytest: setup
	$(BIN)/python -m pytest $(if $(filter-out 0,$(PYTEST_WORKERS)),-n $(PYTEST_WORKERS) --dist loadfile) $(PYTEST_ARGS)

test: lint typecheck pytest

# Benchmarks (bench/): figures and budgets printed, in a throwaway test database of DATABASE_URL.
# `make bench BENCH=plan_page` runs one of them; `make bench BENCH=scale` the PostgreSQL scale run
# (100,000 learners, 5M progress rows, ~10 min; SCALE_LEARNERS=5000 SCALE_PROGRESS=250000 for a quick one).
bench: setup
	$(BIN)/python -m bench $(BENCH)

# ---- production-style processes, natively (the docker-compose stack without Docker) -------------
# gunicorn + Celery worker + Celery beat against the local PostgreSQL and Redis, with production
# settings except those that need TLS: plain http on 127.0.0.1 cannot carry HSTS, an https redirect
# or Secure cookies, so SECURE_SSL_REDIRECT=0, SECURE_HSTS_SECONDS=0 and SECURE_COOKIES=0 here.
PROD_PORT ?= 8001
PROD_DIR := var/prod
PROD_DATABASE_URL := $(or $(DATABASE_URL),postgres://postgres@127.0.0.1:5432/pathwise_prod)
PROD_REDIS_URL := $(or $(REDIS_URL),redis://127.0.0.1:6379/1)
WEB_CONCURRENCY ?= 4
# As docker-compose runs it: sync workers, recycled now and then (jittered, never all at once); the
# app is loaded once in the master (--preload), so a recycled worker is a fork, not a second start of
# Django (~1.5 s of CPU each, taken from the workers still answering).
GUNICORN_OPTS ?= --preload --max-requests 2000 --max-requests-jitter 200 --graceful-timeout 20
PROD_ENV = DEBUG=0 STATIC_MANIFEST=1 LOG_FORMAT=json \
	SECRET_KEY="$${SECRET_KEY:-$$(cat $(PROD_DIR)/secret_key)}" \
	ALLOWED_HOSTS=127.0.0.1,localhost SITE_URL=http://127.0.0.1:$(PROD_PORT) \
	DATABASE_URL=$(PROD_DATABASE_URL) REDIS_URL=$(PROD_REDIS_URL) \
	SECURE_SSL_REDIRECT=0 SECURE_HSTS_SECONDS=0 SECURE_COOKIES=0

$(PROD_DIR)/secret_key:
	@mkdir -p $(PROD_DIR)
	@umask 077 && $(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(50))' > $@

serve-prod: setup stop-prod $(PROD_DIR)/secret_key
	@# The default database is created when missing; a DATABASE_URL of your own must exist already.
	@if [ -z "$(DATABASE_URL)" ] && command -v createdb >/dev/null; then \
	  createdb -h 127.0.0.1 -U postgres pathwise_prod 2>/dev/null || true; fi
	$(PROD_ENV) $(BIN)/python manage.py collectstatic --noinput --verbosity 0
	$(PROD_ENV) $(BIN)/python manage.py migrate --noinput
	@if [ -f fixtures/content.json ]; then $(PROD_ENV) $(BIN)/python manage.py import_content fixtures/content.json; fi
	@echo "Starting gunicorn ($(WEB_CONCURRENCY) workers), Celery worker and Celery beat"
	@$(PROD_ENV) nohup $(BIN)/gunicorn config.wsgi --bind $(HOST):$(PROD_PORT) --workers $(WEB_CONCURRENCY) \
	  $(GUNICORN_OPTS) --pid $(PROD_DIR)/web.pid --timeout 30 >> $(PROD_DIR)/web.log 2>&1 &
	@$(PROD_ENV) nohup $(BIN)/celery -A config worker --loglevel=INFO --concurrency 2 \
	  --pidfile $(PROD_DIR)/worker.pid >> $(PROD_DIR)/worker.log 2>&1 &
	@$(PROD_ENV) nohup $(BIN)/celery -A config beat --loglevel=INFO --schedule $(PROD_DIR)/celerybeat-schedule \
	  --enable-remote-control --pidfile $(PROD_DIR)/beat.pid >> $(PROD_DIR)/beat.log 2>&1 &
	@for _ in $$(seq 60); do \
	  curl -fsS http://$(HOST):$(PROD_PORT)/healthz >/dev/null 2>&1 && break; sleep 0.5; done
	@curl -fsS http://$(HOST):$(PROD_PORT)/healthz && echo
	@# Ready means the Celery worker answers too (it starts beside the first requests otherwise).
	@for _ in $$(seq 30); do \
	  $(PROD_ENV) $(BIN)/celery -A config inspect ping --timeout 1 >/dev/null 2>&1 && break; sleep 0.5; done
	@echo "Serving http://$(HOST):$(PROD_PORT) (web, worker, beat); logs in $(PROD_DIR)/*.log; stop with make stop-prod"

stop-prod:
	@for name in web worker beat; do \
	  pidfile=$(PROD_DIR)/$$name.pid; [ -f $$pidfile ] || continue; pid=$$(cat $$pidfile); \
	  if grep -qaE 'gunicorn|celery' /proc/$$pid/cmdline 2>/dev/null && kill -TERM $$pid; then \
	    for _ in $$(seq 40); do kill -0 $$pid 2>/dev/null || break; sleep 0.5; done; echo "stopped $$name ($$pid)"; fi; \
	  rm -f $$pidfile; done

# The load scenario against serve-prod: 100 users for 60 s, then each capacity probe (see loadtest/).
LOAD_LEARNERS ?= 100
LOAD_MENTORS ?= 10
load: setup
	@curl -fsS http://$(HOST):$(PROD_PORT)/healthz >/dev/null || { echo "Start the server first: make serve-prod"; exit 1; }
	$(PROD_ENV) $(BIN)/python manage.py seed_load --learners $(LOAD_LEARNERS) --mentors $(LOAD_MENTORS) \
	  --sessions-out var/load/sessions.json
	LOAD_SESSIONS=var/load/sessions.json LOAD_REPORT=var/load/report.json $(BIN)/locust \
	  -f loadtest/locustfile.py --headless --host http://$(HOST):$(PROD_PORT) \
	  --only-summary --csv var/load/stats

clean:
	rm -rf $(VENV) staticfiles .mypy_cache .ruff_cache .pytest_cache
