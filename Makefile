# Panoptic Tracker: `make run` serves everything, `make test` tests everything.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
export PORT

.PHONY: run test lint bench setup system-packages venv services stop messages demo

run: setup messages
	@exec scripts/run.sh

test: setup messages
	$(VENV)/bin/pytest $(PYTEST_ARGS)

lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

bench: setup
	@WITH_BENCH_TOOLS=1 scripts/system-packages.sh
	@for b in bench/bench_*.py; do echo "== $$b"; $(PY) $$b || exit 1; done

setup: system-packages venv services

system-packages:
	@scripts/system-packages.sh

venv: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml scripts/install-python-deps.py
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@$(VENV)/bin/pip install -q --disable-pip-version-check --upgrade pip
	@$(PY) scripts/install-python-deps.py dev > $(VENV)/requirements.txt
	@$(VENV)/bin/pip install -q --disable-pip-version-check -r $(VENV)/requirements.txt
	@touch $@

services:
	@scripts/services.sh start
	@mkdir -p var/static var/media

stop:
	@scripts/services.sh stop

messages: venv
	@if ls locale/*/LC_MESSAGES/*.po >/dev/null 2>&1; then \
		$(PY) manage.py compilemessages --ignore=.venv --ignore=var -v 0; fi

demo: setup
	$(PY) manage.py migrate --no-input -v 0
	$(PY) manage.py load_demo_data
