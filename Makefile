# Panoptic Tracker: `make run` serves everything, `make test` tests everything.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
export PORT

.PHONY: run test test-fast lint bench bench-uncached setup system-packages venv services stop messages demo lock \
	check-lock backup restore install

# Development targets run in development mode (DEBUG, the development key). The switch
# lives only in the environment, never in var/local.env (config/settings.py); backup,
# restore and install stay production.
run test test-fast bench bench-uncached demo messages: export PANOPTIC_DEV = 1

run: setup messages
	@exec scripts/run.sh

# The suite runs in TEST_WORKERS processes (pytest-xdist), each with its own test database
# and Redis databases; a file's tests stay together, handed out in the order
# tests/conftest.py sorts them (slowest first). TEST_WORKERS=0 runs it in one process.
# A process that crashes ends the run with its error (xdist's replacement process may wait
# for work that never comes).
TEST_WORKERS ?= 3
PYTEST := $(VENV)/bin/pytest $(if $(filter 0,$(TEST_WORKERS)),,-n $(TEST_WORKERS) --dist loadfile --no-loadscope-reorder --max-worker-restart 0)

# Each xdist process would otherwise rewrite every test module's assertions again when the
# environment forbids bytecode files: the suite keeps them (they are git-ignored).
test test-fast: export PYTHONDONTWRITEBYTECODE =

test: setup messages
	$(PYTEST) $(PYTEST_ARGS)

# Everything but the browser, real Celery workers and stopped servers: a quick check. The
# API schema fuzz runs every operation and check at 20 generated requests each instead of
# 100 (API_FUZZ_EXAMPLES; make test runs 100), without schemathesis's coverage phase
# (boundary values for every parameter: about 4,500 requests, half the fuzz's time).
test-fast: export API_FUZZ_EXAMPLES ?= 20
test-fast: export API_FUZZ_PHASES ?= examples,fuzzing
test-fast: setup messages
	$(PYTEST) -m "not browser and not celery_worker and not faults" $(PYTEST_ARGS)

lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

bench: setup
	@WITH_BENCH_TOOLS=1 scripts/system-packages.sh
	@for b in bench/bench_*.py; do echo "== $$b"; $(PY) $$b || exit 1; done

# Only what one-off queries cost with the API list cache off (bench_site's last part):
# the uncached list's wrk ratio to /about/, cold searches, the export against psql.
bench-uncached: setup
	@WITH_BENCH_TOOLS=1 scripts/system-packages.sh
	BENCH_ONLY=uncached $(PY) bench/bench_site.py

setup: system-packages venv services

system-packages:
	@scripts/system-packages.sh

venv: $(VENV)/.installed

# Every Python package, transitive ones included, comes from the hashed lock.
$(VENV)/.installed: pyproject.toml requirements.lock requirements-dev.lock
	@$(PYTHON) scripts/check-lock.py
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@$(VENV)/bin/pip install -q --disable-pip-version-check --upgrade pip
	@$(VENV)/bin/pip install -q --disable-pip-version-check --require-hashes --no-deps \
		-r requirements-dev.lock
	@touch $@

check-lock:
	@$(PYTHON) scripts/check-lock.py

# Re-resolve the locks after changing pyproject.toml's dependencies (uv, from
# PyPI or, with OFFLINE=1, from uv's cache alone). Commit both lock files.
UV_VERSION := 0.13.9
LOCK_COMPILE = $(VENV)/bin/uv pip compile pyproject.toml --quiet --generate-hashes --universal \
	--python-version 3.11 --custom-compile-command "make lock" $(if $(OFFLINE),--offline)
lock:
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@$(VENV)/bin/pip install -q --disable-pip-version-check uv==$(UV_VERSION)
	$(LOCK_COMPILE) -o requirements.lock
	$(LOCK_COMPILE) --extra dev --constraint requirements.lock -o requirements-dev.lock
	@$(PY) scripts/check-lock.py --stamp
	@$(PY) scripts/check-lock.py && echo "locks written: requirements.lock, requirements-dev.lock"

services:
	@scripts/services.sh start
	@mkdir -p var/static var/media

stop:
	@scripts/services.sh stop

messages: venv
	@if ls locale/*/LC_MESSAGES/*.po >/dev/null 2>&1; then \
		$(PY) manage.py compilemessages --ignore=.venv --ignore=var -v 0; fi

# The production virtualenv: the site's own packages only, pinned with their hashes in
# requirements.lock (no test tools). Run again after every upgrade.
install:
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@$(VENV)/bin/pip install -q --disable-pip-version-check --require-hashes --no-deps \
		-r requirements.lock

# Backups run with the .venv there is and install nothing (cron may run them at any hour).
$(PY):
	@echo "no $(PY): build it first (make install in production, make setup in development)" >&2
	@exit 1

# A timestamped archive (mode 0600) of the database, uploads and evidence archive in
# BACKUP_DIR; KEEP=N then deletes all but the newest N there.
BACKUP_DIR ?= var/backups
backup: $(PY)
	@$(PY) scripts/backup.py create --output "$(BACKUP_DIR)" $(if $(KEEP),--keep "$(KEEP)")

# Restore FILE into the empty database DATABASE_URL names, as that (the site's) role, e.g.
# DATABASE_URL=postgis://panoptic:...@/panoptic_restored?host=... make restore FILE=var/backups/x.tar
restore: $(PY)
	@test -n "$(FILE)" || { echo "usage: make restore FILE=var/backups/panoptic-....tar"; exit 2; }
	@$(PY) scripts/backup.py restore "$(FILE)"

demo: setup
	$(PY) manage.py migrate --no-input -v 0
	$(PY) manage.py load_demo_data
