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

.PHONY: run test setup content demo lint typecheck pytest bench serve-prod clean

$(VENV)/.installed: requirements.txt requirements-dev.txt
	@test -n "$(PYTHON)" || { echo "Python 3.12 or newer is required (none found on PATH)."; exit 1; }
	@echo "Using $$($(PYTHON) --version) at $(PYTHON)"
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $@

setup: $(VENV)/.installed

content: setup
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py import_content fixtures/content.json

demo: content
	$(BIN)/python manage.py create_demo_accounts

run: demo
	DEBUG=$${DEBUG:-1} $(BIN)/python manage.py runserver $(HOST):$(PORT)

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: setup
	$(BIN)/mypy .

pytest: setup
	$(BIN)/python -m pytest $(PYTEST_ARGS)

test: lint typecheck pytest

clean:
	rm -rf $(VENV) staticfiles .mypy_cache .ruff_cache .pytest_cache
